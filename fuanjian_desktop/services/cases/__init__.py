"""Case use cases: opening, steps of the procedure, the facts the guard judges, the case file's
values and queries.
"""

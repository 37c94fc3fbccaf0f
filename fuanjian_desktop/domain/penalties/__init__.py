"""Penalties: the violation catalogue, the penalty basis derived from the records, discretion, the
加处罚款 and amounts in words.
"""

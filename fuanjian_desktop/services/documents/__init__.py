"""Enforcement documents: context values, drafting, issuing (one path), samples and the authority's
settings.
"""

"""Fixtures of the protocol tests: the throwaway PostgreSQL cluster (tests/support/pg.py)."""

from tests.support.pg import pg_cluster  # noqa: F401  (fixture)

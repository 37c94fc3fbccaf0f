"""The support modules' own fixtures, for their own tests."""

from tests.support.pg import pg_cluster, pg_database  # noqa: F401  (fixtures)

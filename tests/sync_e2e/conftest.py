"""The end-to-end tests' fixtures: PostgreSQL clusters and HQ server processes."""

from tests.support.pg import pg_cluster, pg_database  # noqa: F401  (fixtures)
from tests.support.server import hq_db, hq_server, hq_templates  # noqa: F401  (fixtures)
from tests.sync_e2e.fleet import cheap_accounts  # noqa: F401  (fixture)

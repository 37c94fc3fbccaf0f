"""Session fixtures of the HQ tests, registered once here: a session-scoped fixture imported
into several test modules is a separate fixture in each (one PostgreSQL cluster, one ``hq init``
per module instead of per session)."""

from tests.hq.hq_data_support import hq_postgresql, hq_sqlite_schema  # noqa: F401  (fixtures)
from tests.hq.hq_http_support import hq_template_fixture  # noqa: F401  (fixture)
from tests.support.pg import pg_cluster  # noqa: F401  (fixture)
from tests.support.server import hq_templates  # noqa: F401  (fixture)

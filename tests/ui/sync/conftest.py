"""The sync UI tests' fixtures: HQ server processes for the test against a real HQ."""

from tests.support.server import hq_templates  # noqa: F401  (fixture)

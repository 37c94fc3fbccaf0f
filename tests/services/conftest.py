"""Fixtures shared by the service tests: a finished inspection with three hazards."""

from tests.services.documents.test_document_context import finished_inspection  # noqa: F401 (fixture)

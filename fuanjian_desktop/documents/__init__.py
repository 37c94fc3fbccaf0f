"""Enforcement documents: declared specs, the resolved sheet, and its PDF and DOCX renderers.

One spec per document type (``resources/documents/specs/``) and one generic engine: the spec
and the document's values compose a :class:`~fuanjian_desktop.documents.sheet.Sheet`, which
both renderers draw. An issued document keeps its sheet as the frozen snapshot.
"""

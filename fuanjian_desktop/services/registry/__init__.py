"""The enterprise registry: records, the Excel import and its template."""

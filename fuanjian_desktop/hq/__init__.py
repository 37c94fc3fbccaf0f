"""The headquarters (区局) server: receives every squad's records, publishes reference data."""

"""Use cases. Every write in the app goes through one of these services."""

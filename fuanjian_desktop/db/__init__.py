"""Storage: the engine with its pragmas, the declarative base, sessions and migrations."""

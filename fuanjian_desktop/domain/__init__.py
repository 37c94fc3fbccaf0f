"""Pure rules with no I/O: identifier checks, roles, registry validation."""

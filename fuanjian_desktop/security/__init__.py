"""Passwords and sign-in protection."""

"""The demo users the crash child acts as, read from the database.

The child starts a thousand times; checking the password (argon2) each time would spend most of
the run in the hash, and sign-in is not a write path under test. The actor is made from the user
row exactly as ``auth.sign_in`` makes it once the password is accepted.
"""

from __future__ import annotations

from sqlalchemy import select

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.models import User
from fuanjian_desktop.services.actor import Actor


def actor_named(database: Database, username: str) -> Actor:
    """The actor of the demo account ``username`` (as signed in)."""
    with database.read() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None, f"no demo account {username}"
        return Actor.of(user)

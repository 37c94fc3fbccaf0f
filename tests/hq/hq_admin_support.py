"""Fixtures of the HQ admin tests: an initialised HQ database, open, on SQLite or on both kinds.

The copies come from ``tests.support.server``'s templates (``hq init`` once per session). Most
admin rules do not depend on the database kind and run on SQLite only; the ones that do (a
conditional update, an allocation under the sequence lock) run on PostgreSQL too.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from fuanjian_desktop.hq.database import HqDatabase, open_hq
from fuanjian_desktop.hq.models import HqDevice
from fuanjian_desktop.ids import new_id
from fuanjian_desktop.models import Squad
from fuanjian_desktop.sync_protocol.keys import b64
from tests.support.server import HqTemplates, hq_db  # noqa: F401


@pytest.fixture
def hq_sqlite_url(hq_templates: HqTemplates, tmp_path: Path) -> Iterator[str]:
    """The URL of a fresh initialised SQLite HQ database."""
    yield from hq_templates.fresh("sqlite", tmp_path)


@pytest.fixture
def hq(hq_sqlite_url: str) -> Iterator[HqDatabase]:
    """A fresh initialised SQLite HQ database, open."""
    db = open_hq(hq_sqlite_url)
    yield db
    db.close()


@pytest.fixture
def hq_any(hq_db: str) -> Iterator[HqDatabase]:  # noqa: F811
    """A fresh initialised HQ database, open: once SQLite, once PostgreSQL."""
    db = open_hq(hq_db)
    yield db
    db.close()


def squad_id(hq: HqDatabase, short_name: str) -> str:
    """The id HQ gave the org unit ``short_name``."""
    with hq.read() as session:
        return session.scalars(select(Squad.id).where(Squad.short_name == short_name)).one()


def add_device(hq: HqDatabase, squad: str, name: str, **columns: Any) -> str:
    """Register a laptop of ``squad`` as /v1/enroll would (without a number block); its id."""
    device_id = new_id()
    with hq.write() as session:
        session.add(
            HqDevice(
                id=device_id,
                squad_id=squad_id(hq, squad),
                name=name,
                secret_b64=b64(bytes(32)),
                signing_public_b64=b64(bytes(32)),
                app_version="test",
                **columns,
            )
        )
    return device_id

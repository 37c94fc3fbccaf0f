"""Shared fixtures: a fresh migrated database per test, and a demo database copied per test.

The demo database is built once per session (argon2 hashing makes it cost a second or two) and
copied with SQLite's backup API for every test that wants it, so tests never share state.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("QT_QPA_PLATFORMTHEME", None)

from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.db.startup import open_database
from fuanjian_desktop.services import auth, demo
from fuanjian_desktop.services.actor import Actor


@pytest.fixture
def data_folder(tmp_path: Path) -> DataFolder:
    """An empty data folder of its own for this test."""
    folder = DataFolder(tmp_path / "data")
    folder.root.mkdir()
    return folder


@pytest.fixture
def database(data_folder: DataFolder) -> Iterator[Database]:
    """A freshly migrated, empty database."""
    db = open_database(data_folder)
    yield db
    db.close()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo database built once for the whole run (tests get copies, never this file)."""
    folder = DataFolder(tmp_path_factory.mktemp("demo-template"))
    db = open_database(folder)
    demo.create_demo(db)
    db.close()
    return folder.database


@pytest.fixture
def demo_database(demo_template: Path, data_folder: DataFolder) -> Iterator[Database]:
    """A private copy of the demo database, opened the way the app opens it."""
    source = sqlite3.connect(demo_template)
    target = sqlite3.connect(data_folder.database)
    source.backup(target)
    source.close()
    target.close()
    db = open_database(data_folder)
    yield db
    db.close()


@pytest.fixture
def sign_in(demo_database: Database) -> Callable[[str], Actor]:
    """Signs in a demo account by username (all share the demo password)."""
    return lambda username: auth.sign_in(demo_database, username, demo.DEMO_PASSWORD)


@pytest.fixture
def inspector(sign_in: Callable[[str], Actor]) -> Actor:
    """The demo inspector 张伟 of the 园岭 squad, signed in."""
    return sign_in("zhangwei")

"""Smoke test of the benchmark data generator: a tiny dataset, built the way the big one is."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from bench.encrypted import open_dataset
from bench.generate import DEMO_ENTERPRISE_COUNT, generate
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.codes import check_uscc
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.models import Enterprise
from fuanjian_desktop.services.registry import registry

SYNTHETIC = 50


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder holding the demo plus 50 synthetic enterprises (built once per module)."""
    folder = tmp_path_factory.mktemp("bench-data")
    generate(folder, SYNTHETIC, seed=11)
    return folder


@pytest.fixture
def database(data_dir: Path) -> Iterator[Database]:
    """The generated database, opened the way the app opens it."""
    db = open_dataset(data_dir)
    yield db
    db.close()


def test_adds_the_requested_number_of_enterprises(database: Database) -> None:
    """The folder holds the demo's enterprises plus exactly the number asked for."""
    assert registry.count_enterprises(database) == DEMO_ENTERPRISE_COUNT + SYNTHETIC


def test_every_generated_uscc_passes_the_check(database: Database) -> None:
    """Every stored 统一社会信用代码 passes the real check, check character included."""
    with database.read() as session:
        codes = list(session.scalars(select(Enterprise.uscc).where(Enterprise.uscc.is_not(None))))
    assert len(codes) > SYNTHETIC // 2
    assert [code for code in codes if not check_uscc(code).ok] == []


def test_search_finds_a_generated_enterprise_by_contact_name(database: Database) -> None:
    """Searching a synthetic enterprise's contact name finds it, as the registry page would."""
    with database.read() as session:
        newest = session.scalars(select(Enterprise).order_by(Enterprise.id.desc())).first()
        assert newest is not None and newest.contact_name
        wanted, name = newest.id, newest.contact_name
    assert wanted in registry.search_enterprise_ids(database, name)


def test_refuses_a_folder_that_already_holds_synthetic_data(data_dir: Path) -> None:
    """Running the generator twice on one folder is refused with a Chinese message."""
    with pytest.raises(UserError, match="已有"):
        generate(data_dir, 1)

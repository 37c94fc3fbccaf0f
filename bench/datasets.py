"""Cached benchmark datasets under ``bench/out/`` (git-ignored), keyed by size, seed and schema.

Generating 100,000 enterprises takes a minute or more, so each benchmark asks for a dataset
instead of making one: the first call builds it, later calls reuse it. The schema is part of
the key — the revision and a digest of the migration scripts, because an unreleased migration
is edited in place (an index added to it) without a new revision — so a dataset from before a
schema change (and its older demo data) is rebuilt. A dataset is built in a ``.building``
folder and renamed when complete, so an interrupted build is never reused.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for `python bench/...py`

from bench.encrypted import copy_dataset
from bench.generate import DEFAULT_SEED, generate
from bench.generate_cases import generate_cases
from fuanjian_desktop.config import DATABASE_FILE
from fuanjian_desktop.db.migrate import MIGRATIONS_DIR
from fuanjian_desktop.db.schema_version import SCHEMA_HEAD

OUT_DIR = Path(__file__).resolve().parent / "out"
DATASETS_DIR = OUT_DIR / "datasets"


def schema_key() -> str:
    """The schema revision plus a short digest of every migration script, e.g. ``0004-1a2b3c4d``."""
    digest = hashlib.sha256()
    for script in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):
        digest.update(script.name.encode() + script.read_bytes())
    return f"{SCHEMA_HEAD}-{digest.hexdigest()[:8]}"


def ensure_dataset(count: int, seed: int = DEFAULT_SEED, cache_root: Path = DATASETS_DIR) -> Path:
    """The data folder holding the demo plus ``count`` synthetic enterprises (built if missing)."""

    def build(folder: Path) -> None:
        print(f"generating {count:,} enterprises (seed {seed}) into {folder} …", flush=True)
        report = generate(folder, count, seed)
        print(f"  done: {report.total:,} enterprises in {report.seconds:.1f} s", flush=True)

    return _cached(cache_root / f"enterprises-{count}-seed-{seed}-schema-{schema_key()}", build)


def ensure_case_dataset(
    cases: int,
    enterprises: int = 100_000,
    seed: int = DEFAULT_SEED,
    cache_root: Path = DATASETS_DIR,
) -> Path:
    """The enterprise dataset of ``enterprises`` plus ``cases`` synthetic cases (built if missing).

    Built on a copy of the cached enterprise dataset, which stays as it is for the registry
    benchmarks.
    """

    def build(folder: Path) -> None:
        private_copy(ensure_dataset(enterprises, seed, cache_root), folder)
        print(f"generating {cases:,} cases (seed {seed}) into {folder} …", flush=True)
        report = generate_cases(folder, cases, seed)
        print(f"  done: {report.cases:,} cases in {report.seconds:.1f} s", flush=True)

    name = f"cases-{cases}-enterprises-{enterprises}-seed-{seed}-schema-{schema_key()}"
    return _cached(cache_root / name, build)


def _cached(target: Path, build: Callable[[Path], None]) -> Path:
    """``target`` if complete, else built by ``build`` in a ``.building`` folder and renamed."""
    if (target / DATABASE_FILE).is_file():
        return target
    building = target.with_name(target.name + ".building")
    shutil.rmtree(building, ignore_errors=True)
    build(building)
    shutil.rmtree(target, ignore_errors=True)
    building.rename(target)
    return target


def private_copy(data_dir: Path, into: Path) -> Path:
    """A copy of a (closed) dataset's database and keys.json in ``into``, for runs that write.

    Signing in writes an audit event; benchmarks that sign in use a copy so the cached dataset
    stays exactly as generated.
    """
    return copy_dataset(data_dir, into)

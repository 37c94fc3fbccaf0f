"""Cached benchmark datasets under ``bench/out/`` (git-ignored), keyed by size, seed and schema.

Generating 100,000 enterprises takes a minute or more, so each benchmark asks for a dataset
instead of making one: the first call builds it, later calls reuse it. The schema revision is
part of the key, so a dataset from before a schema change (and its older demo data) is rebuilt.
A dataset is built in a ``.building`` folder and renamed when complete, so an interrupted build
is never reused.
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for `python bench/...py`

from bench.generate import DEFAULT_SEED, generate
from fuanjian_desktop.config import DATABASE_FILE
from fuanjian_desktop.db.schema_version import SCHEMA_HEAD

OUT_DIR = Path(__file__).resolve().parent / "out"
DATASETS_DIR = OUT_DIR / "datasets"


def ensure_dataset(count: int, seed: int = DEFAULT_SEED, cache_root: Path = DATASETS_DIR) -> Path:
    """The data folder holding the demo plus ``count`` synthetic enterprises (built if missing)."""
    target = cache_root / f"enterprises-{count}-seed-{seed}-schema-{SCHEMA_HEAD}"
    if (target / DATABASE_FILE).is_file():
        return target
    building = target.with_name(target.name + ".building")
    shutil.rmtree(building, ignore_errors=True)
    print(f"generating {count:,} enterprises (seed {seed}) into {target} …", flush=True)
    report = generate(building, count, seed)
    print(f"  done: {report.total:,} enterprises in {report.seconds:.1f} s", flush=True)
    shutil.rmtree(target, ignore_errors=True)
    building.rename(target)
    return target


def private_copy(data_dir: Path, into: Path) -> Path:
    """A copy of a dataset's database in ``into`` (SQLite backup API), for runs that write.

    Signing in writes an audit event; benchmarks that sign in use a copy so the cached dataset
    stays exactly as generated.
    """
    into.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(data_dir / DATABASE_FILE)
    target = sqlite3.connect(into / DATABASE_FILE)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
    return into

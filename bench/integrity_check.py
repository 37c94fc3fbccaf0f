"""What the start-up integrity check and a backup cost at scale.

``python bench/integrity_check.py [--enterprises 100000] [--repeat 5]``

On the cached encrypted dataset (demo + N synthetic enterprises, ``bench/datasets.py``), closed:
the median time of ``PRAGMA quick_check``, ``PRAGMA cipher_integrity_check`` (the start-up check
chosen for encrypted files, see ``fuanjian_desktop/db/integrity.py``) and the full
``PRAGMA integrity_check`` (a backup's check of its copy), each on a fresh connection; then the
same dataset's plaintext copy (``sqlcipher_export``) under ``quick_check``; then ``check_database``
as the app calls it, and one ``create_backup`` (copy, check, pack, read back). The page cache is
warm after the first run (the medians are warm figures; the first run is printed too).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for `python bench/…`

import sqlcipher3.dbapi2 as sqlcipher

from bench.datasets import ensure_dataset
from bench.encrypted import DEMO_ADMIN, copy_dataset
from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.db.integrity import check_database
from fuanjian_desktop.db.startup import open_database
from fuanjian_desktop.demo.demo import DEMO_PASSWORD
from fuanjian_desktop.security.data_key import DataKey
from fuanjian_desktop.security.keyring import Keyring
from fuanjian_desktop.services.backups import create_backup


def timed(run: Callable[[], object], repeat: int) -> tuple[float, float]:
    """(first, median) seconds over ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return times[0], statistics.median(times)


def pragma(path: Path, key: DataKey | None, statement: str) -> Callable[[], object]:
    """One fresh connection running ``statement`` to the end."""

    def run() -> object:
        connection = sqlcipher.connect(str(path))
        try:
            connection.execute("PRAGMA cipher_log_level = NONE")
            if key is not None:
                connection.execute(key.sqlcipher_pragma())
            return connection.execute(statement).fetchall()
        finally:
            connection.close()

    return run


def plaintext_copy(source: Path, key: DataKey, target: Path) -> None:
    """The same data decrypted into ``target`` (for the plaintext side of the comparison)."""
    connection = sqlcipher.connect(str(source))
    try:
        connection.execute(key.sqlcipher_pragma())
        connection.execute(f"ATTACH DATABASE '{target}' AS plain KEY ''")
        connection.execute("SELECT sqlcipher_export('plain')")
        connection.execute("DETACH DATABASE plain")
    finally:
        connection.close()


def main() -> None:
    """Measure and print; asserts nothing."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        folder = DataFolder(copy_dataset(ensure_dataset(args.enterprises), Path(work) / "data"))
        key = Keyring.load(folder).unlock(DEMO_ADMIN, DEMO_PASSWORD)
        size = folder.database.stat().st_size / 1_000_000
        print(f"{args.enterprises:,} 家企业，数据库 {size:.0f} MB（加密），重复 {args.repeat} 次：")
        for label, statement in (
            ("quick_check（加密）", "PRAGMA quick_check"),
            ("cipher_integrity_check（加密，启动时所用）", "PRAGMA cipher_integrity_check"),
            ("integrity_check（加密，备份时所用）", "PRAGMA integrity_check"),
        ):
            first, median = timed(pragma(folder.database, key, statement), args.repeat)
            print(f"  {label}: 首次 {first:.2f} s，中位数 {median:.2f} s")
        plain = Path(work) / "plain.db"
        plaintext_copy(folder.database, key, plain)
        first, median = timed(pragma(plain, None, "PRAGMA quick_check"), args.repeat)
        print(f"  quick_check（明文副本）: 首次 {first:.2f} s，中位数 {median:.2f} s")
        first, median = timed(lambda: check_database(folder.database, key), args.repeat)
        print(f"  check_database（程序启动时的检查）: 首次 {first:.2f} s，中位数 {median:.2f} s")
        database = open_database(folder, key)
        try:
            report = create_backup(database, Path(work) / "backup.fabak")
        finally:
            database.close()
        print(f"  create_backup: {report.seconds:.1f} s，{report.size_bytes / 1_000_000:.0f} MB")


if __name__ == "__main__":
    main()

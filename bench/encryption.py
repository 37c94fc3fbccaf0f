"""What encryption at rest costs: the same work on the same data, plaintext and encrypted, one run.

``python bench/encryption.py [--enterprises N] [--rounds R]``

Each measure runs the app's own code twice over the same data: once on the encrypted folder as
the app keeps it, once on a plaintext copy of it (``sqlcipher_export`` into a keyless file). The
two sides alternate round by round, so a busy machine slows both alike; the report gives the
medians and the ratio encrypted / plaintext (goal ≤ 1.15×):

- 每个答案保存: ``inspections.answer_item`` on a 60-item template, every answer of each round;
- 企业搜索: the registry benchmark's realistic queries over N enterprises (sum of medians);
- 登录到主窗口: password typed → the data key unwrapped → database open → signed in → main window
  built, shown and its 工作台 lists loaded (in this process, offscreen). The plaintext side runs
  the same ``auth.unlock`` with ``open_database`` handed the plaintext copy: one argon2id
  derivation on both sides, only the database differs;
- 全部文书样本: ``write_samples`` of every document type from the demo (PDF and Word).

Then the time to encrypt a plaintext N-enterprise database in place (backup, export, verify,
replace) through the legacy path an administrator's first sign-in takes. Reports only.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for `python bench/...py`

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import select

from bench.datasets import ensure_dataset, private_copy
from bench.encrypted import DEMO_ADMIN, open_dataset
from bench.generate import DEFAULT_SEED
from bench.inspection import ITEMS, TEMPLATE_ID
from bench.inspection import start as start_inspection
from bench.registry_search import realistic_queries, take_sample
from bench.timing import Summary, print_table, time_ms
from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.db.startup import open_database
from fuanjian_desktop.demo import demo
from fuanjian_desktop.demo.synthetic import synthetic_checklist
from fuanjian_desktop.domain.inspection_rules import Answer
from fuanjian_desktop.models import User
from fuanjian_desktop.security.data_key import DataKey
from fuanjian_desktop.security.encrypt_in_place import encrypt_database
from fuanjian_desktop.security.keyring import KEYRING_FILE, Keyring
from fuanjian_desktop.services import auth
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.documents.document_samples import write_samples
from fuanjian_desktop.services.inspections import inspections
from fuanjian_desktop.services.registry import registry
from fuanjian_desktop.services.setup import create_encrypted_database

GOAL = 1.15
SIDES = ("plaintext", "encrypted")


@dataclass
class Measure:
    """One measure's samples (ms) per side."""

    label: str
    samples: dict[str, list[float]] = field(default_factory=lambda: {s: [] for s in SIDES})

    def row(self) -> list[object]:
        plain = Summary.of(self.samples["plaintext"]).median_ms
        encrypted = Summary.of(self.samples["encrypted"]).median_ms
        ratio = encrypted / plain if plain else float("nan")
        verdict = "met" if ratio <= GOAL else "NOT met"
        return [self.label, f"{plain:.1f}", f"{encrypted:.1f}", f"{ratio:.2f}×", verdict]


@dataclass(frozen=True)
class Pair:
    """The same data folder twice: as the app keeps it (encrypted) and a plaintext copy."""

    encrypted: DataFolder
    plaintext: DataFolder
    key: DataKey

    def folder(self, side: str) -> DataFolder:
        return self.encrypted if side == "encrypted" else self.plaintext

    def open(self, side: str) -> Database:
        """The side's database, opened as the app opens it (the key, or none)."""
        return open_database(self.folder(side), self.key if side == "encrypted" else None)


def plaintext_copy(source: DataFolder, key: DataKey, into: DataFolder) -> None:
    """``source``'s database decrypted into ``into`` (with the same keys.json, for passwords)."""
    into.root.mkdir(parents=True, exist_ok=True)
    connection = sqlcipher.connect(str(source.database))
    try:
        connection.execute(key.sqlcipher_pragma())
        connection.execute("ATTACH DATABASE ? AS plain KEY ''", (str(into.database),))
        connection.execute("SELECT sqlcipher_export('plain')")
        connection.execute("DETACH DATABASE plain")
    finally:
        connection.close()
    shutil.copyfile(source.root / KEYRING_FILE, into.root / KEYRING_FILE)


def make_pair(encrypted_root: Path, scratch: Path) -> Pair:
    """A pair from an encrypted data folder (copied, so the source stays as it is)."""
    encrypted = DataFolder(private_copy(encrypted_root, scratch / "encrypted"))
    key = Keyring.load(encrypted).unlock(DEMO_ADMIN, demo.DEMO_PASSWORD)
    plaintext = DataFolder(scratch / "plaintext")
    plaintext_copy(encrypted, key, plaintext)
    return Pair(encrypted, plaintext, key)


def demo_pair(scratch: Path) -> Pair:
    """The demo data, encrypted as the app makes it, and its plaintext twin."""
    source = DataFolder(scratch / "demo-source")
    source.root.mkdir(parents=True)
    database = create_encrypted_database(source)
    try:
        demo.create_demo(database)
    finally:
        database.close()
    return make_pair(source.root, scratch / "demo")


def time_answers(pair: Pair, template_folder: Path, rounds: int) -> Measure:
    """Every answer of a fresh 60-item inspection per round and side (every fifth 不符合)."""
    measure = Measure(f"每个答案保存 per answer ({ITEMS} items × {rounds} rounds)")
    for _ in range(rounds):
        for side in SIDES:
            database = pair.open(side)
            try:
                actor = inspector(database)
                inspection_id = start_inspection(database, actor, template_folder)
                measure.samples[side] += _answer_all(database, actor, inspection_id)
            finally:
                database.close()
    return measure


def inspector(database: Database) -> Actor:
    """The demo inspector 张伟 as the services see him (no sign-in: the password check is not
    what is measured, and the plaintext copy's accounts have no password hash of their own)."""
    with database.read() as session:
        user = session.scalars(select(User).where(User.username == "zhangwei")).one()
        return Actor.of(user)


def _answer_all(database: Database, actor: Actor, inspection_id: str) -> list[float]:
    items = inspections.open_inspection(database, actor, inspection_id).items
    answer = partial(inspections.answer_item, database, actor, inspection_id)
    return [
        time_ms(partial(answer, item, Answer.NON_COMPLIANT if n % 5 == 0 else Answer.COMPLIANT))[0]
        for n, item in enumerate(items)
    ]


def time_search(pair: Pair, rounds: int) -> list[Measure]:
    """Each realistic query, alternating sides; then their sum per round."""
    databases = {side: pair.open(side) for side in SIDES}
    try:
        queries = realistic_queries(take_sample(databases["encrypted"]))
        total = Measure(f"企业搜索 registry search, {len(queries)} queries (sum)")
        measures = [Measure(f"  搜索 {query.label}") for query in queries]
        for side in SIDES:  # warm both caches the same way before timing
            for query in queries:
                registry.search_enterprise_ids(databases[side], query.text)
        for _ in range(rounds):
            for side in SIDES:
                spent = 0.0
                for query, measure in zip(queries, measures, strict=True):
                    search = partial(registry.search_enterprise_ids, databases[side], query.text)
                    elapsed, _ = time_ms(search)
                    measure.samples[side].append(elapsed)
                    spent += elapsed
                total.samples[side].append(spent)
    finally:
        for database in databases.values():
            database.close()
    return [total, *measures]


def time_sign_in(pair: Pair, rounds: int) -> Measure:
    """Password → main window shown with its 工作台 lists loaded, in this process."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ui.app import make_application
    from ui.workers import Workers

    app = make_application()
    measure = Measure("登录到主窗口 sign-in to main window")
    for _ in range(rounds + 1):  # the first round warms the imports and Qt, not counted
        for side in SIDES:
            workers = Workers()
            elapsed = _sign_in_once(app, pair, side, workers)
            workers.shutdown()
            measure.samples[side].append(elapsed)
    for side in SIDES:
        del measure.samples[side][0]
    return measure


def _sign_in_once(app: Any, pair: Pair, side: str, workers: Any) -> float:
    from ui.shell import build_main_window

    started = time.perf_counter()
    with _opened_as(pair, side):
        database, actor = auth.unlock(pair.folder(side), "zhangwei", demo.DEMO_PASSWORD)
    window = build_main_window(database, actor, workers)
    window.show()
    app.processEvents()
    while workers.busy():
        app.processEvents()
    app.processEvents()
    elapsed = (time.perf_counter() - started) * 1000
    window.close()
    window.deleteLater()
    app.processEvents()
    database.close()
    return elapsed


@contextmanager
def _opened_as(pair: Pair, side: str) -> Iterator[None]:
    """``auth.unlock`` as the app runs it; on the plaintext side its database opens keyless
    (and the sealing of a legacy folder's plaintext evidence, which has no plaintext twin, is
    skipped)."""
    if side == "encrypted":
        yield
        return

    def plaintext(folder: DataFolder, _key: DataKey | None) -> Database:
        return open_database(folder, None)

    with (
        mock.patch.object(auth, "is_plaintext_file", lambda _path: False),
        mock.patch.object(auth, "open_database", plaintext),
        mock.patch.object(auth, "encrypt_legacy_evidence", lambda _database: None),
    ):
        yield


def time_samples(pair: Pair, scratch: Path, rounds: int) -> Measure:
    """``write_samples`` (every document type, PDF and Word) from the demo, per side."""
    measure = Measure("全部文书样本 all document samples written")
    databases = {side: pair.open(side) for side in SIDES}
    try:
        for number in range(rounds + 1):
            for side in SIDES:
                out = scratch / f"samples-{side}-{number}"
                elapsed, _ = time_ms(partial(write_samples, databases[side], out))
                measure.samples[side].append(elapsed)
                shutil.rmtree(out)
        for side in SIDES:
            del measure.samples[side][0]  # the first round loads fonts and templates
    finally:
        for database in databases.values():
            database.close()
    return measure


def time_encrypt_in_place(pair: Pair, scratch: Path) -> tuple[float, int]:
    """Seconds to encrypt the plaintext database in place, and its size in bytes.

    ``encrypt_database`` is what an administrator's first sign-in on a legacy folder runs:
    plaintext backup, export under the new key, verification of every table's row count, the
    administrator's wrapped key, the swap, and removal of the plaintext copies.
    """
    legacy = DataFolder(scratch / "legacy")
    legacy.root.mkdir(parents=True)
    shutil.copyfile(pair.plaintext.database, legacy.database)
    size = legacy.database.stat().st_size
    started = time.perf_counter()
    encrypt_database(legacy, DataKey.generate(), {DEMO_ADMIN: demo.DEMO_PASSWORD}, demo=False)
    return time.perf_counter() - started, size


def build_parser() -> argparse.ArgumentParser:
    """Command-line options."""
    parser = argparse.ArgumentParser(description="加密存储的开销：同一数据明文与加密对比")
    parser.add_argument("--enterprises", type=int, default=100_000, help="合成企业数")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="随机种子")
    parser.add_argument("--rounds", type=int, default=5, help="每项交替计时的轮数")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Build both sides of each dataset, run every measure alternating sides, print one table."""
    args = build_parser().parse_args(argv)
    dataset = ensure_dataset(args.enterprises, args.seed)
    with tempfile.TemporaryDirectory(prefix="fuanjian-bench-") as temporary:
        scratch = Path(temporary)
        templates = scratch / "checklists"
        templates.mkdir()
        document = synthetic_checklist(TEMPLATE_ID, ITEMS)
        (templates / f"{TEMPLATE_ID}.json").write_text(json.dumps(document, ensure_ascii=False))
        print("preparing the demo pair and the registry pair …", flush=True)
        small = demo_pair(scratch / "small")
        large = make_pair(dataset, scratch / "large")
        measures = [time_answers(small, templates, args.rounds)]
        measures += time_search(large, args.rounds * 4)
        measures.append(time_sign_in(small, args.rounds))
        measures.append(time_samples(small, scratch, args.rounds))
        seconds, size = time_encrypt_in_place(large, scratch)
    total = _count(dataset)
    print(f"\n{total:,} enterprises; sides alternate each round; medians in ms\n")
    header = ["what", "plaintext ms", "encrypted ms", "encrypted / plaintext", f"≤ {GOAL}×"]
    print_table(header, [measure.row() for measure in measures])
    print(
        f"\n加密现有数据库 encrypt in place: {total:,} enterprises, "
        f"{size / 2**20:.0f} MiB plaintext → {seconds:.1f} s"
    )
    return 0


def _count(dataset: Path) -> int:
    database = open_dataset(dataset)
    try:
        return registry.count_enterprises(database)
    finally:
        database.close()


if __name__ == "__main__":
    sys.exit(main())

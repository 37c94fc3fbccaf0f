"""Killed at random points while writing, the data folder keeps every acknowledged write whole.

The short version of ``bench/crash.py``: ten SIGKILLs on one copy of the demo data, each followed
by the checks of :mod:`tests.crash.checks`. Then each check is shown to fail when its rule is
broken on purpose, on a copy of the folder the kills left: a child that skips the outbox for
hazard edits, a write reported but not made, a stray file, a missing thumbnail, a damaged photo,
an edited audit event, typing lost.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.db.startup import open_database
from fuanjian_desktop.evidence.maintenance import store_of
from tests.conftest import DemoTemplate
from tests.crash import checks
from tests.crash.harness import Run, new_run
from tests.crash.writes import WRITES, Done

SEED = 15
KILLS = 10
# ten children killed and ten checks take about a minute on a loaded 2-core machine, more when
# this module's fixture is the first to build the session's demo template
pytestmark = pytest.mark.timeout(400)


class Crashed:
    """The run of the short version, after its kills, with every write it acknowledged."""

    def __init__(self, run: Run, dones: list[Done]) -> None:
        self.run = run
        self.dones = dones

    def copy(self, target: Path) -> Run:
        """A run on a copy of the folder the kills left (server not started)."""
        shutil.copytree(self.run.folder.root, target)
        run = self.run
        return Run(DataFolder(target), run.key, run.plan, run.seed, typed=run.typed)


@pytest.fixture(scope="module")
def crashed(demo_template: DemoTemplate, tmp_path_factory: pytest.TempPathFactory) -> Crashed:
    """Ten kills on a private copy of the demo data, each checked (the findings kept)."""
    folder = DataFolder(tmp_path_factory.mktemp("crash") / "data")
    demo_template.copy_files(folder)
    dones: list[Done] = []
    with new_run(folder, demo_template.key, SEED) as run:
        run.chain_mark = checks.ChainMark()  # the whole walk once, at the end
        run.least_writes, run.most_writes = 1, 8  # a write acknowledged before each kill
        for number in range(KILLS):
            dones += run.round(number)[0]
    return Crashed(run, dones)


def test_ten_kills_lose_no_acknowledged_write_and_leave_nothing_inconsistent(
    crashed: Crashed,
) -> None:
    tally = crashed.run.tally
    assert tally.problems == []
    assert tally.kills == KILLS
    # every write path was taken: each child's first write is the next kind in turn
    assert set(WRITES) <= set(tally.writes), tally.writes
    assert (tally.integrity, tally.lost, tally.audit, tally.chain) == (0, 0, 0, 0)
    assert (tally.orphans, tally.missing) == (0, 0)
    database = open_database(crashed.run.folder, crashed.run.key)
    try:
        assert checks.chain(database) == []  # the whole walk, as ``audit verify`` does it
    finally:
        database.close()


def test_a_damaged_page_is_an_integrity_failure(crashed: Crashed, tmp_path: Path) -> None:
    run = crashed.copy(tmp_path / "data")
    database = bytearray(run.folder.database.read_bytes())
    middle = len(database) // 4096 // 2 * 4096
    database[middle + 100 : middle + 200] = bytes(100)
    run.folder.database.write_bytes(bytes(database))
    findings = run.check([])
    assert len(findings.integrity) == 1 and findings.integrity[0].startswith("does not open")


def test_a_child_that_skips_the_outbox_is_caught(crashed: Crashed, tmp_path: Path) -> None:
    """Sabotage: hazard edits commit their change and audit event but no outbox row."""
    with crashed.copy(tmp_path / "data") as run:
        run.sabotage = "outbox"
        run.chain_mark = checks.ChainMark()
        for number in range(KILLS, KILLS + 40):
            run.round(number)
            if run.tally.writes["hazard"]:
                break
    assert run.tally.writes["hazard"] > 0
    assert run.tally.audit > 0  # the event without its outbox row, the version without one
    assert run.tally.lost > 0  # the acknowledged hazard edit is not in the outbox
    assert any("change event without its outbox row" in p for p in run.tally.problems)


def test_a_write_reported_but_not_in_the_database_is_lost(crashed: Crashed, tmp_path: Path) -> None:
    run = crashed.run
    edit = next(done for done in crashed.dones if done.kind == "registry")
    never_made = Done("registry", edit.record_id, edit.version + 1000, "t0n0")
    other_value = Done("registry", edit.record_id, edit.version, "t0n0")
    answer = next(done for done in crashed.dones if done.kind == "answer")
    result, token = answer.value.split(":", 1)
    flipped = "compliant" if result != "compliant" else "non_compliant"
    other_result = Done("answer", answer.record_id, answer.version, f"{flipped}:{token}")
    database = open_database(run.folder, run.key)
    try:
        assert checks.acknowledged(database, [edit, answer]) == []
        lost = checks.acknowledged(database, [never_made])
        other = checks.acknowledged(database, [other_value])
        other_answer = checks.acknowledged(database, [other_result])
    finally:
        database.close()
    assert any("no outbox row" in p for p in lost) and any("at version" in p for p in lost)
    assert any("the event of version" in p for p in other)
    assert any("the event of version" in p for p in other_answer)


def test_a_stray_file_a_missing_thumbnail_and_a_damaged_photo_are_found(
    crashed: Crashed, tmp_path: Path
) -> None:
    run = crashed.copy(tmp_path / "data")
    database = open_database(run.folder, run.key)
    try:
        store = store_of(database)
        with database.read() as session:
            photos = "SELECT sha256, extension FROM evidence_file WHERE extension = '.jpg'"
            rows = session.execute(text(photos)).all()
        (gone, _), (damaged, extension) = rows[0], rows[1]
        stray = store.root / "ab" / ("ab" + "0" * 62 + ".jpg.enc")
        stray.parent.mkdir(exist_ok=True)
        stray.write_bytes(b"left by an import that never committed")
        store.thumbnail_of(gone).unlink()
        original = store.path_of(damaged, extension)
        sealed = bytearray(original.read_bytes())
        sealed[-1] ^= 1
        original.write_bytes(bytes(sealed))
        orphans, missing = checks.evidence_files(database)
    finally:
        database.close()
    assert orphans == [str(stray.relative_to(store.root))]
    assert missing[0] == str(store.thumbnail_of(gone).relative_to(store.root))
    assert missing[1:] == [f"{damaged[:12]}: DamagedCipherFile"]


def test_an_edited_audit_event_breaks_the_chain(crashed: Crashed, tmp_path: Path) -> None:
    run = crashed.copy(tmp_path / "data")
    database = open_database(run.folder, run.key)
    try:
        with database.engine.begin() as connection:
            connection.exec_driver_sql("DROP TRIGGER audit_event_no_update")
            connection.exec_driver_sql(
                "UPDATE audit_event SET summary = summary || '。' "
                "WHERE rowid = (SELECT max(rowid) FROM audit_event WHERE entity_type = 'hazard')"
            )
        assert checks.chain(database) != []
        assert checks.chain_since(database, checks.ChainMark()) != []
    finally:
        database.close()


def test_an_answer_without_its_hazard_is_found(crashed: Crashed, tmp_path: Path) -> None:
    run = crashed.copy(tmp_path / "data")
    database = open_database(run.folder, run.key)
    try:
        assert checks.answers_and_hazards(database, run.plan.inspection) == []
        with database.engine.begin() as connection:
            answered = connection.execute(
                text(
                    "UPDATE inspection_answer SET result = CASE result "
                    "WHEN 'non_compliant' THEN 'compliant' ELSE 'non_compliant' END "
                    "WHERE id = (SELECT min(id) FROM inspection_answer WHERE inspection_id = :i)"
                ),
                {"i": run.plan.inspection},
            )
            assert answered.rowcount == 1
        assert len(checks.answers_and_hazards(database, run.plan.inspection)) == 1
    finally:
        database.close()


def test_typing_that_went_missing_is_found(crashed: Crashed) -> None:
    run = crashed.run
    database = open_database(run.folder, run.key)
    try:
        length = checks.typed_length_of(database, run.plan.transcript)
        assert length >= run.typed > 0
        assert checks.typed_text(database, run.plan.transcript, length) == []
        assert checks.typed_text(database, run.plan.transcript, length + 1) != []
    finally:
        database.close()

"""A laptop that dies mid-inspection loses no answer that was reported saved."""

from __future__ import annotations

from collections.abc import Callable

from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.inspection_rules import Answer
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.inspections import inspections
from tests.crash_child import lines_until_killed

SAVES_BEFORE_KILL = 30  # more than two rounds over the 12 items, so answers are being changed


def test_killed_while_answering_every_reported_answer_is_there_after_reopening(
    demo_database: Database,
    data_folder: DataFolder,
    start_inspection: Callable[..., str],
    inspector: Actor,
) -> None:
    inspection_id = start_inspection()
    lines = lines_until_killed(
        "tests.crash_answering", [str(data_folder.root), inspection_id], SAVES_BEFORE_KILL
    )
    reported: dict[str, tuple[str, int]] = {}
    for line in lines:
        _, item_id, result, note = line.split()
        reported[item_id] = (result, round_of(note))

    with demo_database.engine.connect() as raw:
        assert raw.exec_driver_sql("PRAGMA integrity_check").fetchone() == ("ok",)
    view = inspections.open_inspection(demo_database, inspector, inspection_id)
    assert len(reported) == len(view.items) == 12
    for item_id, (result, reported_round) in reported.items():
        saved = view.answers[item_id]
        saved_round = round_of(saved.note)
        # the child may have committed one more answer after its last report, never fewer
        assert saved_round >= reported_round
        if saved_round == reported_round:
            assert saved.result.value == result
        assert (item_id in view.hazards) == (saved.result is Answer.NON_COMPLIANT)


def round_of(note: str) -> int:
    """The round number in a note such as 第2轮."""
    return int(note.removeprefix("第").removesuffix("轮"))

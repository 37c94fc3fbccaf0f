"""The 复查 form: two inspectors, a result per hazard, photos attached after saving."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage

from fuanjian_desktop.domain.inspection_rules import Answer, HazardStatus
from fuanjian_desktop.services.inspections import evidence, hazards
from tests.ui.hazard_support import make_hazards
from ui.dialogs.recheck_dialog import RecheckDialog


def open_dialog(qtbot, make_context, actor, inspection_id):
    dialog = RecheckDialog(make_context(actor), inspection_id)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def tick(dialog: RecheckDialog, full_name: str) -> None:
    for row in range(dialog.inspectors.count()):
        item = dialog.inspectors.item(row)
        if item.text().startswith(full_name):
            item.setCheckState(Qt.CheckState.Checked)


def photo(folder: Path) -> Path:
    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(QColor("#3a7"))
    path = folder / "整改后.png"
    assert image.save(str(path))
    return path


def status(database, hazard_id, actor):
    return hazards.load_hazard(database, actor, hazard_id).status


def test_one_inspector_is_refused_then_results_are_recorded(
    qtbot, make_context, inspector, demo_database, start_inspection, tmp_path
):
    """With only the signed-in inspector ticked nothing is saved; with two, each hazard
    becomes 已整改, 未整改 or stays pending (本次不复查), and the photo is attached."""
    inspection_id, (fixed, unfixed, skipped) = make_hazards(
        demo_database, inspector, start_inspection, 3
    )
    dialog = open_dialog(qtbot, make_context, inspector, inspection_id)
    assert dialog.checked_inspectors() == (inspector.user_id,)
    dialog.set_result(fixed, Answer.COMPLIANT)
    dialog.set_result(unfixed, Answer.NON_COMPLIANT)
    dialog.add_photos([photo(tmp_path)])

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "两名以上" in dialog.errors.labels["inspectors"].text()
    assert (
        dialog.recheck_id is None
        and status(demo_database, fixed, inspector) is HazardStatus.PENDING
    )

    tick(dialog, "李娜")
    with qtbot.waitSignal(dialog.accepted, timeout=2_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.recheck_id is not None
    assert status(demo_database, fixed, inspector) is HazardStatus.RECTIFIED
    assert status(demo_database, unfixed, inspector) is HazardStatus.NOT_RECTIFIED
    assert status(demo_database, skipped, inspector) is HazardStatus.PENDING
    assert len(evidence.photos_of(demo_database, inspector, dialog.recheck_id)) == 1


def test_end_before_start_is_shown_beside_the_time(
    qtbot, make_context, inspector, demo_database, start_inspection
):
    """An end time before the start is refused under the time fields; nothing is saved."""
    inspection_id, (hazard_id,) = make_hazards(demo_database, inspector, start_inspection, 1)
    dialog = open_dialog(qtbot, make_context, inspector, inspection_id)
    tick(dialog, "李娜")
    dialog.set_result(hazard_id, Answer.COMPLIANT)
    dialog.ended.setDateTime(dialog.started.dateTime().addSecs(-600))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "早于开始时间" in dialog.errors.labels["ended_at"].text()
    assert status(demo_database, hazard_id, inspector) is HazardStatus.PENDING


def test_no_result_chosen_is_explained(
    qtbot, make_context, inspector, demo_database, start_inspection
):
    """Saving with every hazard on 本次不复查 says a result is needed."""
    inspection_id, _ = make_hazards(demo_database, inspector, start_inspection, 2)
    dialog = open_dialog(qtbot, make_context, inspector, inspection_id)
    tick(dialog, "李娜")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "至少对一项隐患" in dialog.errors.general.text()
    assert dialog.recheck_id is None

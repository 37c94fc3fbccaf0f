"""照片证据: a photo attached to the case with the texts its 照片证据 page prints; an inspection
photo of the case gets its 说明 only; an empty 说明 is said beside the field, nothing stored."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from fuanjian_desktop.models import CaseLink, CasePhoto, InspectionPhoto
from fuanjian_desktop.services.dossiers import case_photos
from fuanjian_desktop.services.inspections import evidence
from tests.ui.case_support import TO_LEGAL_REVIEW, case_team, make_case
from tests.ui.conftest import type_text
from tests.ui.dossier.dialog_support import fits_the_laptop, scanned_image
from tests.ui.test_case_page import open_page
from ui.dialogs.photo_viewer import PhotoViewer
from ui.dossier.case_photo_dialog import NO_CAPTION, CasePhotoDialog

TEXTS = {
    "caption": "仓库安全出口被货物堵塞",
    "place": "某某公司一楼仓库",
    "photographer": "张伟",
    "proves": "当事人未保持安全出口畅通",
}


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def open_dialog(qtbot, make_context, actor, case_id, wait_idle) -> CasePhotoDialog:
    dialog = CasePhotoDialog(make_context(actor), case_id)
    qtbot.addWidget(dialog)
    dialog.show()
    wait_idle()
    return dialog


def listed(dialog: CasePhotoDialog) -> list[str]:
    return [dialog.photos.item(row).text() for row in range(dialog.photos.count())]


def test_a_photo_is_attached_to_the_case_with_its_texts(
    qtbot, make_context, sign_in, demo_database, wait_idle, tmp_path
):
    """添加照片 → the four texts typed → 保存: a CasePhoto row with them, listed by its 说明."""
    team = case_team(sign_in)
    case_id = make_case(demo_database, team, TO_LEGAL_REVIEW)
    dialog = open_dialog(qtbot, make_context, team.handler, case_id, wait_idle)
    assert fits_the_laptop(dialog) and QApplication.focusWidget() is dialog.photos
    assert listed(dialog) == [] and not dialog.save_button.isEnabled()
    dialog.start_new(scanned_image(tmp_path / "IMG_0001.jpg", shade=120))
    assert "IMG_0001.jpg" in dialog.heading.text()
    assert dialog.fields["photographer"].text() == "张伟"  # who adds it, proposed
    dialog.fields["photographer"].clear()
    for name, text in TEXTS.items():
        type_text(qtbot, dialog.fields[name], text)
    with qtbot.waitSignal(dialog.changed):
        click(qtbot, dialog.save_button)
    wait_idle()
    with demo_database.read() as session:
        [row] = session.scalars(select(CasePhoto).where(CasePhoto.case_id == case_id)).all()
    assert (row.caption, row.place, row.photographer, row.proves) == tuple(TEXTS.values())
    assert len(listed(dialog)) == 1 and listed(dialog)[0].startswith(TEXTS["caption"])
    assert dialog.fields["place"].text() == TEXTS["place"]  # the saved photo stays selected


def test_an_empty_caption_is_said_beside_it_and_nothing_is_stored(
    qtbot, make_context, sign_in, demo_database, wait_idle, tmp_path
):
    team = case_team(sign_in)
    case_id = make_case(demo_database, team, TO_LEGAL_REVIEW)
    dialog = open_dialog(qtbot, make_context, team.handler, case_id, wait_idle)
    dialog.start_new(scanned_image(tmp_path / "IMG_0002.png"))
    type_text(qtbot, dialog.fields["place"], "仓库")
    click(qtbot, dialog.save_button)
    wait_idle()
    assert dialog.errors.labels["caption"].isVisible()
    assert dialog.fields["place"].text() == "仓库"
    with demo_database.read() as session:
        assert session.scalars(select(CasePhoto).where(CasePhoto.case_id == case_id)).all() == []


def test_an_inspection_photo_gets_its_caption_only(
    qtbot, make_context, sign_in, demo_database, wait_idle, tmp_path, start_inspection
):
    """A photo of the case's inspection: listed 未填写说明, its place read-only; the 说明
    typed is stored on the inspection photo."""
    team = case_team(sign_in)
    case_id = make_case(demo_database, team, TO_LEGAL_REVIEW)
    inspection_id = start_inspection()
    photo = scanned_image(tmp_path / "site.jpg", shade=90)
    evidence.attach_photos(demo_database, team.handler, inspection_id, "", [photo])
    with demo_database.write() as session:  # the case found in that inspection (test setup)
        session.add(CaseLink(case_id=case_id, kind="inspection", target_id=inspection_id))
    dialog = open_dialog(qtbot, make_context, team.handler, case_id, wait_idle)
    assert listed(dialog)[0].startswith(NO_CAPTION)
    assert "现场检查" in listed(dialog)[0]
    assert not dialog.fields["place"].isEnabled() and dialog.fields["caption"].isEnabled()
    type_text(qtbot, dialog.fields["caption"], "灭火器压力不足")
    with qtbot.waitSignal(dialog.changed):
        click(qtbot, dialog.save_button)
    wait_idle()
    with demo_database.read() as session:
        stored = session.scalars(
            select(InspectionPhoto).where(InspectionPhoto.inspection_id == inspection_id)
        ).one()
    assert stored.caption == "灭火器压力不足"
    rows = case_photos.case_photos(demo_database, team.handler, case_id)
    assert [row.caption for row in rows] == ["灭火器压力不足"]
    assert listed(dialog)[0].startswith("灭火器压力不足")
    viewer = dialog.open_original(dialog.photos.item(0))  # Enter / a double-click
    assert isinstance(viewer, PhotoViewer) and viewer.windowTitle() == "照片：灭火器压力不足"
    viewer.close()


def test_the_case_pages_evidence_tab_counts_the_case_photos(
    qtbot, make_context, sign_in, demo_database, wait_idle, tmp_path
):
    """证据 tab → 照片证据 → a photo attached: the tab lists 案件照片 1 张."""
    team = case_team(sign_in)
    case_id = make_case(demo_database, team, TO_LEGAL_REVIEW)
    page = open_page(qtbot, make_context, team.handler, case_id, wait_idle)
    click(qtbot, page.photo_button)
    dialog = page.dialog
    assert isinstance(dialog, CasePhotoDialog)
    wait_idle()
    dialog.start_new(scanned_image(tmp_path / "IMG_0009.png"))
    type_text(qtbot, dialog.fields["caption"], TEXTS["caption"])
    with qtbot.waitSignal(page.changed):
        click(qtbot, dialog.save_button)
    wait_idle()
    lines = [page.evidence.item(row).text() for row in range(page.evidence.count())]
    assert "案件照片 1 张" in lines

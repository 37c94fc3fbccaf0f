"""导入音像资料: the case's 承办人 and steps offered, the file streamed in on the workers with
progress, every field stored; a bad field said beside it and nothing stored."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import QApplication, QDialog
from sqlalchemy import func, select

from fuanjian_desktop.models import Case, CaseMedia, EvidenceFile
from fuanjian_desktop.services.inspections.evidence import evidence_store
from tests.ui.case_support import TO_LEGAL_REVIEW, case_team, make_case
from tests.ui.conftest import type_text
from tests.ui.dossier.dialog_support import fits_the_laptop
from tests.ui.test_case_page import open_page
from ui.dossier.media_dialog import MediaDialog, size_text
from ui.pages.case_page import TAB_TITLES

EVIDENCE_TAB = TAB_TITLES.index("证据")

# an MP4 starts with its ftyp box; the rest of a recorder's file is the recording
MP4_HEAD = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"
STARTED = dt.datetime(2030, 1, 3, 9, 30, 5).astimezone()


def recording(tmp_path, size: int):
    """A recorder's clip of ``size`` bytes."""
    path = tmp_path / "DSJ_20300103_093005.MP4"
    path.write_bytes(MP4_HEAD + bytes(size - len(MP4_HEAD)))
    return path


def open_dialog(qtbot, make_context, actor, case_id, wait_idle) -> MediaDialog:
    dialog = MediaDialog(make_context(actor), case_id)
    qtbot.addWidget(dialog)
    dialog.show()
    wait_idle()  # the officers and steps, read in the background
    return dialog


def combo_texts(box) -> list[str]:
    return [box.itemText(index) for index in range(box.count())]


def fill(qtbot, dialog: MediaDialog, path, minutes: int = 22) -> None:
    dialog.set_file(path)
    dialog.title.clear()
    type_text(qtbot, dialog.title, "现场检查执法全过程")
    type_text(qtbot, dialog.device, "DSJ-0012")
    dialog.started.setDateTime(QDateTime(STARTED))
    dialog.ended.setDateTime(QDateTime(STARTED + dt.timedelta(minutes=minutes)))


def media_rows(database, case_id) -> list[CaseMedia]:
    with database.read() as session:
        return list(session.scalars(select(CaseMedia).where(CaseMedia.case_id == case_id)))


def test_a_recording_is_imported_with_progress_and_every_field(
    qtbot, make_context, sign_in, demo_database, wait_idle, tmp_path
):
    """The officers are the case's 承办人 first, the steps its timeline's and 现场检查; a 3 MB clip
    goes in with the bar moving, and the row holds what was typed."""
    team = case_team(sign_in)
    case_id = make_case(demo_database, team, TO_LEGAL_REVIEW)
    dialog = open_dialog(qtbot, make_context, team.handler, case_id, wait_idle)
    assert combo_texts(dialog.officer)[:2] == ["张伟", "李娜"]  # the 承办人 first
    steps = combo_texts(dialog.step)
    assert "现场检查" in steps and "批准立案" in steps and "调查终结" in steps
    fill(qtbot, dialog, recording(tmp_path, 3 * 1024 * 1024))
    assert dialog.kind.currentText() == "视频"
    dialog.officer.setCurrentIndex(1)
    dialog.step.setCurrentIndex(steps.index("现场检查"))
    type_text(qtbot, dialog.gap, "更换电池中断约2分钟")
    seen: list[int] = []
    dialog.progress.moved.connect(lambda done, _total: seen.append(done))
    with qtbot.waitSignal(dialog.changed, timeout=10_000):
        click(qtbot, dialog.save_button)
        assert dialog.importing and dialog.bar.isVisible()  # shown while it runs
    wait_idle()
    assert seen and seen[-1] == 3 * 1024 * 1024
    assert not dialog.isVisible()
    [row] = media_rows(demo_database, case_id)
    assert (row.title, row.kind, row.device) == ("现场检查执法全过程", "video", "DSJ-0012")
    assert row.officer_name == "李娜" and row.officer_id == team.partner_id
    assert (row.step, row.step_label) == ("inspection", "现场检查")
    assert row.started_at == STARTED and row.ended_at == STARTED + dt.timedelta(minutes=22)
    assert row.gap_reason == "更换电池中断约2分钟"


def test_bad_fields_are_said_beside_them_and_nothing_is_stored(
    qtbot, make_context, sign_in, demo_database, wait_idle, tmp_path
):
    """No file; then an end before the start and no title: each said under its field, the
    form kept, no row and no stored file."""
    team = case_team(sign_in)
    case_id = make_case(demo_database, team, TO_LEGAL_REVIEW)
    dialog = open_dialog(qtbot, make_context, team.handler, case_id, wait_idle)
    with demo_database.read() as session:
        files_before = session.scalar(select(func.count()).select_from(EvidenceFile))
    click(qtbot, dialog.save_button)
    assert dialog.errors.labels["path"].isVisible()
    assert "请先选择" in dialog.errors.labels["path"].text()

    fill(qtbot, dialog, recording(tmp_path, 4096), minutes=-5)
    dialog.title.clear()
    click(qtbot, dialog.save_button)
    wait_idle()
    assert dialog.isVisible() and dialog.save_button.isEnabled()
    assert dialog.errors.labels["ended_at"].isVisible()
    assert dialog.errors.labels["title"].isVisible()
    assert dialog.device.text() == "DSJ-0012"  # what was typed stays
    assert media_rows(demo_database, case_id) == []
    with demo_database.read() as session:
        assert session.scalar(select(func.count()).select_from(EvidenceFile)) == files_before


def test_a_file_that_is_no_recording_is_refused_beside_the_file(
    qtbot, make_context, sign_in, demo_database, wait_idle, tmp_path
):
    """A text file chosen by mistake: the store's reason under 文件."""
    team = case_team(sign_in)
    case_id = make_case(demo_database, team, TO_LEGAL_REVIEW)
    dialog = open_dialog(qtbot, make_context, team.handler, case_id, wait_idle)
    notes = tmp_path / "notes.mp4"
    notes.write_text("会议记录" * 100, encoding="utf-8")
    fill(qtbot, dialog, notes)
    click(qtbot, dialog.save_button)
    wait_idle()
    assert "视频或音频" in dialog.errors.labels["path"].text() + dialog.errors.general.text()
    assert media_rows(demo_database, case_id) == []


def test_the_import_goes_on_in_the_background(
    qtbot, make_context, sign_in, demo_database, wait_idle, tmp_path
):
    """On the laptop screen; while the file is copied 取消 becomes 后台导入: the window goes,
    the import finishes and is stored."""
    team = case_team(sign_in)
    case_id = make_case(demo_database, team, TO_LEGAL_REVIEW)
    dialog = open_dialog(qtbot, make_context, team.handler, case_id, wait_idle)
    assert fits_the_laptop(dialog)
    assert QApplication.focusWidget() is dialog.path  # a path pasted, or Alt+F to choose
    fill(qtbot, dialog, recording(tmp_path, 2 * 1024 * 1024))
    click(qtbot, dialog.save_button)
    assert dialog.cancel_button.text() == "后台导入(&B)"
    with qtbot.waitSignal(dialog.changed, timeout=10_000):
        click(qtbot, dialog.cancel_button)
        assert not dialog.isVisible() and dialog.importing
    wait_idle()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert [row.device for row in media_rows(demo_database, case_id)] == ["DSJ-0012"]


def test_an_archived_case_refuses_before_the_copy(
    qtbot, make_context, sign_in, demo_database, wait_idle, tmp_path
):
    """The demo's archived case: the lock's message, nothing copied into the store."""
    with demo_database.read() as session:
        case_id = session.scalars(select(Case.id).where(Case.stage == "archived")).first()

    def state():
        return len(media_rows(demo_database, case_id)), evidence_store(demo_database).stored()

    before = state()
    dialog = open_dialog(qtbot, make_context, sign_in("wangfang"), case_id, wait_idle)
    fill(qtbot, dialog, recording(tmp_path, 64 * 1024))
    assert dialog.status.text() == "文件大小：64.0 KB"
    click(qtbot, dialog.save_button)
    wait_idle()
    assert "已归档" in dialog.errors.general.text() and dialog.isVisible()
    assert state() == before


def test_a_pasted_path_is_taken_as_chosen(
    qtbot, make_context, sign_in, demo_database, wait_idle, tmp_path
):
    """A recorder's sound file's path typed and left with Tab: 音频, its name as the title."""
    team = case_team(sign_in)
    case_id = make_case(demo_database, team, TO_LEGAL_REVIEW)
    dialog = open_dialog(qtbot, make_context, team.handler, case_id, wait_idle)
    sound = tmp_path / "REC_0007.m4a"
    sound.write_bytes(b"\x00\x00\x00\x18ftypM4A " + bytes(2048))
    type_text(qtbot, dialog.path, str(sound))
    qtbot.keyClick(dialog.path, Qt.Key.Key_Tab)
    assert dialog.kind.currentText() == "音频" and dialog.title.text() == "REC_0007"
    assert dialog.status.text() == "文件大小：2.0 KB"


def test_the_case_pages_evidence_tab_imports_and_lists_it(
    qtbot, make_context, sign_in, demo_database, wait_idle, tmp_path
):
    """证据 tab → 导入音像资料 → the recording is listed there with its step and device."""
    team = case_team(sign_in)
    case_id = make_case(demo_database, team, TO_LEGAL_REVIEW)
    page = open_page(qtbot, make_context, team.handler, case_id, wait_idle)
    page.show_tab(EVIDENCE_TAB)
    click(qtbot, page.media_button)
    dialog = page.dialog
    assert isinstance(dialog, MediaDialog)
    wait_idle()
    fill(qtbot, dialog, recording(tmp_path, 8192))
    dialog.step.setCurrentIndex(dialog.step.findText("现场检查"))
    with qtbot.waitSignal(page.changed):
        click(qtbot, dialog.save_button)
    wait_idle()
    lines = [page.evidence.item(row).text() for row in range(page.evidence.count())]
    assert "音像资料：现场检查执法全过程（现场检查，DSJ-0012）" in lines


def test_a_repeat_is_refused_after_the_copy_and_the_next_file_shows_its_progress(
    qtbot, make_context, sign_in, demo_database, wait_idle, tmp_path
):
    """A clip already in the case: refused under 文件 once copied; another clip then goes in
    with its own progress to the end."""
    team = case_team(sign_in)
    case_id = make_case(demo_database, team, TO_LEGAL_REVIEW)
    dialog = open_dialog(qtbot, make_context, team.handler, case_id, wait_idle)
    fill(qtbot, dialog, recording(tmp_path, 4096))
    with qtbot.waitSignal(dialog.changed):
        click(qtbot, dialog.save_button)
    wait_idle()
    again = open_dialog(qtbot, make_context, team.handler, case_id, wait_idle)
    fill(qtbot, again, recording(tmp_path, 4096))
    click(qtbot, again.save_button)
    wait_idle()
    assert "不必重复导入" in again.errors.labels["path"].text()
    other = tmp_path / "other.mp4"
    other.write_bytes(MP4_HEAD + b"\x01" * 5000)
    again.set_file(other)
    seen: list[int] = []
    again.progress.moved.connect(lambda done, _total: seen.append(done))
    with qtbot.waitSignal(again.changed):
        click(qtbot, again.save_button)
    wait_idle()
    assert seen[-1] == other.stat().st_size
    assert len(media_rows(demo_database, case_id)) == 2


def test_sizes_read_as_people_read_them():
    assert size_text(850) == "850 B"
    assert size_text(1536) == "1.5 KB"
    assert size_text(3 * 1024 * 1024) == "3.0 MB"
    assert size_text(int(2.5 * 1024**3)) == "2.5 GB"


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)

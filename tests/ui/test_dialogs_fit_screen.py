"""Every form of the document, case, dossier and hazard flows fits a 1366×768 laptop with a taskbar.

Each dialog is opened on realistic demo data at the default font, the way its page opens it;
it must lie inside the screen's free area, be no taller than the 728 px a 40-px taskbar leaves
(title bar included) with nothing to scroll (the app's rule shrinks a window taller than the
screen, so a form that does not fit would scroll), and have put the cursor in an input field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QScrollArea,
    QWidget,
)

from fuanjian_desktop.services import setup
from fuanjian_desktop.services.cases.case_queries import case_view
from fuanjian_desktop.services.documents import documents
from fuanjian_desktop.services.transcripts import transcripts
from fuanjian_desktop.services.transcripts.transcripts import Interviewee
from tests.ui.case_support import (
    OPENED_ON,
    TO_INVESTIGATION,
    TO_LEGAL_REVIEW,
    TO_NOTICE,
    case_team,
    make_case,
)
from tests.ui.document_support import FILLED, case_draft
from tests.ui.hazard_support import make_hazards
from ui.dialogs.case_step_dialog import CaseStepDialog
from ui.dialogs.discretion_dialog import DiscretionDialog
from ui.dialogs.enterprise_dialog import EnterpriseDialog
from ui.dialogs.hazard_dialog import HazardDialog
from ui.dialogs.number_block_dialog import NumberBlockDialog
from ui.dialogs.open_case_dialog import OpenCaseDialog
from ui.dialogs.procedure_settings_dialog import ProcedureSettingsDialog
from ui.dialogs.recheck_dialog import RecheckDialog
from ui.dialogs.user_dialog import UserDialog
from ui.documents.editor_dialog import DocumentEditorDialog
from ui.documents.inspection_documents_dialog import InspectionDocumentsDialog
from ui.documents.lifecycle_dialogs import ReasonDialog, ServeDialog
from ui.dossier.case_photo_dialog import CasePhotoDialog
from ui.dossier.media_dialog import MediaDialog
from ui.dossier.scan_dialog import ScanDialog
from ui.dossier.settings_dialog import DossierSettingsDialog
from ui.keyboard import INPUTS
from ui.transcripts.editor_dialog import TranscriptEditorDialog
from ui.transcripts.new_transcript_dialog import NewTranscriptDialog

USABLE_HEIGHT = 728  # 768 px less a 40-px taskbar
TITLE_BAR = 32  # the offscreen platform draws none; a desktop's adds about this much


@dataclass
class Data:
    """What a factory may need: the fixtures, by name."""

    make_context: Callable
    sign_in: Callable
    database: object
    start_inspection: Callable
    window: QWidget  # the main window a dialog is opened over

    def team(self):
        return case_team(self.sign_in)


def hazard(data: Data) -> QDialog:
    inspector = data.sign_in("zhangwei")
    _inspection, ids = make_hazards(data.database, inspector, data.start_inspection, 1)
    return HazardDialog(data.make_context(inspector), ids[0], data.window)


def recheck(data: Data) -> QDialog:
    inspector = data.sign_in("zhangwei")
    inspection, _ids = make_hazards(data.database, inspector, data.start_inspection, 3)
    return RecheckDialog(data.make_context(inspector), inspection, data.window)


def step(code: str, steps: tuple[str, ...], day: int) -> Callable[[Data], QDialog]:
    def make(data: Data) -> QDialog:
        team = data.team()
        case_id = make_case(data.database, team, steps)
        today = OPENED_ON + dt.timedelta(days=day)
        actor = team.performer(code)
        view = case_view(data.database, actor, case_id, today)
        choice = next(choice for choice in view.actions if choice.code == code)
        return CaseStepDialog(data.make_context(actor), case_id, choice, today, data.window)

    return make


def open_case(data: Data) -> QDialog:
    inspector = data.sign_in("zhangwei")
    _inspection, ids = make_hazards(data.database, inspector, data.start_inspection, 1)
    return OpenCaseDialog(data.make_context(inspector), data.window, hazard_id=ids[0])


def discretion(data: Data) -> QDialog:
    team = data.team()
    case_id = make_case(data.database, team, TO_INVESTIGATION)
    return DiscretionDialog(data.make_context(team.handler), case_id, OPENED_ON, data.window)


def enterprise(data: Data) -> QDialog:
    return EnterpriseDialog(data.window, "新增企业", lambda _draft: None)


def number_block(data: Data) -> QDialog:
    return NumberBlockDialog(data.make_context(data.sign_in("zhaolei")), data.window)


def procedure_settings(data: Data) -> QDialog:
    return ProcedureSettingsDialog(data.make_context(data.sign_in("zhaolei")), data.window)


def user(data: Data) -> QDialog:
    squads = [(squad.id, squad.name) for squad in setup.list_squads(data.database)]
    return UserDialog(data.window, squads, lambda _new: None)


def document_editor(data: Data) -> QDialog:
    team = data.team()
    return DocumentEditorDialog(
        data.make_context(team.handler), case_draft(data.database, team, FILLED), data.window
    )


def inspection_documents(data: Data) -> QDialog:
    inspector = data.sign_in("zhangwei")
    inspection = data.start_inspection()
    documents.create_draft(
        data.database, inspector, type_key="rectification_order", inspection_id=inspection
    )
    return InspectionDocumentsDialog(
        data.make_context(inspector), inspection, "万家燃气", data.window
    )


def new_transcript(data: Data) -> QDialog:
    team = data.team()
    case_id = make_case(data.database, team, TO_INVESTIGATION)
    return NewTranscriptDialog(data.make_context(team.handler), case_id, data.window)


def transcript_editor(data: Data) -> QDialog:
    team = data.team()
    case_id = make_case(data.database, team, TO_INVESTIGATION)
    document_id = transcripts.create_transcript(
        data.database,
        team.handler,
        case_id,
        relation="从业人员",
        interviewee=Interviewee(name="王小明", unit="测试厂", job="车工"),
        place="车间",
    )
    return TranscriptEditorDialog(data.make_context(team.handler), document_id, data.window)


def scan(data: Data) -> QDialog:
    team = data.team()
    case_id = make_case(data.database, team, TO_LEGAL_REVIEW)
    document = documents.case_document_views(data.database, team.handler, case_id)[0]
    return ScanDialog(data.make_context(team.handler), document.id, data.window)


def case_dialog(kind: type[MediaDialog] | type[CasePhotoDialog]) -> Callable[[Data], QDialog]:
    def make(data: Data) -> QDialog:
        team = data.team()
        case_id = make_case(data.database, team, TO_LEGAL_REVIEW)
        return kind(data.make_context(team.handler), case_id, data.window)

    return make


def dossier_settings(data: Data) -> QDialog:
    return DossierSettingsDialog(data.make_context(data.sign_in("zhaolei")), data.window)


def serve(data: Data) -> QDialog:
    return ServeDialog("行政处罚告知书", dt.date(2026, 3, 5), data.window)


def reason(data: Data) -> QDialog:
    return ReasonDialog("作废文书", "作废后本文书不再有效。", "作废", data.window)


# a record that grows with what is said scrolls by nature (to the question being typed)
GROWING_RECORDS = {"笔录编辑"}
DIALOGS: dict[str, Callable[[Data], QDialog]] = {
    "隐患": hazard,
    "复查": recheck,
    "立案": open_case,
    "送达告知书": step("serve_notice", TO_NOTICE, 4),
    "调查终结": step("end_investigation", TO_INVESTIGATION, 3),
    "裁量": discretion,
    "新增企业": enterprise,
    "文号号段": number_block,
    "办案程序设置": procedure_settings,
    "新增用户": user,
    "文书编辑": document_editor,
    "文书窗口": inspection_documents,
    "新建笔录": new_transcript,
    "笔录编辑": transcript_editor,
    "送达": serve,
    "作废原因": reason,
    "附加扫描件": scan,
    "导入音像资料": case_dialog(MediaDialog),
    "照片证据": case_dialog(CasePhotoDialog),
    "案卷设置": dossier_settings,
}


def scrolls(area: QScrollArea) -> bool:
    """Whether a visible scroll area has more to show than it has room for."""
    return area.isVisible() and area.verticalScrollBar().maximum() > 0


@pytest.mark.parametrize("name", list(DIALOGS))
def test_the_dialog_fits_the_laptop_screen_with_the_cursor_in_a_field(
    name, qtbot, make_context, sign_in, demo_database, start_inspection, wait_idle
):
    """On screen, ≤ 728 px with its title bar, and the cursor in an input field."""
    window = QWidget()
    qtbot.addWidget(window)
    window.resize(1366, 728)
    window.show()
    dialog = DIALOGS[name](Data(make_context, sign_in, demo_database, start_inspection, window))
    dialog.show()
    wait_idle()
    qtbot.wait(50)  # the focus the dialog places once its data is shown
    free = dialog.screen().availableGeometry()
    assert free.height() == 768  # the tests' laptop screen (tests/conftest.py)
    frame = dialog.frameGeometry()
    assert frame.height() + TITLE_BAR <= USABLE_HEIGHT, f"{name}: {frame.height()} px"
    assert free.contains(frame), f"{name}: {frame} outside {free}"
    scrolled = [area for area in dialog.findChildren(QScrollArea) if scrolls(area)]
    assert name in GROWING_RECORDS or not scrolled, f"{name}: its form scrolls at the default font"
    focused = QApplication.focusWidget()
    assert isinstance(focused, INPUTS) and dialog.isAncestorOf(focused), f"{name}: {focused!r}"

"""The walkthroughs: an inspector's visit and a clerk's case, keyboard-only, on the real windows.

They drive the real start (sign-in window, then the main window) on the tests' 1366×768 screen
with the keys a person would press, count the actions per phase and fail if a step needs the
mouse, if a window does not fit the 728 px above a taskbar, or if the actions beyond the 30
checklist answers exceed the issue's 40. A screenshot of each screen goes to a temporary folder.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtPrintSupport import QPrintDialog, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QFileDialog,
    QMessageBox,
    QToolButton,
    QWidget,
)

from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.demo import demo
from fuanjian_desktop.models import Case
from fuanjian_desktop.services.documents import documents
from fuanjian_desktop.services.inspections import inspections
from fuanjian_desktop.services.inspections.inspections import InspectionView, local_today
from tests.ui.case_support import TO_NOTICE, case_team, make_case
from tests.ui.document_support import pdf_pages
from tests.ui.walkthrough_support import ALT, CTRL, SHIFT, Key, Walk
from ui.documents.editor_dialog import DocumentEditorDialog
from ui.documents.inspection_documents_dialog import InspectionDocumentsDialog
from ui.main_window import MainWindow
from ui.startup import Startup
from ui.workers import Workers

PRINT_FILE_PREFIX = "福安监打印-"
ACTION_LIMIT = 40  # the issue: keyboard-only, beyond the 30 answer keys
CLERK_ACTION_LIMIT = 25  # sign-in, finding the case by its number, one step, one print
SIGN_IN = "登录"
FINISH = "结束检查"
ISSUE = "签发文书"
EXPORT = "导出PDF"
PRINT = "批量打印"
QUICK_DRAFT_KEYS = {"现场检查记录": Key.Key_1, "责令限期整改指令书": Key.Key_2}  # Alt+1, Alt+2
START = "新建检查"
ANSWER = "逐项检查"
VENUE = "万家电子"  # 深圳市福田区园岭万家电子组装坊, a 三小 workshop with a confined space


@dataclass(frozen=True)
class NoticeCase:
    """The clerk's case, and its number as she says it: 22号 of （深福）应急立〔2026〕22号."""

    case_id: str
    serial: str


@pytest.fixture
def case_at_notice(demo_database: Database, sign_in) -> NoticeCase:
    """A case of the clerk 王芳 (内勤, handling it with 李娜), reviewed and due for its 告知书,
    opened twenty days ago so that every step of it lies in the past."""
    team = case_team(sign_in)
    clerk_team = replace(team, handler=sign_in("wangfang"))
    opened = local_today() - dt.timedelta(days=20)
    case_id = make_case(demo_database, clerk_team, TO_NOTICE, opened_on=opened)
    with demo_database.read() as session:
        case = session.get(Case, case_id)
        assert case is not None
        return NoticeCase(case_id, case.case_no[case.case_no.index("〕") + 1 :])


@pytest.fixture
def startup(qtbot, demo_database: Database, data_folder: DataFolder, workers: Workers, monkeypatch):
    """The app started as ``scripts/run`` starts it, on a copy of the demo data, for a user
    whose home (and 文档 folder) is the test's own."""
    home = data_folder.root.parent
    (home / "Documents").mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    demo_database.close()
    monkeypatch.setattr(QApplication, "quit", lambda: None)
    started = Startup(str(data_folder.root), workers)
    started.start()
    qtbot.addWidget(started.login)
    yield started
    qtbot.waitUntil(lambda: not workers.busy(), timeout=20_000)
    for window in QApplication.topLevelWidgets():  # no window of this walk in the next one
        window.close()
    started.close()


def sign_in(walk: Walk, startup: Startup, username: str) -> None:
    """Username, Enter, password, Enter: the sign-in window's own keyboard path."""
    login = startup.login
    walk.wait(SIGN_IN, "数据已打开", login.sign_in_button.isEnabled)
    walk.shot(SIGN_IN, "登录")
    walk.check(SIGN_IN, "焦点在用户名", lambda: QApplication.focusWidget() is login.username)
    walk.type(SIGN_IN, username)
    walk.key(SIGN_IN, Key.Key_Return, mouse=lambda: login.password)
    walk.check(SIGN_IN, "焦点到密码", lambda: QApplication.focusWidget() is login.password)
    walk.type(SIGN_IN, demo.DEMO_PASSWORD)
    walk.key(SIGN_IN, Key.Key_Return, mouse=lambda: login.sign_in_button)
    walk.wait(SIGN_IN, "主窗口", lambda: startup.main_window is not None)
    walk.shot(SIGN_IN, "工作台")


def main_window(startup: Startup):
    assert startup.main_window is not None
    return startup.main_window


def start_inspection(walk: Walk, startup: Startup) -> None:
    """From the 工作台: Ctrl+N, the venue's name, Enter to take it, Enter, Enter to start."""
    walk.key(
        START, Key.Key_N, CTRL, mouse=lambda: main_window(startup).page("workbench").new_button
    )
    walk.wait(START, "新建检查窗口", lambda: focus_in_venue_search())
    walk.type(START, VENUE)
    walk.wait(START, "找到场所", lambda: venue_found(startup))
    walk.key(START, Key.Key_Return, mouse=lambda: first_venue(startup))
    walk.shot(START, "新建检查")
    if not walk.mouse:  # a click on the venue took it; the keyboard confirms it with Enter
        walk.key(START, Key.Key_Return)
    walk.key(START, Key.Key_Return, mouse=lambda: start_dialog().start_button)
    walk.wait(START, "检查表", lambda: checklist(startup).inspection_id is not None)
    walk.wait(START, "焦点在检查项", lambda: QApplication.focusWidget() is checklist(startup).tree)
    walk.shot(START, "检查表")


ITEMS = 30  # the items of this venue's checklist (工贸企业通用, with its confined space)
HAZARDS = {  # item number → what the inspector found, typed over the proposed sentence
    4: "未按规定设置安全总监，也未发文任命",
    11: "未建立事故隐患排查治理制度，现场无排查记录",
    23: "二楼疏散通道未设置灯光疏散指示标志",
}


def answer_the_checklist(walk: Walk, startup: Startup) -> None:
    """1 for 符合; at a 不符合 (2) the hazard opens: type what was found, Enter goes on."""
    for number in range(1, ITEMS + 1):
        if number not in HAZARDS:
            walk.answer(ANSWER, Key.Key_1)
            continue
        walk.answer(ANSWER, Key.Key_2)
        walk.check(ANSWER, "焦点在隐患描述", lambda: is_hazard_description(startup))
        walk.type(ANSWER, HAZARDS[number])
        walk.shot(ANSWER, f"隐患{number}")
        walk.key(ANSWER, Key.Key_Return)
        walk.check(
            ANSWER, "回到检查项", lambda: QApplication.focusWidget() is checklist(startup).tree
        )
    walk.check(ANSWER, "全部已检查", lambda: not saved_inspection(startup).unanswered)
    walk.shot(ANSWER, "检查完毕")


def finish_inspection(walk: Walk, startup: Startup) -> None:
    """Ctrl+E, what the visit found in 检查情况, Ctrl+Enter: the inspection is completed."""
    walk.key(FINISH, Key.Key_E, CTRL, mouse=lambda: checklist(startup).finish_button)
    walk.wait(FINISH, "结束检查窗口", lambda: is_finish_summary(startup))
    walk.type(FINISH, "现场检查发现三处隐患，已当场告知现场负责人。")
    walk.shot(FINISH, "结束检查")
    walk.key(FINISH, Key.Key_Return, CTRL, mouse=lambda: checklist(startup).dialog.finish_button)
    walk.wait(FINISH, "检查已结束", lambda: checklist(startup).read_only)
    walk.wait(
        FINISH, "焦点回到检查项", lambda: QApplication.focusWidget() is checklist(startup).tree
    )
    walk.shot(FINISH, "检查已结束")


def issue_documents(walk: Walk, startup: Startup) -> None:
    """Ctrl+D opens the 文书 window; per document: Alt+n drafts it from the inspection and
    opens it, Ctrl+Shift+I and Enter issue it, Esc closes the editor back onto its row."""
    walk.key(ISSUE, Key.Key_D, CTRL, mouse=lambda: checklist(startup).documents_button)
    walk.wait(ISSUE, "文书窗口", lambda: has_focus(InspectionDocumentsDialog))
    for number, (title, key) in enumerate(QUICK_DRAFT_KEYS.items()):
        walk.key(ISSUE, key, ALT, mouse=lambda n=number: documents_list().new_buttons[n])
        walk.wait(ISSUE, f"{title}编辑窗口", lambda: editor_ready())
        walk.shot(ISSUE, f"{title}草稿")
        walk.key(ISSUE, Key.Key_I, CTRL | SHIFT, mouse=lambda: editor().buttons["issue"])
        walk.wait(ISSUE, "签发确认", lambda: has_focus(QMessageBox))
        walk.key(ISSUE, Key.Key_Return, mouse=lambda: modal(QMessageBox).defaultButton())
        walk.wait(ISSUE, f"{title}已签发", lambda title=title: issued(startup, title))
        walk.shot(ISSUE, f"{title}已签发")
        walk.key(ISSUE, Key.Key_Escape, mouse=lambda: editor().close_button)
        walk.wait(ISSUE, "回到文书列表", lambda: back_in(InspectionDocumentsDialog))
    walk.shot(ISSUE, "文书窗口")


def export_pdfs(walk: Walk, documents_folder: Path) -> None:
    """Ctrl+Shift+E on the row, Enter on the proposed name; Up, and the same for the other."""
    for count in (1, 2):
        if count == 2:
            walk.key(EXPORT, Key.Key_Up, mouse=lambda: first_document_row())
        walk.key(EXPORT, Key.Key_E, CTRL | SHIFT, mouse=lambda: documents_list().pdf_button)
        walk.wait(EXPORT, "保存对话框", lambda: has_focus(QFileDialog))
        walk.shot(EXPORT, f"导出PDF{count}")
        walk.key(EXPORT, Key.Key_Return, mouse=lambda: dialog_button(modal(QFileDialog)))
        walk.wait(EXPORT, "PDF已写出", lambda count=count: pdf_count(documents_folder) == count)
        walk.wait(EXPORT, "回到文书列表", lambda: back_in(InspectionDocumentsDialog))


def batch_print(walk: Walk, documents_folder: Path) -> None:
    """Ctrl+A, Ctrl+Shift+P: the preview of both; Ctrl+P, Enter: printed to a PDF file."""
    if walk.mouse:  # into the list first: the last click was on a button
        walk.click(PRINT, "点击文书列表", first_document_row)
    walk.key(PRINT, Key.Key_A, CTRL)
    walk.key(PRINT, Key.Key_P, CTRL | SHIFT, mouse=lambda: documents_list().batch_button)
    walk.wait(PRINT, "预览打印", lambda: has_focus(QPrintPreviewDialog))
    walk.shot(PRINT, "预览打印")
    walk.key(PRINT, Key.Key_P, CTRL, mouse=lambda: print_tool_button())
    walk.wait(PRINT, "打印对话框", lambda: has_focus(QPrintDialog))
    walk.shot(PRINT, "打印")
    walk.key(PRINT, Key.Key_Return, mouse=lambda: dialog_button(modal(QPrintDialog)))
    walk.wait(PRINT, "打印文件已写出", lambda: printed(documents_folder))
    walk.wait(PRINT, "预览随打印关闭", lambda: visible(QPrintPreviewDialog) is None)
    walk.check(PRINT, "文书窗口仍在", lambda: visible(InspectionDocumentsDialog) is not None)


def start_dialog() -> QWidget:
    dialog = dialog_titled("新建现场检查")
    assert dialog is not None
    return dialog


def first_venue(startup: Startup) -> tuple[QWidget, QPoint]:
    results = start_dialog().venue.results
    return results.viewport(), results.visualItemRect(results.item(0)).center()


def documents_list():
    window = visible(InspectionDocumentsDialog)
    assert window is not None
    return window.documents


def first_document_row() -> tuple[QWidget, QPoint]:
    table = documents_list().table
    return table.viewport(), table.visualRect(table.model().index(0, 0)).center()


def editor() -> DocumentEditorDialog:
    window = visible(DocumentEditorDialog)
    assert isinstance(window, DocumentEditorDialog)
    return window


def modal(kind: type) -> QWidget:
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, kind), dialog
    return dialog


def dialog_button(dialog: QWidget) -> QWidget:
    """The accepting button (保存, 打印) of one of Qt's own dialogs."""
    box = dialog.findChild(QDialogButtonBox)
    return next(
        b for b in box.buttons() if box.buttonRole(b) == QDialogButtonBox.ButtonRole.AcceptRole
    )


def print_tool_button() -> QWidget:
    """The preview's 打印 tool button (its last, a printer icon)."""
    preview = visible(QPrintPreviewDialog)
    assert preview is not None
    buttons = [b for b in preview.findChildren(QToolButton) if b.defaultAction() is not None]
    return next(b for b in buttons if b.defaultAction().text() == "打印")


def visible(kind: type) -> QWidget | None:
    """The visible window of ``kind``, if one is open."""
    return next(
        (w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()), None
    )


def editor_ready() -> bool:
    return has_focus(DocumentEditorDialog)


def has_focus(kind: type) -> bool:
    """A window of ``kind`` is the active one and the focus is in it: the next key is its."""
    window, focus = QApplication.activeWindow(), QApplication.focusWidget()
    return isinstance(window, kind) and focus is not None and window.isAncestorOf(focus)


def has_focus_on(widget: QWidget) -> bool:
    return QApplication.focusWidget() is widget


def back_in(kind: type) -> bool:
    """Every dialog above it closed, a window of ``kind`` has the keyboard again."""
    return QApplication.activeModalWidget() is None and has_focus(kind)


def is_on_first_missing_field() -> bool:
    """The document opened by a refused step, the cursor in the first field it lacks."""
    window = visible(DocumentEditorDialog)
    if not isinstance(window, DocumentEditorDialog) or not window.missing:
        return False
    field = window.fields.get(window.missing[0])  # none until the form is built
    return field is not None and QApplication.focusWidget() is field.edit


def issued(startup: Startup, title: str) -> bool:
    return any(
        view.title == title and view.number
        for view in documents.inspection_document_views(
            main_window(startup).context.database,
            main_window(startup).context.actor,
            checklist(startup).inspection_id,
        )
    )


def pdf_count(folder: Path) -> int:
    return len([f for f in folder.glob("*.pdf") if not f.name.startswith(PRINT_FILE_PREFIX)])


def printed(folder: Path) -> bool:
    return any(f.stat().st_size > 0 for f in folder.glob(f"{PRINT_FILE_PREFIX}*.pdf"))


def is_finish_summary(startup: Startup) -> bool:
    dialog = checklist(startup).dialog
    return dialog is not None and QApplication.focusWidget() is getattr(dialog, "summary", None)


def saved_inspection(startup: Startup) -> InspectionView:
    """The inspection as the database holds it."""
    inspection_id = checklist(startup).inspection_id
    assert inspection_id is not None
    context = main_window(startup).context
    return inspections.open_inspection(context.database, context.actor, inspection_id)


def is_hazard_description(startup: Startup) -> bool:
    return QApplication.focusWidget() is checklist(startup).hazard_form.description


def dialog_titled(title: str):
    return next(
        (w for w in QApplication.topLevelWidgets() if w.isVisible() and w.windowTitle() == title),
        None,
    )


def focus_in_venue_search() -> bool:
    dialog = dialog_titled("新建现场检查")
    return dialog is not None and QApplication.focusWidget() is dialog.venue.search


def venue_found(startup: Startup) -> bool:
    dialog = dialog_titled("新建现场检查")
    if dialog is None or dialog.venue.results.count() == 0:
        return False
    return VENUE in dialog.venue.results.item(0).text()


def checklist(startup: Startup):
    return main_window(startup).pages["inspection"].checklist


def screens(tmp_path: Path) -> Path:
    """Where the screenshots of the walk go."""
    folder = tmp_path / "screens"
    folder.mkdir()
    return folder


def run(qtbot, walk: Walk) -> None:
    walk.start()
    qtbot.waitUntil(lambda: walk.done, timeout=240_000)
    if walk.failure is not None:
        raise walk.failure
    assert not walk.too_tall, walk.too_tall


def inspectors_visit(walk: Walk, startup: Startup, home: Path) -> None:
    """The whole visit, from the sign-in window to the printed documents."""
    sign_in(walk, startup, "zhangwei")
    start_inspection(walk, startup)
    answer_the_checklist(walk, startup)
    finish_inspection(walk, startup)
    issue_documents(walk, startup)
    export_pdfs(walk, home / "Documents")
    batch_print(walk, home / "Documents")


def check_the_visit(startup: Startup, walk: Walk, home: Path) -> None:
    """What the visit must have left: 30 answers, the three hazards as described, both
    documents exported and printed (the print job has every page of the two)."""
    assert walk.answers == ITEMS
    hazards = saved_inspection(startup).hazards
    assert sorted(h.description for h in hazards.values()) == sorted(HAZARDS.values())
    folder = home / "Documents"
    exported = sorted(f.name for f in folder.glob("*.pdf"))
    titles = [name.split("（")[0] for name in exported if not name.startswith(PRINT_FILE_PREFIX)]
    assert titles == ["现场检查记录", "责令限期整改指令书"]
    assert printed_pages(folder) == exported_pages(folder)


def test_an_inspector_walks_from_sign_in_to_printed_documents_keyboard_only(
    qtbot, startup: Startup, tmp_path: Path
):
    walk = Walk(screens(tmp_path))
    inspectors_visit(walk, startup, tmp_path)
    run(qtbot, walk)
    report(walk)
    check_the_visit(startup, walk, tmp_path)
    assert walk.actions[SIGN_IN] == 4
    assert sum(walk.actions.values()) <= ACTION_LIMIT


def test_the_same_visit_with_the_mouse_allowed_is_counted_too(
    qtbot, startup: Startup, tmp_path: Path
):
    """The mouse where a click replaces a key (buttons, rows): the keyboard path must not cost
    more than a few actions over it."""
    walk = Walk(screens(tmp_path), mouse=True)
    inspectors_visit(walk, startup, tmp_path)
    run(qtbot, walk)
    report(walk)
    check_the_visit(startup, walk, tmp_path)
    assert sum(walk.actions.values()) <= ACTION_LIMIT


CLERK = "内勤"
OPEN_CASE = "打开案件"
SERVE = "送达告知书"
CASE_PRINT = "打印告知书"
NOTICE = "行政处罚告知书"


def serve_and_print_the_notice(walk: Walk, startup: Startup, case: NoticeCase, home: Path) -> None:
    """Ctrl+4, Ctrl+F, the case's number (22号), Enter, Enter; Alt+1 送达行政处罚告知书: the
    recipient, Enter; the notice opens on what it still lacks: typed, Esc, Enter serves it;
    Ctrl+D, Ctrl+End, Ctrl+P, Ctrl+P, Enter print it."""
    case_id = case.case_id
    walk.key(OPEN_CASE, Key.Key_4, CTRL)
    walk.wait(OPEN_CASE, "案件列表", lambda: case_row(startup, case_id) >= 0)
    walk.key(OPEN_CASE, Key.Key_F, CTRL)
    walk.type(OPEN_CASE, case.serial)
    walk.key(OPEN_CASE, Key.Key_Return)
    walk.wait(OPEN_CASE, "找到案件", lambda: case_is_current(startup, case_id))
    walk.shot(OPEN_CASE, "案件管理")
    walk.key(OPEN_CASE, Key.Key_Return)
    walk.wait(OPEN_CASE, "案件页", lambda: is_on_step(startup, "serve_notice"))
    walk.shot(OPEN_CASE, "案件")
    walk.key(SERVE, Key.Key_1, ALT)
    walk.wait(SERVE, "送达窗口", lambda: is_in_step_field(startup, "recipient"))
    walk.type(SERVE, "欧阳晓东")
    walk.key(SERVE, Key.Key_Return)
    walk.wait(SERVE, "告知书缺项", lambda: is_on_first_missing_field())
    walk.shot(SERVE, "告知书缺项")
    walk.type(SERVE, "现场检查记录、询问笔录、培训档案复印件")
    walk.key(SERVE, Key.Key_Escape)
    walk.wait(SERVE, "回到送达窗口", lambda: is_in_step_field(startup, None))
    walk.key(SERVE, Key.Key_Return)
    walk.wait(SERVE, "告知书已送达", lambda: notice_status(startup, case_id) == "served")
    walk.wait(SERVE, "回到案件页", lambda: back_in(MainWindow))
    walk.shot(SERVE, "已送达")
    walk.key(CASE_PRINT, Key.Key_D, CTRL)
    walk.wait(CASE_PRINT, "文书标签", lambda: has_focus_on(case_documents(startup).table))
    walk.key(CASE_PRINT, Key.Key_End, CTRL)
    walk.check(CASE_PRINT, "选中告知书", lambda: case_documents(startup).current().title == NOTICE)
    walk.key(CASE_PRINT, Key.Key_P, CTRL)
    walk.wait(CASE_PRINT, "预览打印", lambda: has_focus(QPrintPreviewDialog))
    walk.shot(CASE_PRINT, "预览打印")
    walk.key(CASE_PRINT, Key.Key_P, CTRL)
    walk.wait(CASE_PRINT, "打印对话框", lambda: has_focus(QPrintDialog))
    walk.key(CASE_PRINT, Key.Key_Return)
    walk.wait(CASE_PRINT, "打印文件已写出", lambda: printed(home / "Documents"))


def case_is_current(startup: Startup, case_id: str) -> bool:
    table = main_window(startup).pages["cases"].table
    return table.currentIndex().isValid() and table.selected_id() == case_id


def case_page(startup: Startup):
    return main_window(startup).pages["case"]


def case_row(startup: Startup, case_id: str) -> int:
    """The case's row in the 案件管理 list that has the keyboard (-1 until it is listed)."""
    page = main_window(startup).pages.get("cases")
    if page is None or QApplication.focusWidget() is not page.table:
        return -1
    return page.model.row_of(case_id)


def is_on_step(startup: Startup, code: str) -> bool:
    page = main_window(startup).pages.get("case")
    return page is not None and QApplication.focusWidget() is page.step_buttons.get(code)


def is_in_step_field(startup: Startup, name: str | None) -> bool:
    dialog = case_page(startup).dialog
    focus = QApplication.focusWidget()
    if dialog is None or focus is None or not dialog.isAncestorOf(focus):
        return False
    return name is None or focus is dialog.fields[name]


def case_documents(startup: Startup):
    return case_page(startup).document_list


def notice_status(startup: Startup, case_id: str) -> str:
    context = main_window(startup).context
    views = documents.case_document_views(context.database, context.actor, case_id)
    return next((view.status for view in views if view.title == NOTICE), "")


def test_a_clerk_serves_and_prints_the_notice_of_a_case_keyboard_only(
    qtbot, case_at_notice: NoticeCase, startup: Startup, tmp_path: Path
):
    walk = Walk(screens(tmp_path))
    sign_in(walk, startup, "wangfang")
    serve_and_print_the_notice(walk, startup, case_at_notice, tmp_path)
    run(qtbot, walk)
    report(walk)
    assert notice_status(startup, case_at_notice.case_id) == "served"
    assert printed_pages(tmp_path / "Documents") >= 1
    assert sum(walk.actions.values()) <= CLERK_ACTION_LIMIT


def printed_pages(folder: Path) -> int:
    return sum(pdf_pages(f) for f in folder.glob(f"{PRINT_FILE_PREFIX}*.pdf"))


def exported_pages(folder: Path) -> int:
    files = [f for f in folder.glob("*.pdf") if not f.name.startswith(PRINT_FILE_PREFIX)]
    return sum(pdf_pages(f) for f in files)


def report(walk: Walk) -> None:
    """What the closing note quotes: actions per phase, answers, the slowest wait for the
    screen, how long keys took to handle, the screens photographed."""
    seconds, what = walk.slowest()
    print(
        f"\n操作数（不含 {walk.answers} 个答案键）：{sum(walk.actions.values())}",
        dict(walk.actions),
    )
    print(f"最慢一步：{seconds * 1000:.0f} ms（{what}）")
    keys = sorted(walk.key_times)
    middle, longest = keys[len(keys) // 2] * 1000, keys[-1] * 1000
    print(f"按键处理（{len(keys)} 次）：中位 {middle:.0f} ms，最长 {longest:.0f} ms")
    print("截图：", "；".join(walk.screens))

"""The 企业台账 page driven with real clicks and key presses, as an inspector would."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.registry import registry
from tests.ui.conftest import MakeContext, type_text
from ui.dialogs.enterprise_dialog import EnterpriseDialog
from ui.dialogs.import_report_dialog import ImportReportDialog
from ui.pages.registry_page import RegistryPage

GOOD_USCC = "91440101MA5CJQ4N59"
BAD_CHECK_USCC = "91440101MA5CJQ4N58"


def open_page(
    qtbot: QtBot, make_context: MakeContext, actor: Actor, wait: Callable[[], None]
) -> RegistryPage:
    page = RegistryPage(make_context(actor))
    qtbot.addWidget(page)
    page.show()
    wait()
    return page


def fill_required(qtbot: QtBot, dialog: EnterpriseDialog, uscc: str) -> None:
    type_text(qtbot, dialog.edits["name"], "深圳市福田区园岭测试五金店")
    qtbot.keyClicks(dialog.edits["uscc"], uscc)
    type_text(qtbot, dialog.edits["address"], "深圳市福田区园岭街道红荔路1号")
    type_text(qtbot, dialog.edits["contact_name"], "李四")
    dialog.street.setCurrentText("园岭街道")
    box = dialog.category_boxes["three_small.shop"]
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert box.isChecked()


def click_save(qtbot: QtBot, dialog: EnterpriseDialog) -> None:
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)


def test_invalid_uscc_shows_chinese_message_in_dialog(qtbot, make_context, inspector, wait_idle):
    """A USCC with a wrong check character is explained beside the field and nothing is saved."""
    page = open_page(qtbot, make_context, inspector, wait_idle)
    before = registry.count_enterprises(page._context.database)
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert isinstance(dialog, EnterpriseDialog)
    fill_required(qtbot, dialog, BAD_CHECK_USCC)
    click_save(qtbot, dialog)
    message = dialog.errors["uscc"].text()
    assert "校验位不符" in message and "第18位应为“9”" in message
    assert dialog.errors["uscc"].isVisible()
    assert dialog.isVisible()
    assert dialog.edits["uscc_override_reason"].isVisibleTo(dialog)
    assert registry.count_enterprises(page._context.database) == before


def test_overriding_a_bad_check_character_with_a_reason_saves(
    qtbot, make_context, inspector, wait_idle
):
    """Writing a reason in 校验位不符说明 lets the inspector save a code real registers contain."""
    page = open_page(qtbot, make_context, inspector, wait_idle)
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    fill_required(qtbot, dialog, BAD_CHECK_USCC)
    click_save(qtbot, dialog)
    type_text(qtbot, dialog.edits["uscc_override_reason"], "已核对营业执照原件，代码无误")
    with qtbot.waitSignal(dialog.accepted):
        click_save(qtbot, dialog)
    wait_idle()
    ids = registry.search_enterprise_ids(page._context.database, BAD_CHECK_USCC)
    assert len(ids) == 1
    assert registry.load_draft(page._context.database, ids[0]).uscc_override_reason


def test_hard_errors_are_listed_per_field(qtbot, make_context, inspector, wait_idle):
    """Missing name, address, street and category each get their own red message."""
    page = open_page(qtbot, make_context, inspector, wait_idle)
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    qtbot.keyClicks(dialog.edits["contact_phone"], "12345")
    click_save(qtbot, dialog)
    for field in ("name", "address", "street", "categories", "contact_phone", "uscc"):
        assert dialog.errors[field].text(), field
    assert "手机号" in dialog.errors["contact_phone"].text()


def test_two_character_name_search_finds_the_row(qtbot, make_context, inspector, wait_idle):
    """Typing a two-character person's name (李四) into the search box shows that enterprise."""
    page = open_page(qtbot, make_context, inspector, wait_idle)
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    fill_required(qtbot, dialog, GOOD_USCC)
    with qtbot.waitSignal(dialog.accepted):
        click_save(qtbot, dialog)
    wait_idle()
    saved = registry.load_draft(page._context.database, page.selected_id())
    assert saved.name == "深圳市福田区园岭测试五金店"  # the new enterprise is selected
    type_text(qtbot, page.search, "李四")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=5000)
    name = page.model.index(0, 0).data()
    assert name == "深圳市福田区园岭测试五金店"
    assert "共 1 家" in page.count_label.text()


def test_search_enter_moves_to_results_and_enter_opens_editor(
    qtbot, make_context, inspector, wait_idle
):
    """Keyboard-first: type, Enter to the list, Enter to edit the selected enterprise."""
    page = open_page(qtbot, make_context, inspector, wait_idle)
    first_name = page.model.index(0, 0).data()
    type_text(qtbot, page.search, first_name)
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    wait_idle()
    assert page.model.rowCount() >= 1
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    dialog = page.dialog
    assert isinstance(dialog, EnterpriseDialog)
    assert dialog.edits["name"].text() == first_name
    dialog.reject()


def test_legal_reviewer_cannot_add(qtbot, make_context, sign_in, wait_idle):
    """Roles without the edit permission see the add button disabled."""
    page = open_page(qtbot, make_context, sign_in("chenjing"), wait_idle)
    assert not page.add_button.isEnabled()


def test_excel_import_shows_per_row_report(qtbot, make_context, sign_in, wait_idle, tmp_path: Path):
    """The clerk's import lists each bad row with its column and reason, and imports the rest."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["名称", "统一社会信用代码", "地址", "街道", "类别", "联系电话"])
    sheet.append(
        [
            "深圳市好运来便利店",
            GOOD_USCC,
            "深圳市福田区园岭街道八卦一路2号",
            "园岭街道",
            "三小场所·小档口",
            "13800138000",
        ]
    )
    sheet.append(
        [
            "深圳市坏码商行",
            "9144010IMA5CJQ4N5",
            "深圳市福田区园岭街道八卦一路3号",
            "园岭街道",
            "三小场所·小档口",
            "",
        ]
    )
    path = tmp_path / "import.xlsx"
    workbook.save(path)
    page = open_page(qtbot, make_context, sign_in("wangfang"), wait_idle)
    page.run_import(path)
    qtbot.waitUntil(
        lambda: isinstance(getattr(page, "dialog", None), ImportReportDialog), timeout=10_000
    )
    dialog = page.dialog
    assert "成功导入 1 家" in dialog.summary.text()
    assert dialog.table.rowCount() >= 1
    assert dialog.table.item(0, 0).text() == "3"
    assert dialog.table.item(0, 1).text() == "统一社会信用代码"
    close = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close)
    assert close.text() == "关闭"

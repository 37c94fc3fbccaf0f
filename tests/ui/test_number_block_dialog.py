"""The 文号号段 dialog: reached from 用户管理, it adds blocks and saves the numbering settings."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from fuanjian_desktop.domain.numbering import Convention
from fuanjian_desktop.services.numbering import numbering_state
from tests.ui.conftest import type_text
from ui.dialogs.number_block_dialog import NO_BLOCKS, NumberBlockDialog
from ui.pages.users_page import UsersPage


def users_page(qtbot, make_context, sign_in) -> UsersPage:
    page = UsersPage(make_context(sign_in("zhaolei")))
    qtbot.addWidget(page)
    page.show()
    return page


def open_dialog(qtbot, page: UsersPage, wait) -> NumberBlockDialog:
    qtbot.mouseClick(page.numbering_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert isinstance(dialog, NumberBlockDialog) and dialog.isVisible()
    wait()
    return dialog


def listed(dialog: NumberBlockDialog) -> list[str]:
    return [dialog.blocks.item(row).text() for row in range(dialog.blocks.count())]


def enter_block(qtbot, dialog: NumberBlockDialog, year: int, first: int, last: int) -> None:
    for spin, value in ((dialog.year, year), (dialog.first, first), (dialog.last, last)):
        spin.selectAll()
        qtbot.keyClicks(spin, str(value))
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)


def test_adds_a_block_and_refuses_an_overlapping_one(
    qtbot, make_context, sign_in, demo_database, wait_idle
):
    """A new block appears in the list; one overlapping it is refused in red, in Chinese."""
    page = users_page(qtbot, make_context, sign_in)
    dialog = open_dialog(qtbot, page, wait_idle)
    assert dialog.prefix.text() == "深福"

    enter_block(qtbot, dialog, 2031, 1, 300)
    wait_idle()
    assert "深福 2031年 第1–300号" in listed(dialog) and NO_BLOCKS not in listed(dialog)
    assert dialog.notice.text() == "已录入2031年第1–300号。" and not dialog.error.text()

    enter_block(qtbot, dialog, 2031, 200, 400)
    wait_idle()
    assert "重叠" in dialog.error.text() and not dialog.notice.text()
    assert "深福 2031年 第200–400号" not in listed(dialog)


def test_saves_prefix_and_convention_and_refuses_an_empty_prefix(
    qtbot, make_context, sign_in, demo_database, wait_idle
):
    """保存设置 stores the new 机关代字 and 编号方式; an empty 机关代字 is refused."""
    page = users_page(qtbot, make_context, sign_in)
    dialog = open_dialog(qtbot, page, wait_idle)
    dialog.prefix.clear()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "机关代字不能为空" in dialog.error.text()

    type_text(qtbot, dialog.prefix, "深福应急")
    dialog.convention.setCurrentIndex(dialog.convention.findText(Convention.PER_CASE.label))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle()
    assert dialog.notice.text() == "文号设置已保存。" and not dialog.error.text()
    settings = numbering_state(demo_database, sign_in("zhangwei")).settings
    assert (settings.prefix, settings.convention) == ("深福应急", Convention.PER_CASE)
    assert dialog.prefix.text() == "深福应急"


def test_enter_in_a_blocks_numbers_adds_the_block(
    qtbot, make_context, sign_in, demo_database, wait_idle
):
    """The cursor in 止号, Enter adds the block (not 保存设置, the dialog's first button)."""
    page = users_page(qtbot, make_context, sign_in)
    dialog = open_dialog(qtbot, page, wait_idle)
    for spin, value in ((dialog.year, 2032), (dialog.first, 1), (dialog.last, 50)):
        spin.setFocus()
        spin.selectAll()
        qtbot.keyClicks(spin, str(value))
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    wait_idle()
    assert "深福 2032年 第1–50号" in listed(dialog)

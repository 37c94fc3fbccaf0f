"""The main window: pages by role, the demo banner, the status bar."""

from __future__ import annotations

import pytest

from ui.main_window import SYNC_STATE, MainWindow


def make_window(qtbot, make_context, actor, wait_idle) -> MainWindow:
    window = MainWindow(make_context(actor))
    qtbot.addWidget(window)
    window.show()
    wait_idle()
    return window


def nav_titles(window: MainWindow) -> list[str]:
    return [
        window.navigation.item(row).text().split()[0] for row in range(window.navigation.count())
    ]


def test_inspector_sees_only_pages_they_may_use(qtbot, make_context, inspector, wait_idle):
    """An inspector gets the field-work pages and the registry, not the audit log or users."""
    window = make_window(qtbot, make_context, inspector, wait_idle)
    assert nav_titles(window) == ["工作台", "现场检查", "隐患台账", "企业台账"]
    assert window.stack.currentWidget() is window.pages["workbench"]
    with pytest.raises(KeyError):
        window.show_page("users")


def test_admin_sees_audit_and_users(qtbot, make_context, sign_in, wait_idle):
    """The administrator also gets 操作日志 and 用户管理, reachable by name."""
    window = make_window(qtbot, make_context, sign_in("zhaolei"), wait_idle)
    assert nav_titles(window) == [
        "工作台",
        "现场检查",
        "隐患台账",
        "企业台账",
        "操作日志",
        "用户管理",
    ]
    window.show_page("audit")
    wait_idle()
    assert window.stack.currentWidget() is window.pages["audit"]
    assert window.pages["audit"].model.rowCount() > 0


def test_status_bar_and_demo_banner(qtbot, make_context, inspector, wait_idle):
    """User, squad and sync state are in the status bar; demo data carries the banner."""
    window = make_window(qtbot, make_context, inspector, wait_idle)
    assert "张伟" in window.user_label.text() and "执法人员" in window.user_label.text()
    assert "园岭测试中队" in window.squad_label.text()
    assert window.sync_label.text() == SYNC_STATE == "同步：未配置同步"
    assert "演示数据" in window.banner.text() and window.banner.isVisible()


def test_workbench_resumes_an_unfinished_inspection(
    qtbot, make_context, inspector, wait_idle, start_inspection
):
    """继续检查 on the 工作台 switches to 现场检查 with that inspection open."""
    inspection_id = start_inspection()
    window = make_window(qtbot, make_context, inspector, wait_idle)
    window.pages["workbench"].open_inspection.emit(inspection_id)
    wait_idle()
    assert window.stack.currentWidget() is window.pages["inspection"]
    assert window.pages["inspection"].checklist.inspection_id == inspection_id


def test_inspect_this_venue_from_the_registry(qtbot, make_context, inspector, wait_idle):
    """检查此场所 opens 新建检查 on the 现场检查 page with that venue already chosen."""
    window = make_window(qtbot, make_context, inspector, wait_idle)
    window.show_page("registry")
    wait_idle()
    registry_page = window.pages["registry"]
    venue_id = registry_page.selected_id()
    assert venue_id and registry_page.inspect_button.isEnabled()
    registry_page.inspect_button.click()
    wait_idle()
    dialog = window.pages["inspection"].dialog
    assert window.stack.currentWidget() is window.pages["inspection"]
    assert dialog is not None and dialog.isVisible()
    assert dialog.venue.selected_id() == venue_id
    dialog.reject()

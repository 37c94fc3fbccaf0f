"""The 同步 page: the state for everyone, enrollment and the interval for the 管理员, and the 冲突
list settled by a squad leader, legal reviewer or administrator."""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.models import Enterprise, SyncConflict
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.sync_client.settings import sync_interval_minutes
from tests.ui.conftest import MakeContext, active_main_window, type_text
from ui.main_window import MainWindow
from ui.sync.sync_page import SyncPage

OLD_PHONE, NEW_PHONE = "0755-83330001", "0755-83339999"


def sync_page(
    qtbot: QtBot, make_context: MakeContext, actor: Actor, wait_idle: Callable[[], None]
) -> tuple[MainWindow, SyncPage]:
    window = active_main_window(qtbot, make_context(actor))
    window.show_page("sync")
    wait_idle()
    page = window.pages["sync"]
    assert isinstance(page, SyncPage)
    return window, page


def click(qtbot: QtBot, button: Any) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_an_inspector_sees_the_state_but_neither_enrolls_nor_sets_the_interval(
    qtbot: QtBot, make_context: MakeContext, inspector: Actor, wait_idle: Callable[[], None]
) -> None:
    """未接入区局 for everyone; the form and the interval are the administrator's; the page
    keeps the window active with the keyboard in it (no stray window of its own)."""
    window, page = sync_page(qtbot, make_context, inspector, wait_idle)
    assert QApplication.activeWindow() is window and QApplication.focusWidget() is not None
    tab = page.settings
    assert tab.values["state"].text() == "未接入区局"
    assert tab.values["last_success"].text() == "从未"
    assert not tab.enroll_box.isVisible()
    assert not tab.minutes.isEnabled() and not tab.save_interval_button.isEnabled()
    assert not tab.sync_button.isEnabled()
    assert tab.minutes.value() == 15  # the default, read from this laptop


def test_the_enrollment_form_asks_for_what_it_lacks(
    qtbot: QtBot, make_context: MakeContext, sign_in: Any, wait_idle: Callable[[], None]
) -> None:
    """Address and code are needed; the CA file and the fingerprint are one or the other."""
    _window, page = sync_page(qtbot, make_context, sign_in("zhaolei"), wait_idle)
    tab = page.settings
    assert tab.enroll_box.isVisible()
    click(qtbot, tab.enroll_button)
    assert tab.enroll_message.text() == "请填写区局地址和接入码。"
    type_text(qtbot, tab.hq_url, "https://127.0.0.1:8765")
    type_text(qtbot, tab.code, "ABCD-EFGH-JKMN-PQRS")
    type_text(qtbot, tab.ca_file, "/tmp/ca.pem")
    type_text(qtbot, tab.pin, "ab" * 32)
    click(qtbot, tab.enroll_button)
    assert tab.enroll_message.text() == "CA 证书文件和证书指纹只填一项即可。"


def test_enrolling_with_hq_out_of_reach_says_so_in_chinese(
    qtbot: QtBot, make_context: MakeContext, sign_in: Any, wait_idle: Callable[[], None]
) -> None:
    """Nobody listens at the address: the message names it, the form stays to try again."""
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    _window, page = sync_page(qtbot, make_context, sign_in("zhaolei"), wait_idle)
    tab = page.settings
    type_text(qtbot, tab.hq_url, url)
    type_text(qtbot, tab.code, "ABCD-EFGH-JKMN-PQRS")
    click(qtbot, tab.enroll_button)
    assert not tab.enroll_button.isEnabled() and tab.enroll_message.text() == "正在连接区局…"
    wait_idle()
    assert tab.enroll_message.text().startswith(f"无法连接区局服务器（{url}）")
    assert tab.enroll_button.isEnabled() and tab.enroll_box.isVisible()


def test_the_administrator_saves_the_interval_and_the_runner_follows(
    qtbot: QtBot,
    make_context: MakeContext,
    sign_in: Any,
    demo_database: Database,
    wait_idle: Callable[[], None],
) -> None:
    """保存间隔: stored for this laptop, and the window's runner plans by it at once."""
    window, page = sync_page(qtbot, make_context, sign_in("zhaolei"), wait_idle)
    tab = page.settings
    tab.minutes.setValue(30)
    click(qtbot, tab.save_interval_button)
    wait_idle()
    assert tab.interval_message.text() == "已保存：每 30 分钟自动同步。"
    assert sync_interval_minutes(demo_database) == 30
    assert window.sync_bar.runner.interval == dt.timedelta(minutes=30)


def add_conflicts(database: Database, squad_id: str) -> str:
    """A field conflict on a 园岭 enterprise's phone, and an issued document's content that
    arrived different (which only HQ's value can settle); returns the enterprise's id."""
    with database.write() as session:
        enterprise = session.scalars(
            select(Enterprise).where(Enterprise.street == "园岭街道").order_by(Enterprise.name)
        ).first()
        assert enterprise is not None
        enterprise.contact_phone = OLD_PHONE
        common = {"squad_id": squad_id, "device_id": "01JHQ000000000000000000000"}
        session.add(
            SyncConflict(
                entity_type="enterprise",
                entity_id=enterprise.id,
                kind="field",
                field="contact_phone",
                hq_value=OLD_PHONE,
                device_value=NEW_PHONE,
                detected_at=dt.datetime(2026, 12, 7, 1, 0, tzinfo=dt.UTC),
                **common,
            )
        )
        session.add(
            SyncConflict(
                entity_type="case_document",
                entity_id="01JDOC0000000000000000000X",
                kind="immutable",
                field="sheet",
                hq_value={"案由": "未按规定进行安全生产教育"},
                device_value={"案由": "未按规定配备灭火器"},
                detected_at=dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC),
                **common,
            )
        )
        return enterprise.id


def test_the_conflict_list_shows_both_values_in_chinese(
    qtbot: QtBot,
    make_context: MakeContext,
    sign_in: Any,
    demo_database: Database,
    wait_idle: Callable[[], None],
) -> None:
    """Each conflict: the record, the kind, the field and both values, in Chinese; the tab and
    the status bar count them."""
    admin = sign_in("zhaolei")
    add_conflicts(demo_database, admin.squad_id)
    window, page = sync_page(qtbot, make_context, admin, wait_idle)
    tab = page.conflicts
    model = tab.model
    assert model.rowCount() == 2
    texts = [[model.index(row, col).data() for col in range(6)] for row in range(2)]
    assert texts[0][0].startswith("企业 ")
    assert texts[0][1:5] == ["双方改了同一字段", "联系电话", OLD_PHONE, NEW_PHONE]
    assert texts[1][0] == "文书 01JDOC0000000000000000000X"
    assert texts[1][1:3] == ["已签发或已归档，内容不同", "sheet"]
    assert "未按规定配备灭火器" in texts[1][4]
    assert page.tabs.tabText(1) == "冲突（2）"
    assert window.sync_bar.conflicts_button.text() == "冲突 2"
    assert tab.hq_value.toPlainText() == OLD_PHONE  # the first row, selected
    tab.table.selectRow(1)
    assert not tab.keep_device.isEnabled() and tab.keep_hq.isEnabled()


def test_the_administrator_keeps_this_laptops_value_with_a_reason(
    qtbot: QtBot,
    make_context: MakeContext,
    sign_in: Any,
    demo_database: Database,
    wait_idle: Callable[[], None],
) -> None:
    """采用上传的值: the field takes the uploaded value, the conflict is settled with the reason
    and leaves the list; the status bar's count follows."""
    admin = sign_in("zhaolei")
    enterprise_id = add_conflicts(demo_database, admin.squad_id)
    window, page = sync_page(qtbot, make_context, admin, wait_idle)
    tab = page.conflicts
    type_text(qtbot, tab.note, "经与企业核实，新号码有效")
    click(qtbot, tab.keep_device)
    wait_idle()
    assert tab.model.rowCount() == 1
    with demo_database.read() as session:
        assert session.get(Enterprise, enterprise_id).contact_phone == NEW_PHONE  # type: ignore[union-attr]
        settled = session.scalars(
            select(SyncConflict).where(SyncConflict.entity_id == enterprise_id)
        ).one()
        assert (settled.resolution, settled.resolution_note) == (
            "device",
            "经与企业核实，新号码有效",
        )
        assert settled.resolved_by_name == admin.full_name
    assert window.sync_bar.conflicts_button.text() == "冲突 1"
    assert page.tabs.tabText(1) == "冲突（1）"


@pytest.mark.parametrize("username", ["zhangwei", "wangfang"])
def test_other_roles_see_conflicts_but_cannot_settle_them(
    qtbot: QtBot,
    make_context: MakeContext,
    sign_in: Any,
    demo_database: Database,
    wait_idle: Callable[[], None],
    username: str,
) -> None:
    """An inspector or clerk reads the list; the choices are off and say who may choose."""
    actor = sign_in(username)
    add_conflicts(demo_database, actor.squad_id)
    _window, page = sync_page(qtbot, make_context, actor, wait_idle)
    tab = page.conflicts
    assert tab.model.rowCount() == 2
    assert not tab.keep_hq.isEnabled() and not tab.keep_device.isEnabled()
    assert tab.message.text() == "只有中队负责人、法制审核员或管理员可以处理同步冲突；您可以查看。"


def test_the_lock_and_signing_out_stop_the_windows_sync(
    qtbot: QtBot, make_context: MakeContext, inspector: Actor, wait_idle: Callable[[], None]
) -> None:
    """立即锁定 holds every round back (同步 does nothing); hiding the window to sign out ends
    the runner for good, even after the lock has gone."""
    window = active_main_window(qtbot, make_context(inspector))
    wait_idle()
    runner = window.sync_bar.runner
    window.idle_lock.lock()
    assert not runner.run_now() and not runner.running
    window.hide()  # 退出登录 hides the window first (which also ends the lock)
    assert not window.idle_lock.locked
    assert not runner.run_now() and not runner.running

"""The desktop against a real HQ: ``hq serve`` on loopback (SQLite), the demo laptop of 园岭
enrolled from the 同步 page and synced with the real ``run_round`` through the window's
runner; then HQ revokes it and the status bar says so in Chinese."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select, text

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.hq.database import open_hq
from fuanjian_desktop.hq.devices import revoke_device
from fuanjian_desktop.models import Case
from tests.support.server import HqServer, HqTemplates, quick_code, running_hq
from tests.ui.conftest import MakeContext, active_main_window, type_text
from ui.sync.sync_page import SyncPage

pytestmark = pytest.mark.timeout(300)
ROUND_TIMEOUT_MS = 240_000  # the demo's first push, on a loaded two-core machine


@pytest.fixture
def hq(hq_templates: HqTemplates, tmp_path: Path) -> Iterator[HqServer]:
    """A running ``hq serve`` on a fresh initialised SQLite HQ database."""
    for url in hq_templates.fresh("sqlite", tmp_path):
        with running_hq(url, tmp_path / "hq-data") as server:
            yield server


def hq_case_count(server: HqServer, squad_id: str) -> int:
    """How many cases of the squad HQ's mirror holds."""
    db = open_hq(server.db_url)
    try:
        with db.read() as session:
            query = text("SELECT count(*) FROM enforcement_case WHERE squad_id = :squad")
            return int(session.execute(query, {"squad": squad_id}).scalar_one())
    finally:
        db.close()


def test_enroll_sync_and_revocation_from_the_window(
    qtbot: QtBot,
    make_context: MakeContext,
    sign_in: Any,
    demo_database: Database,
    hq: HqServer,
    wait_idle: Callable[[], None],
) -> None:
    """接入区局 with the address and a fresh 接入码, then 立即同步: the squad's cases reach HQ,
    the status bar shows today's sync and nothing pending; revoked at HQ, the next 同步 turns
    the line red with the Chinese reason and plans no more automatic rounds."""
    admin = sign_in("zhaolei")
    window = active_main_window(qtbot, make_context(admin))
    window.show_page("sync")
    wait_idle()
    page = window.pages["sync"]
    assert isinstance(page, SyncPage)
    tab, bar = page.settings, window.sync_bar
    type_text(qtbot, tab.hq_url, hq.url)
    type_text(qtbot, tab.code, quick_code(hq.db_url, "园岭"))
    qtbot.mouseClick(tab.enroll_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.values["state"].text() == "已接入区局", timeout=60_000)
    assert tab.enroll_message.text().startswith("已接入区局：本机编号 ")
    assert not tab.enroll_box.isVisible()
    assert tab.values["squad"].text() == "园岭街道应急管理执法中队"

    with qtbot.waitSignal(bar.runner.succeeded, timeout=ROUND_TIMEOUT_MS) as done:
        qtbot.mouseClick(tab.sync_button, Qt.MouseButton.LeftButton)
    assert done.args[0].pushed > 0
    qtbot.waitUntil(lambda: bar.line.full_text().startswith("上次同步：今天"), timeout=30_000)
    assert bar.line.full_text().endswith("待上传：0")
    assert tab.values["pending"].text().startswith("0 条")
    with demo_database.read() as session:
        own_cases = session.scalar(
            select(func.count()).select_from(Case).where(Case.squad_id == admin.squad_id)
        )
    assert own_cases and hq_case_count(hq, admin.squad_id or "") == own_cases

    db = open_hq(hq.db_url)
    try:
        revoke_device(db, tab.values["device_id"].text(), "笔记本遗失")
    finally:
        db.close()
    plans: list[object] = []
    bar.runner.next_attempt.connect(plans.append)
    with qtbot.waitSignal(bar.runner.ended, timeout=60_000):
        focused = QApplication.focusWidget()
        assert focused is not None
        qtbot.keyClick(focused, Qt.Key.Key_F5)  # as a person presses it
    qtbot.waitUntil(lambda: bar.line.full_text().startswith("同步已停用"), timeout=30_000)
    assert bar.line.styleSheet() == "color: #b3261e;"
    assert plans[-1] is None  # no automatic round any more
    device = tab.values["device_id"].text()
    assert tab.values["state"].text() == "同步已停用：本机已被区局停用同步，请联系区局管理员。"
    revoked = f"本机已被区局停用同步（设备 {device}），请联系区局管理员。"
    assert tab.values["last_error"].text() == revoked

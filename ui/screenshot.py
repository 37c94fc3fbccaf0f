"""``main.py screenshot``: sign in a demo account offscreen, show a page, save it as PNG.

Used for the README and by reviewers to see the app without a display.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from PySide6.QtWidgets import QApplication

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.demo import demo
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.resources import resource_path
from fuanjian_desktop.services import auth
from fuanjian_desktop.services.setup import installation
from ui.app import make_application
from ui.pages.case_page import CasePage
from ui.shell import build_main_window
from ui.workers import Workers

SETTLE_TIMEOUT_S = 10.0
SCREEN_SIZE = (1366, 768)


def take_screenshot(
    database: Database, out: Path, page: str | None, username: str, case_id: str | None = None
) -> None:
    """Render the main window (or ``page``; for ``case``, the case ``case_id``; ``conflicts``:
    the 同步 page's 冲突 tab) as ``username`` would see it and save ``out``; closes
    ``database`` (opened by ``main.open_for_command``)."""
    if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":  # not Qt's 800×600
        screen = resource_path("screens", "laptop-1366x768.json")
        os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={screen}"
    make_application()
    workers = Workers()
    try:
        if not installation(database).is_demo:
            raise UserError(
                "截图需要演示数据：请先运行 python main.py demo --data-dir 同一文件夹。"
            )
        actor = auth.sign_in(database, username, demo.DEMO_PASSWORD)
        window = build_main_window(database, actor, workers)
        window.show()
        window.resize(*SCREEN_SIZE)  # after show: the image is the screen's, frame or not
        # activation focuses the navigation, which then selects its first row: let that
        # happen before a page without a row (the case page) is shown
        QApplication.processEvents()
        if page == "conflicts":  # the 同步 page on its 冲突 tab
            window.show_conflicts()
        elif page:
            try:
                window.show_page(page)
            except KeyError as error:
                raise UserError(str(error.args[0])) from error
        if page == "case" and case_id:
            case_page = window.page("case")
            assert isinstance(case_page, CasePage)
            case_page.show_case(case_id)
        settle(workers)
        out.parent.mkdir(parents=True, exist_ok=True)
        if not window.grab().save(str(out), "PNG"):
            raise UserError(f"无法写入截图文件“{out}”，请检查路径和权限。")
        window.close()
    finally:
        workers.shutdown()
        QApplication.processEvents()
        database.close()


def settle(workers: Workers) -> None:
    """Process events until background work has reported back and the window has painted."""
    deadline = time.monotonic() + SETTLE_TIMEOUT_S
    QApplication.processEvents()
    while workers.busy() and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.01)
    for _ in range(5):
        QApplication.processEvents()

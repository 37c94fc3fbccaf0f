"""One timed start, run by ``bench/startup.py`` in a fresh process: ``bare`` or ``app``.

``python bench/startup_child.py bare`` shows a plain QMainWindow with a QLabel;
``python bench/startup_child.py app DATA_DIR`` builds the real main window the way
``ui.app.run_gui`` does after sign-in (demo inspector zhangwei). Both print one line,
``READY {json}``, right after the window has painted — for ``app`` only once the 工作台 (the
first page) has its lists back from the workers and painted — and then exit. The parent times from
starting the process to that line; the JSON holds the child's own phase marks (ms since the
first line of this file ran), the instrumented costs (argon2, first query, fonts) and which
optional heavy libraries the start imported.

Only the standard library is imported at the top, so both modes start identically.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import json  # noqa: E402 — after the clock starts, on purpose
import os  # noqa: E402
import sys  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TIMEOUT_MS = 60_000
HEAVY_MODULES = ("alembic", "mako", "openpyxl", "reportlab", "docx", "PIL", "lxml")
marks: dict[str, float] = {}
costs: dict[str, float] = {}


def now_ms() -> float:
    """Milliseconds since this process started running Python code of ours."""
    return (time.perf_counter() - STARTED) * 1000


def mark(phase: str) -> None:
    """Record that ``phase`` has just ended."""
    marks[phase] = now_ms()


def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` wrapped to add its duration to ``costs[name]`` (instrumentation only)."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            costs[name] = costs.get(name, 0.0) + (time.perf_counter() - started) * 1000

    return wrapper


def paint_watcher(app: Any, window: Any, ready: Callable[[float], bool]) -> Any:
    """An app-wide event filter that quits the event loop once ``ready(paint_time)`` holds."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QWidget

    class Watcher(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and isinstance(watched, QWidget):
                painted = now_ms()
                marks.setdefault("first_paint", painted)
                if watched.window() is window and ready(painted):
                    QTimer.singleShot(0, app.quit)
            return False

    watcher = Watcher()
    app.installEventFilter(watcher)
    QTimer.singleShot(TIMEOUT_MS, lambda: app.exit(3))
    return watcher


def run_bare() -> int:
    """A bare PySide6 window: the floor any Qt app pays to show something."""
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    mark("imports")
    app = QApplication(sys.argv)
    window = QMainWindow()
    window.setCentralWidget(QLabel("福安监"))
    window.resize(1366, 768)
    mark("window_built")
    _watcher = paint_watcher(app, window, lambda _painted: True)
    window.show()
    mark("shown")
    return app.exec()


def run_app(data_dir: str) -> int:
    """The real main window for the demo inspector, as ``run_gui`` builds it after sign-in."""
    from fuanjian_desktop.config import resolve_data_folder
    from fuanjian_desktop.demo import demo
    from fuanjian_desktop.services import auth
    from ui import app as ui_app
    from ui import shell
    from ui.pages import workbench_page
    from ui.workers import Workers

    mark("imports")
    _instrument(auth, workbench_page, ui_app)
    app = ui_app.make_application()
    mark("make_application")
    # One step now: the password unwraps the key, the database opens, the account is checked.
    database, actor = auth.unlock(resolve_data_folder(data_dir), "zhangwei", demo.DEMO_PASSWORD)
    mark("sign_in")
    workers = Workers()
    window = shell.build_main_window(database, actor, workers)
    mark("window_built")
    page: Any = window.pages["workbench"]  # the first page: its lists load on the workers
    model = page.overdue
    model.modelReset.connect(lambda: marks.setdefault("results_shown", now_ms()))

    def ready(painted: float) -> bool:
        shown = marks.get("results_shown")
        return shown is not None and painted >= shown and not workers.busy()

    _watcher = paint_watcher(app, window, ready)
    window.show()
    mark("shown")
    status = app.exec()
    costs["hits"] = model.rowCount()
    workers.shutdown()
    database.close()
    return status


def run_window(data_dir: str) -> int:
    """The real start (``run_gui``): the sign-in window first, the data opened behind it.

    Prints ``WINDOW`` when the sign-in window has painted (the time a user waits to see the app)
    and ends once the window has enabled itself because the data is open.
    """
    from ui.app import make_application
    from ui.startup import Startup
    from ui.workers import Workers

    mark("imports")
    app = make_application(keyboard_rules_now=False)  # as run_gui does
    mark("make_application")
    workers = Workers()
    startup = Startup(data_dir, workers)

    def ready(_painted: float) -> bool:
        if "first_window" not in marks:
            mark("first_window")
            print("WINDOW", flush=True)
        if startup.login.sign_in_button.isEnabled():
            mark("data_open")
            return True
        return False

    _watcher = paint_watcher(app, startup.login, ready)
    startup.start()
    mark("shown")
    status = app.exec()
    workers.shutdown()
    startup.close()
    return status


def _instrument(auth: Any, workbench_page: Any, ui_app: Any) -> None:
    """Time the costs we want to see separately, by wrapping module attributes (no app edits).

    Only modules the start imports anyway are touched: importing one the app defers (alembic,
    openpyxl) would charge its cost to the app.
    """
    auth.verify_password = timed("argon2_verify", auth.verify_password)
    workbench_page.workbench_hazards = timed("workbench_query", workbench_page.workbench_hazards)
    ui_app.register_fonts = timed("register_fonts", ui_app.register_fonts)


def heavy_modules_loaded() -> list[str]:
    """Which of the optional heavy libraries the start has imported by the time it is ready."""
    return [name for name in HEAVY_MODULES if name in sys.modules]


def main() -> None:
    """Run the chosen mode, print the READY line, exit at once (teardown is not measured)."""
    mode = sys.argv[1]
    runners = {"bare": lambda: run_bare(), "app": lambda: run_app(sys.argv[2])}
    runners["window"] = lambda: run_window(sys.argv[2])
    status = runners[mode]()
    mark("ready")
    loaded = heavy_modules_loaded()
    report = {"status": status, "marks": marks, "costs": costs, "loaded": loaded}
    print("READY " + json.dumps(report), flush=True)
    os._exit(status)


if __name__ == "__main__":
    main()

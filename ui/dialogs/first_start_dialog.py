"""首次启动: try the app on demo data, or go live with the first administrator and squad."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QGroupBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
)

from fuanjian_desktop import APP_NAME, reference
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.demo import demo
from fuanjian_desktop.domain.roles import Role
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.services import setup
from ui.dialogs.user_dialog import UserForm
from ui.errors import failure_text
from ui.widgets.form_parts import error_label
from ui.workers import Workers


class FirstStartDialog(QDialog):
    """Shown once, on an empty database."""

    def __init__(self, database: Database, workers: Workers) -> None:
        super().__init__()
        self.setWindowTitle(f"{APP_NAME} — 首次启动")
        self._database = database
        self._workers = workers
        self.demo_button = QPushButton("使用演示模式（虚构数据，可随时另建数据文件夹正式启用）")
        self.demo_button.clicked.connect(self.start_demo)
        squads = [(unit.short_name, unit.name) for unit in reference.org_units()[1:]]
        self.admin_form = UserForm(squads, fixed_roles=(Role.ADMIN,))
        self.go_live_button = QPushButton("正式启用")
        self.go_live_button.clicked.connect(self.go_live)
        self.error = error_label()
        self.status = QLabel()
        live = QGroupBox("正式启用：创建本中队的第一个管理员账号，并确定本机所属中队")
        live_layout = QVBoxLayout(live)
        live_layout.addWidget(self.admin_form)
        live_layout.addWidget(self.go_live_button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<h2>欢迎使用{APP_NAME}</h2><p>请选择本机的使用方式：</p>"))
        layout.addWidget(self.demo_button)
        layout.addWidget(live)
        layout.addWidget(self.status)
        layout.addWidget(self.error)

    def start_demo(self) -> None:
        """Fill the database with demo data (a few seconds) and continue to sign-in."""
        self._attempt("正在生成演示数据，请稍候…", lambda: demo.create_demo(self._database))

    def go_live(self) -> None:
        """Create the org units and the first administrator, then continue to sign-in."""
        form = self.admin_form
        try:
            admin = form.new_user()
        except UserError as error:
            self.error.setText(error.message)
            return
        squad = str(form.squad.currentData())
        self._attempt("正在启用…", lambda: setup.go_live(self._database, squad, admin))

    def _attempt(self, busy_text: str, action: Callable[[], object]) -> None:
        """Run ``action`` in the background; accept on success, show the reason otherwise."""
        self.error.clear()
        self.status.setText(busy_text)
        self._set_busy(True)
        self._workers.run(action, lambda _result: self.accept(), self._failed)

    def _failed(self, error: Exception) -> None:
        self.status.clear()
        self._set_busy(False)
        self.error.setText(failure_text(error))

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.demo_button, self.go_live_button, self.admin_form):
            widget.setEnabled(not busy)

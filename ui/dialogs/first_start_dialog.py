"""首次启动: try the app on demo data, or go live with the first administrator and squad.

Going live creates the data key and the encrypted database; the recovery key it returns is shown
at once (:class:`ui.dialogs.recovery_key_dialog.RecoveryKeyDialog`) for the squad leader to print
or write down, and the dialog finishes only once that was confirmed. The work itself is handed
in by the start (``ui.startup``), so this dialog holds no database.
"""

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
from fuanjian_desktop.domain.roles import Role
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.services.users import NewUser
from ui.dialogs.recovery_key_dialog import RecoveryKeyDialog
from ui.dialogs.user_dialog import UserForm
from ui.errors import failure_text
from ui.widgets.form_parts import error_label
from ui.workers import Workers

MakeDemo = Callable[[], object]
GoLive = Callable[[str, NewUser], str]  # (squad short name, first admin) → the recovery code


class FirstStartDialog(QDialog):
    """Shown once, on an empty data folder; accepted when the folder is ready for sign-in."""

    def __init__(self, make_demo: MakeDemo, go_live: GoLive, workers: Workers) -> None:
        super().__init__()
        self.setWindowTitle(f"{APP_NAME} — 首次启动")
        self._make_demo = make_demo
        self._go_live = go_live
        self._workers = workers
        self.recovery_dialog: RecoveryKeyDialog | None = None
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
        live_layout.addWidget(
            QLabel("启用时生成本机数据的恢复密钥，请中队负责人在场，以便打印或抄写保管。")
        )
        live_layout.addWidget(self.go_live_button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<h2>欢迎使用{APP_NAME}</h2><p>请选择本机的使用方式：</p>"))
        layout.addWidget(self.demo_button)
        layout.addWidget(live)
        layout.addWidget(self.status)
        layout.addWidget(self.error)

    def start_demo(self) -> None:
        """Fill the folder with demo data (a few seconds) and continue to sign-in."""
        self._attempt("正在生成演示数据，请稍候…", self._make_demo, lambda _done: self.accept())

    def go_live(self) -> None:
        """Create the key, the org units and the first administrator; then the recovery key."""
        form = self.admin_form
        try:
            admin = form.new_user()
        except UserError as error:
            self.error.setText(error.message)
            return
        squad, squad_name = str(form.squad.currentData()), form.squad.currentText()
        go_live = self._go_live
        self._attempt(
            "正在启用：生成密钥、建立加密数据库…",
            lambda: go_live(squad, admin),
            lambda code: self._show_recovery_key(str(code), squad_name),
        )

    def _show_recovery_key(self, code: str, squad_name: str) -> None:
        """The recovery key over this dialog; once it was kept, on to sign-in."""
        self.status.setText("已启用。请保管好恢复密钥。")
        dialog = RecoveryKeyDialog(code, squad_name, self)
        dialog.accepted.connect(self.accept)
        dialog.open()
        self.recovery_dialog = dialog

    def _attempt(
        self,
        busy_text: str,
        action: Callable[[], object],
        done: Callable[[object], None],
    ) -> None:
        """Run ``action`` in the background; ``done`` with its result, or show the reason."""
        self.error.clear()
        self.status.setText(busy_text)
        self._set_busy(True)
        self._workers.run(action, done, self._failed)

    def _failed(self, error: Exception) -> None:
        self.status.clear()
        self._set_busy(False)
        self.error.setText(failure_text(error))

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.demo_button, self.go_live_button, self.admin_form):
            widget.setEnabled(not busy)

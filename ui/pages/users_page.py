"""用户管理: the squad's accounts, adding one, and lifting a lock-out (管理员 only)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fuanjian_desktop.services import auth, setup, users
from ui.context import AppContext
from ui.dialogs.idle_lock_dialog import IdleLockDialog
from ui.dialogs.number_block_dialog import NumberBlockDialog
from ui.dialogs.password_dialogs import ResetPasswordDialog
from ui.dialogs.procedure_settings_dialog import ProcedureSettingsDialog
from ui.dialogs.recovery_key_dialog import RecoveryKeyDialog
from ui.dialogs.user_dialog import UserDialog
from ui.documents.settings_dialog import DocumentSettingsDialog
from ui.dossier.settings_dialog import DossierSettingsDialog
from ui.errors import show_failure
from ui.widgets.ask import ask

NEW_RECOVERY_QUESTION = (
    "生成新的恢复密钥后，此前打印或抄写的恢复密钥立即作废。新的恢复密钥只显示一次："
    "请中队负责人在场，以便打印或抄写保管。是否生成？"
)
HEADERS = ("姓名", "用户名", "执法证号", "所属中队", "角色", "状态")


class UsersPage(QWidget):
    """A short list (tens of accounts), so a plain table widget is enough."""

    title = "用户管理"
    idle_minutes_changed = Signal(int)  # 自动锁定 saved: the open window locks by it at once

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self._context = context
        self._rows: list[users.UserRow] = []
        self.dialog: QDialog | None = None  # the open dialog, kept alive while it is shown
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((90, 110, 130, 240, 200)):
            self.table.setColumnWidth(column, width)
        add = QPushButton("新增用户(&N)")
        add.clicked.connect(self.add_user)
        unlock = QPushButton("解锁账号")
        unlock.clicked.connect(self.unlock_selected)
        self.reset_button = QPushButton("重设密码…")
        self.reset_button.clicked.connect(self.reset_selected)
        self.recovery_button = QPushButton("生成新的恢复密钥…")
        self.recovery_button.clicked.connect(self.new_recovery_key)
        self.numbering_button = QPushButton("文号号段…")
        self.numbering_button.clicked.connect(self.edit_numbering)
        self.settings_button = QPushButton("办案程序设置…")
        self.settings_button.clicked.connect(self.edit_procedure_settings)
        self.documents_button = QPushButton("文书设置…")
        self.documents_button.clicked.connect(self.edit_document_settings)
        self.dossier_button = QPushButton("案卷设置…")
        self.dossier_button.clicked.connect(self.edit_dossier_settings)
        self.idle_lock_button = QPushButton("自动锁定…")
        self.idle_lock_button.clicked.connect(self.edit_idle_lock)
        actions = QHBoxLayout()
        actions.addWidget(add)
        actions.addWidget(unlock)
        actions.addWidget(self.reset_button)
        actions.addWidget(self.recovery_button)
        actions.addStretch()
        actions.addWidget(self.idle_lock_button)
        actions.addWidget(self.documents_button)
        actions.addWidget(self.dossier_button)
        actions.addWidget(self.settings_button)
        actions.addWidget(self.numbering_button)
        layout = QVBoxLayout(self)
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)
        self.reload()

    def reload(self) -> None:
        """Read the accounts again and fill the table."""
        self._rows = users.list_users(self._context.database, self._context.actor)
        self.table.setRowCount(len(self._rows))
        for position, row in enumerate(self._rows):
            state = "已锁定" if row.locked else ("正常" if row.active else "已停用")
            values = (row.full_name, row.username, row.cert_no, row.squad_name, row.roles, state)
            for column, text in enumerate(values):
                self.table.setItem(position, column, QTableWidgetItem(text))

    def add_user(self) -> None:
        """Open the 新增用户 dialog."""
        context = self._context
        squads = [  # an administrator adds accounts to their own squad (the services refuse others)
            (squad.id, squad.name)
            for squad in setup.list_squads(context.database)
            if squad.id == context.actor.squad_id
        ]
        dialog = UserDialog(
            self, squads, lambda new: users.create_user(context.database, context.actor, new)
        )
        dialog.accepted.connect(self.reload)
        dialog.open()
        self.dialog = dialog

    def edit_numbering(self) -> None:
        """Open 文号号段: this laptop's number blocks and the numbering settings."""
        self.dialog = NumberBlockDialog(self._context, self)
        self.dialog.open()

    def edit_procedure_settings(self) -> None:
        """Open 办案程序设置: hearing thresholds, statement period, case limit and the like."""
        self.dialog = ProcedureSettingsDialog(self._context, self)
        self.dialog.open()

    def edit_document_settings(self) -> None:
        """Open 文书设置: the bureau's name, 复议机关, court and the like printed on documents."""
        self.dialog = DocumentSettingsDialog(self._context, self)
        self.dialog.open()

    def edit_dossier_settings(self) -> None:
        """Open 案卷设置: binding order, where the 页号 go, and how scans stand in the volume."""
        self.dialog = DossierSettingsDialog(self._context, self)
        self.dialog.open()

    def edit_idle_lock(self) -> None:
        """Open 自动锁定: the idle minutes before the windows lock (``idle_minutes_changed``)."""
        dialog = IdleLockDialog(self._context, self)
        dialog.saved.connect(self.idle_minutes_changed)
        dialog.open()
        self.dialog = dialog

    def reset_selected(self) -> ResetPasswordDialog | None:
        """重设密码 of the selected account: a new password, and the data key wrapped for it."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        row, context = self._rows[rows[0].row()], self._context
        dialog = ResetPasswordDialog(
            row.full_name,
            lambda new: auth.reset_password(context.database, context.actor, row.id, new),
            context.workers,
            self,
        )
        dialog.accepted.connect(self.reload)
        dialog.open()
        self.dialog = dialog
        return dialog

    def new_recovery_key(self) -> QMessageBox:
        """生成新的恢复密钥: asked first (the printed one stops working), then shown once."""
        return ask(self, "生成新的恢复密钥", NEW_RECOVERY_QUESTION, "生成", self._make_recovery_key)

    def _make_recovery_key(self) -> None:
        context = self._context
        context.workers.run(
            lambda: auth.new_recovery_code(context.database, context.actor),
            self._show_recovery_key,
            lambda error: show_failure(self, error, "未能生成恢复密钥"),
        )

    def _show_recovery_key(self, code: str) -> None:
        dialog = RecoveryKeyDialog(code, self._context.squad_name, self)
        dialog.open()
        self.dialog = dialog

    def unlock_selected(self) -> None:
        """Lift the lock of the selected account."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        try:
            users.unlock_user(
                self._context.database, self._context.actor, self._rows[rows[0].row()].id
            )
        except Exception as error:
            show_failure(self, error, "未能解锁")
        self.reload()

"""数据库损坏: what is wrong with the database file, and the way back — the newest good backup.

Shown by the start-up instead of the main window when the integrity check refuses the file.
It offers exactly two things: restore the newest backup that passes every check (the damaged
file is renamed aside, never deleted), or quit. It never offers a fresh start: an empty or
damaged file is data to recover, not a new installation. When the damage was found before
anyone signed in, the data key is needed first: an account's password, or the recovery key.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fuanjian_desktop import APP_NAME
from ui.errors import failure_text
from ui.widgets.form_parts import error_label

if TYPE_CHECKING:
    from fuanjian_desktop.config import DataFolder
    from fuanjian_desktop.db.integrity import DatabaseDamaged
    from fuanjian_desktop.security.data_key import DataKey
    from fuanjian_desktop.services.backups import RestoreReport
    from ui.workers import Workers

RESTORE = "从最近的备份恢复(&R)"
QUIT = "退出(&Q)"
NO_BACKUP = (
    "数据文件夹的 backups 中没有备份，无法在这里恢复。请退出程序，"
    "用 python main.py restore 从其他位置的备份文件恢复到一个新的空文件夹，"
    "或把整个数据文件夹交给区局技术人员。损坏的文件保持原样。"
)
NEED_KEY = "恢复需要打开数据的密钥：请输入一个账号的用户名和密码，或者输入打印的恢复密钥。"
MISSING_CREDENTIALS = "请输入用户名和密码，或者输入恢复密钥。"
WORKING = "正在检查备份并恢复，请稍候……"


class DamagedDatabaseDialog(QDialog):
    """The damage explained; ``restored`` once the newest good backup is in place."""

    restored = Signal()

    def __init__(
        self,
        error: DatabaseDamaged,
        folder: DataFolder,
        key: DataKey | None,
        workers: Workers,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{APP_NAME} — 数据库已损坏")
        self.setMinimumWidth(620)
        self._folder = folder
        self._key = key
        self._workers = workers
        self.report: RestoreReport | None = None
        self.explanation = QLabel(html.escape(error.message))
        self.explanation.setWordWrap(True)
        self.backups_label = QLabel(newest_backup_text(folder))
        self.backups_label.setWordWrap(True)
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.recovery_code = QLineEdit()
        self.recovery_code.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")
        self.error = error_label()
        self.restore_button = QPushButton(RESTORE)
        self.restore_button.clicked.connect(self.restore)
        self.quit_button = QPushButton(QUIT)
        self.quit_button.clicked.connect(self.reject)
        self._lay_out(has_backup=self.backups_label.text() != NO_BACKUP)

    def _lay_out(self, has_backup: bool) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>数据库文件已损坏</h2>"))
        layout.addWidget(self.explanation)
        layout.addWidget(self.backups_label)
        if has_backup and self._key is None:
            layout.addWidget(QLabel(NEED_KEY))
            form = QFormLayout()
            form.addRow("用户名(&U)", self.username)
            form.addRow("密码(&P)", self.password)
            form.addRow("或 恢复密钥(&K)", self.recovery_code)
            layout.addLayout(form)
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.quit_button)
        layout.addLayout(buttons)
        self.restore_button.setEnabled(has_backup)
        self.restore_button.setDefault(has_backup)
        (self.username if has_backup and self._key is None else self.restore_button).setFocus()
        if not has_backup:
            self.quit_button.setDefault(True)
            self.quit_button.setFocus()

    def restore(self) -> None:
        """Check the credentials given, then restore on a worker; say what happened."""
        unlock = self._unlocker()
        if unlock is None:
            self.error.setText(MISSING_CREDENTIALS)
            return
        folder = self._folder
        self.restore_button.setEnabled(False)
        self.error.setText(WORKING)
        self._workers.run(lambda: restore_with(folder, unlock), self._done, self._failed)

    def _unlocker(self) -> Unlocker | None:
        if self._key is not None:
            return Unlocker(key=self._key)
        code = self.recovery_code.text().strip()
        if code:
            return Unlocker(recovery_code=code)
        if self.username.text().strip() and self.password.text():
            return Unlocker(username=self.username.text().strip(), password=self.password.text())
        return None

    def _done(self, report: RestoreReport) -> None:
        self.report = report
        self.error.setText("")
        self.restored.emit()
        self.accept()

    def _failed(self, error: Exception) -> None:
        self.restore_button.setEnabled(True)
        self.error.setText(failure_text(error))


class Unlocker:
    """How to get the data key: already known, a password, or the recovery key."""

    def __init__(
        self,
        key: DataKey | None = None,
        username: str = "",
        password: str = "",
        recovery_code: str = "",
    ) -> None:
        self.key = key
        self.username = username
        self.password = password
        self.recovery_code = recovery_code

    def data_key(self, folder: DataFolder) -> DataKey:
        """The key, unwrapped from the folder's keys.json when not known (argon2id: a worker)."""
        from fuanjian_desktop.security.keyring import Keyring

        if self.key is not None:
            return self.key
        keyring = Keyring.load(folder)
        if self.recovery_code:
            return keyring.unlock_with_recovery(self.recovery_code)
        return keyring.unlock(self.username, self.password)


def restore_with(folder: DataFolder, unlock: Unlocker) -> RestoreReport:
    """Runs on a worker: the key, then the newest good backup in place."""
    from fuanjian_desktop.services.backups import restore_newest_in_place

    return restore_newest_in_place(folder, unlock.data_key(folder))


def newest_backup_text(folder: DataFolder) -> str:
    """Which backup a restore would try first, or that there is none."""
    import datetime as dt

    from fuanjian_desktop.services.backups.rotation import backups_newest_first

    found = backups_newest_first(folder.backups)
    if not found:
        return NO_BACKUP
    written = dt.datetime.fromtimestamp(found[0].stat().st_mtime).strftime("%Y-%m-%d %H:%M")
    return (
        f"最近的备份：{found[0].name}（{written} 写出），共 {len(found)} 个备份。"
        "恢复前会逐个核对；最近的一个不完好时自动改用前一个。"
        "恢复后，这个备份之后录入的内容需要重新录入。"
    )

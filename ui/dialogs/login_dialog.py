"""登录: username and password; in demo mode the demo accounts are listed to pick from."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fuanjian_desktop import APP_NAME
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.services import auth, demo
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.setup import Installation
from ui.errors import failure_text
from ui.widgets.demo_banner import demo_banner
from ui.widgets.form_parts import error_label


class LoginDialog(QDialog):
    """Signs a user in through the core; ``actor`` holds who signed in once accepted."""

    def __init__(self, database: Database, installation: Installation) -> None:
        super().__init__()
        self.setWindowTitle(f"{APP_NAME} — 登录")
        self._database = database
        self.actor: Actor | None = None
        self.username = QLineEdit()
        self.password = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.error = error_label()
        self.sign_in_button = QPushButton("登录")
        self.sign_in_button.setDefault(True)
        self.sign_in_button.clicked.connect(self.try_sign_in)
        self.password.returnPressed.connect(self.try_sign_in)
        self.username.returnPressed.connect(self.password.setFocus)
        layout = QVBoxLayout(self)
        if installation.is_demo:
            layout.addWidget(demo_banner())
        title = QLabel(f"<h2>{APP_NAME}</h2><p>安全生产执法现场检查与案卷系统</p>")
        layout.addWidget(title)
        form = QFormLayout()
        form.addRow("用户名：", self.username)
        form.addRow("密码：", self.password)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.sign_in_button)
        if installation.is_demo:
            layout.addWidget(self._demo_accounts())
        self.username.setFocus()

    def _demo_accounts(self) -> QWidget:
        table = QTableWidget(len(demo.DEMO_ACCOUNTS), 4)
        table.setHorizontalHeaderLabels(["用户名", "姓名", "中队", "角色"])
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        for row, account in enumerate(demo.DEMO_ACCOUNTS):
            values = (account.username, account.full_name, account.squad, account.role_labels)
            for column, text in enumerate(values):
                table.setItem(row, column, QTableWidgetItem(text))
        table.horizontalHeader().setStretchLastSection(True)
        table.cellClicked.connect(lambda row, _col: self._pick_demo(row))
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 8, 0, 0)
        column.addWidget(QLabel(f"演示账号（点击选择；密码均为 {demo.DEMO_PASSWORD}）："))
        column.addWidget(table)
        self.setMinimumSize(560, 560)
        return holder

    def _pick_demo(self, row: int) -> None:
        self.username.setText(demo.DEMO_ACCOUNTS[row].username)
        self.password.setText(demo.DEMO_PASSWORD)
        self.password.setFocus()

    def try_sign_in(self) -> None:
        """Check the credentials; on failure show the core's Chinese reason and stay open."""
        try:
            self.actor = auth.sign_in(self._database, self.username.text(), self.password.text())
        except UserError as error:
            self.error.setText(error.message)
            self.password.clear()
            self.password.setFocus()
            return
        except Exception as error:
            self.error.setText(failure_text(error))
            return
        self.accept()

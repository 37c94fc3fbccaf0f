"""设置 → 同步: this laptop's sync state, its interval, 立即同步, and enrollment with HQ.

Before enrollment the administrator enters HQ's address, the one-time 接入码 printed by
``hq enroll`` and, for HTTPS with the bureau's own certificate, the CA file or the certificate's
SHA-256 fingerprint (one of the two). After it the tab shows the device id, squad, last sync,
what waits to be sent, the pull cursor and the open conflicts. Everyone sees the state; only a
管理员 enrolls and changes the interval (the core refuses others as well).
"""

from __future__ import annotations

import platform
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from fuanjian_desktop.domain.roles import Permission
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.sync_client import settings
from fuanjian_desktop.sync_client.enroll import enroll
from ui.context import AppContext
from ui.errors import failure_text
from ui.file_dialogs import in_documents
from ui.local_time import local_text
from ui.sync.texts import problem_text
from ui.widgets.form_parts import aligned_form, error_label

NOTICE_STYLE = "color: #1c6b32;"
ADMIN_ONLY = "接入区局和修改同步间隔须由本中队管理员操作。"


class SyncSettingsTab(QWidget):
    """``enrolled`` after a successful enrollment, ``interval_saved(minutes)`` after a save,
    ``sync_requested`` from 立即同步."""

    enrolled = Signal()
    interval_saved = Signal(int)
    sync_requested = Signal()

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self._context = context
        self._admin = context.actor.can(Permission.MANAGE_USERS)
        self.state_box = self._state_box()
        self.enroll_box = self._enroll_box()
        self.interval_box = self._interval_box()
        layout = QVBoxLayout(self)
        layout.addWidget(self.state_box)
        layout.addWidget(self.interval_box)
        layout.addWidget(self.enroll_box)
        if not self._admin:
            layout.addWidget(QLabel(ADMIN_ONLY))
        layout.addStretch(1)
        context.workers.run(
            lambda: settings.sync_interval_minutes(context.database),
            self.minutes.setValue,
            lambda error: self.interval_message.setText(failure_text(error)),
        )

    # --- the state ----------------------------------------------------------------------------

    def _state_box(self) -> QGroupBox:
        self.values: dict[str, QLabel] = {}
        form = aligned_form()
        for key, title in (
            ("state", "状态："),
            ("hq_url", "区局地址："),
            ("device_id", "设备编号："),
            ("squad", "所属中队："),
            ("last_success", "上次成功同步："),
            ("pending", "待上传："),
            ("cursor", "同步游标："),
            ("conflicts", "未解决冲突："),
            ("last_error", "上次错误："),
        ):
            label = QLabel("—")
            label.setWordWrap(True)
            self.values[key] = label
            form.addRow(title, label)
        self.sync_button = QPushButton("立即同步")
        self.sync_button.setEnabled(False)
        self.sync_button.clicked.connect(self.sync_requested)
        row = QHBoxLayout()
        row.addWidget(self.sync_button)
        row.addStretch(1)
        form.addRow("", row)
        box = QGroupBox("本机同步状态")
        box.setLayout(form)
        return box

    def show_status(self, status: Any) -> None:
        """Fill the state from a ``SyncStatus``; the enrollment form only while not enrolled."""
        self.values["state"].setText(state_word(status))
        self.values["hq_url"].setText(status.hq_url or "—")
        self.values["device_id"].setText(status.device_id or "—")
        self.values["squad"].setText(status.squad_name or "—")
        self.values["last_success"].setText(local_text(status.last_success_at) or "从未")
        self.values["pending"].setText(pending_text(status))
        self.values["cursor"].setText(str(status.cursor))
        self.values["conflicts"].setText(f"{status.open_conflicts} 条")
        self.values["last_error"].setText(status.last_error or "无")
        self.sync_button.setEnabled(status.enrolled)
        self.enroll_box.setVisible(not status.enrolled and self._admin)

    def set_running(self, running: bool) -> None:
        """立即同步 says when a round runs (pressed again meanwhile it does nothing more); it
        stays enabled, so the keyboard's place is kept."""
        self.sync_button.setText("正在同步…" if running else "立即同步")

    # --- the interval -------------------------------------------------------------------------

    def _interval_box(self) -> QGroupBox:
        self.minutes = QSpinBox()
        self.minutes.setRange(settings.FEWEST_INTERVAL_MINUTES, settings.MOST_INTERVAL_MINUTES)
        self.minutes.setSuffix(" 分钟")
        self.minutes.setEnabled(self._admin)
        self.minutes.setToolTip("已接入区局时，每隔这么久自动同步一次；区局连不上时会更早悄悄重试")
        self.save_interval_button = QPushButton("保存间隔")
        self.save_interval_button.setEnabled(self._admin)
        self.save_interval_button.clicked.connect(self.save_interval)
        self.interval_message = error_label()
        row = QHBoxLayout()
        row.addWidget(QLabel("自动同步间隔："))
        row.addWidget(self.minutes)
        row.addWidget(self.save_interval_button)
        row.addWidget(self.interval_message, 1)
        box = QGroupBox("自动同步")
        box.setLayout(row)
        return box

    def save_interval(self) -> None:
        """Store the interval (管理员); the runner plans by it at once (``interval_saved``)."""
        context, minutes = self._context, self.minutes.value()
        self.save_interval_button.setEnabled(False)
        context.workers.run(
            lambda: settings.save_sync_interval(context.database, context.actor, minutes),
            lambda _none: self._interval_saved(minutes),
            self._interval_failed,
        )

    def _interval_saved(self, minutes: int) -> None:
        self.save_interval_button.setEnabled(True)
        self.interval_message.setStyleSheet(NOTICE_STYLE)
        self.interval_message.setText(f"已保存：每 {minutes} 分钟自动同步。")
        self.interval_saved.emit(minutes)

    def _interval_failed(self, error: Exception) -> None:
        self.save_interval_button.setEnabled(True)
        self.interval_message.setStyleSheet("")
        self.interval_message.setText(failure_text(error))

    # --- enrollment ---------------------------------------------------------------------------

    def _enroll_box(self) -> QGroupBox:
        self.hq_url = QLineEdit(placeholderText="例如 https://10.1.2.3:8765")
        self.code = QLineEdit(placeholderText="区局管理员用 hq enroll 生成的一次性接入码")
        self.device_name = QLineEdit(platform.node())
        self.ca_file = QLineEdit(placeholderText="区局自签证书的 CA 文件（.pem），可不填")
        browse = QPushButton("选择…")
        browse.clicked.connect(self._choose_ca_file)
        self.pin = QLineEdit(placeholderText="或填区局证书的 SHA-256 指纹（64 位十六进制）")
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_file, 1)
        ca_row.addWidget(browse)
        form: QFormLayout = aligned_form()
        form.addRow("区局地址：", self.hq_url)
        form.addRow("接入码：", self.code)
        form.addRow("本机名称：", self.device_name)
        form.addRow("CA 证书文件：", ca_row)
        form.addRow("证书指纹：", self.pin)
        self.enroll_message = error_label()
        self.enroll_button = QPushButton("接入区局")
        self.enroll_button.clicked.connect(self.enroll)
        buttons = QHBoxLayout()
        buttons.addWidget(self.enroll_button)
        buttons.addWidget(self.enroll_message, 1)
        column = QVBoxLayout()
        column.addLayout(form)
        column.addLayout(buttons)
        box = QGroupBox("接入区局")
        box.setLayout(column)
        box.setVisible(False)  # until the state says this laptop is not enrolled
        return box

    def _choose_ca_file(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, "选择区局的 CA 证书", in_documents(), "证书 (*.pem *.crt *.cer);;所有文件 (*)"
        )
        if name:
            self.ca_file.setText(name)

    def enroll(self) -> None:
        """接入区局 with the form's values (on a worker); the message says what went wrong."""
        try:
            request = self._enrollment_request()
        except UserError as error:
            self._enroll_failed(error)
            return
        database = self._context.database
        self.enroll_button.setEnabled(False)
        self.enroll_message.setStyleSheet("")
        self.enroll_message.setText("正在连接区局…")
        self._context.workers.run(
            lambda: enroll(database, **request), self._enrolled, self._enroll_failed
        )

    def _enrollment_request(self) -> dict[str, Any]:
        url, code = self.hq_url.text().strip(), self.code.text().strip()
        ca_file, pin = self.ca_file.text().strip(), self.pin.text().strip()
        if not url or not code:
            raise UserError("请填写区局地址和接入码。")
        if ca_file and pin:
            raise UserError("CA 证书文件和证书指纹只填一项即可。")
        return {
            "hq_url": url,
            "code": code,
            "ca_file": Path(ca_file) if ca_file else None,
            "pin": pin or None,
            "device_name": self.device_name.text().strip() or None,
        }

    def _enrolled(self, enrollment: Any) -> None:
        self.enroll_button.setEnabled(True)
        self.code.clear()
        self.sync_button.setEnabled(True)
        self.sync_button.setFocus()  # the form goes; the next step is here
        self.enroll_message.setStyleSheet(NOTICE_STYLE)
        self.enroll_message.setText(
            f"已接入区局：本机编号 {enrollment.device_id}，{enrollment.squad_name}。"
            "正在进行第一次同步…"
        )
        self.enrolled.emit()

    def _enroll_failed(self, error: Exception) -> None:
        self.enroll_button.setEnabled(True)
        self.enroll_message.setStyleSheet("")
        self.enroll_message.setText(failure_text(error))


def state_word(status: Any) -> str:
    """已接入区局 / 未接入区局 / 已停用 / 链异常 for the state row."""
    if not status.enrolled:
        return "未接入区局"
    return problem_text(status) or "已接入区局"


def pending_text(status: Any) -> str:
    """待上传 N 条, and the other squads' records this laptop keeps but never sends."""
    text = f"{status.pending} 条"
    if status.other_squad_pending:
        text += f"（另有其他中队的 {status.other_squad_pending} 条不上传）"
    return text

"""One hazard opened from the register or the 工作台: edit it, re-check it, or transfer it.

The form saves itself, so there is no 保存 here; ``changed`` tells the list behind to reload
after an edit, a 复查 or a 移交立案.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from fuanjian_desktop.domain.inspection_rules import HazardStatus
from fuanjian_desktop.services.inspections.hazards import hazard_row, load_hazard
from fuanjian_desktop.services.inspections.inspections import local_today
from ui.context import AppContext
from ui.dialogs.hazard_actions import confirm_transfer, may_recheck, may_transfer, open_recheck
from ui.shortcuts import RECHECK, TRANSFER_TO_CASE, keyed
from ui.widgets.hazard_form import HazardForm
from ui.widgets.tags import BLUE, GREEN, ORANGE, set_tag, tag_label

OVERDUE_RED = "#b3261e"
STATUS_COLOURS = {
    HazardStatus.PENDING: ORANGE,
    HazardStatus.RECTIFIED: GREEN,
    HazardStatus.NOT_RECTIFIED: OVERDUE_RED,
    HazardStatus.TRANSFERRED: BLUE,
}


class HazardDialog(QDialog):
    """The 隐患 window: where and when it was found, its state, the editor and the actions."""

    changed = Signal()

    def __init__(
        self,
        context: AppContext,
        hazard_id: str,
        parent: QWidget | None = None,
        today: Callable[[], dt.date] = local_today,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("隐患")
        self.setMinimumWidth(560)
        self._context = context
        self._hazard_id = hazard_id
        self._today = today
        self.dialog: QDialog | None = None  # the 复查 dialog while it is open
        self._setup_ui()
        self.reload()

    def _setup_ui(self) -> None:
        self.venue = QLabel()
        self.venue.setWordWrap(True)
        self.found = QLabel()
        self.status = tag_label()
        self.form = HazardForm(self._context, self)
        self.form.saved.connect(self._after_edit)
        self.recheck_button = _button("复查…", self.recheck, RECHECK)
        self.transfer_button = _button("移交立案", self.transfer, TRANSFER_TO_CASE)
        close_button = QPushButton("关闭")
        close_button.clicked.connect(self.accept)
        close_button.setDefault(True)  # Enter in a field closes (the form is saved), never 复查

        facts = QHBoxLayout()
        facts.addWidget(self.found)
        facts.addWidget(self.status)
        facts.addStretch()
        buttons = QHBoxLayout()
        buttons.addWidget(self.recheck_button)
        buttons.addWidget(self.transfer_button)
        buttons.addStretch()
        buttons.addWidget(close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.venue)
        layout.addLayout(facts)
        layout.addWidget(self.form, 1)
        layout.addLayout(buttons)

    def reload(self) -> None:
        """Show the hazard as stored now (after a 复查 it becomes read-only)."""
        self.form.load(load_hazard(self._context.database, self._context.actor, self._hazard_id))
        self._show_row()

    def _show_row(self) -> None:
        context = self._context
        hazard = hazard_row(context.database, context.actor, self._hazard_id, self._today())
        self.hazard = hazard
        self.venue.setText(f"<b>{hazard.venue}</b>（{hazard.squad}）")
        self.found.setText(f"发现日期：{hazard.found_on.isoformat()}　状态：")
        colour = OVERDUE_RED if hazard.overdue else STATUS_COLOURS[hazard.status]
        set_tag(self.status, hazard.status_label, colour)
        actor = self._context.actor
        self.recheck_button.setEnabled(may_recheck(actor, hazard))
        self.transfer_button.setEnabled(may_transfer(actor, hazard))

    def _after_edit(self) -> None:
        """A new period may make the hazard overdue or not; the form keeps its text."""
        self._show_row()
        self.changed.emit()

    def recheck(self) -> None:
        """Open the 复查 of this hazard's inspection (it may settle its sibling hazards too)."""
        self.form.save_now()
        self.dialog = open_recheck(self, self._context, self.hazard, self._after_action)

    def transfer(self) -> None:
        """Confirm, then hand the hazard over for a case."""
        self.form.save_now()
        if confirm_transfer(self, self._context, self.hazard, self._today()):
            self._after_action()

    def _after_action(self) -> None:
        self.reload()
        self.changed.emit()


def open_hazard_dialog(
    parent: QWidget,
    context: AppContext,
    hazard_id: str,
    today: Callable[[], dt.date],
    on_changed: Callable[[], None],
) -> HazardDialog:
    """Open a hazard from a list that reloads on change; the caller keeps the dialog alive."""
    dialog = HazardDialog(context, hazard_id, parent, today)
    dialog.changed.connect(on_changed)
    dialog.open()
    return dialog


def _button(text: str, slot: Callable[[], None], keys: str) -> QPushButton:
    """An action button with its keys (Enter presses it only when it has the focus)."""
    button = QPushButton(text)
    button.clicked.connect(slot)
    keyed(button, keys)
    return button

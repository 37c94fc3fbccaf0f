"""The hazard editor: wording, level, requirement and period of one 隐患, saved as you go.

It is embedded beside the checklist in the inspection runner and in the hazard dialog, so it
has no 保存 button: a change is saved when its field loses focus (or shortly after the level or
period changes), the way inspectors on site expect nothing typed to be lost.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from fuanjian_desktop.checklists.model import HazardLevel
from fuanjian_desktop.domain.deadlines import MAX_RECTIFICATION_DAYS, compute_deadline
from fuanjian_desktop.domain.inspection_rules import HazardStatus
from fuanjian_desktop.domain.roles import Permission
from fuanjian_desktop.services.inspections.hazards import HazardEdit, update_hazard
from fuanjian_desktop.services.inspections.inspections import HazardView, InspectionInvalid
from ui.context import AppContext
from ui.errors import failure_text
from ui.widgets.form_parts import error_label

SAVE_DELAY_MS = 600  # level and period save after a pause, so spinning 5 → 15 is one save
TEXT_HEIGHT = 64
NOTE_STYLE = "color: #555;"


def deadline_text(found_on: dt.date, days: int) -> str:
    """How the due date was counted, ending with the date, e.g. across the 国庆 holiday."""
    if days == 0:
        return f"立即整改：发现当日 {found_on.isoformat()} 到期"
    return compute_deadline(found_on, days).explanation


class HazardForm(QWidget):
    """Edits one hazard in place; emits ``saved`` after each successful save."""

    saved = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._view: HazardView | None = None
        self._saved_edit: HazardEdit | None = None
        self._editable = False
        self._timer = QTimer(self, singleShot=True, interval=SAVE_DELAY_MS)
        self._timer.timeout.connect(self.save_now)
        self._setup_ui()
        self._set_editable(False)

    def _setup_ui(self) -> None:
        self.description = self._text_edit("写明部位、现象，如：后厨液化气钢瓶未设置防倾倒措施")
        self.level = QComboBox()
        for level in HazardLevel:
            self.level.addItem(level.label, level.value)  # Qt keeps a StrEnum as str
        self.level.currentIndexChanged.connect(lambda _index: self._timer.start())
        self.rectification = self._text_edit("整改要求")
        self.days = QSpinBox()
        self.days.setRange(0, MAX_RECTIFICATION_DAYS)
        self.days.setSuffix(" 个工作日")
        self.days.setSpecialValueText("立即整改")
        self.days.valueChanged.connect(self._days_changed)
        self.days.editingFinished.connect(self.save_now)
        self.deadline = self._note_label()
        self.basis = self._note_label()
        self.error = error_label(hidden=True)

        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("隐患描述：", self.description)
        form.addRow("隐患等级：", self.level)
        form.addRow("整改要求：", self.rectification)
        form.addRow("整改期限：", self.days)
        form.addRow("", self.deadline)
        form.addRow("依据：", self.basis)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addStretch()

    def _text_edit(self, placeholder: str) -> QPlainTextEdit:
        edit = QPlainTextEdit()
        edit.setPlaceholderText(placeholder)
        edit.setFixedHeight(TEXT_HEIGHT)
        edit.setTabChangesFocus(True)
        edit.installEventFilter(self)
        return edit

    def _note_label(self) -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        label.setStyleSheet(NOTE_STYLE)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def load(self, view: HazardView) -> None:
        """Show ``view``; editable only while pending and for users who may manage hazards."""
        self._view = None  # no saves while the fields are being filled
        self.description.setPlainText(view.description)
        self.level.setCurrentIndex(self.level.findData(view.level.value))
        self.rectification.setPlainText(view.rectification)
        self.days.setValue(view.days)
        self.deadline.setText(deadline_text(view.found_on, view.days))
        self.basis.setText(view.basis_text or "（未载明依据）")
        self.error.hide()
        self._view = view
        self._saved_edit = self.edit()
        self._timer.stop()  # filling the level and period started it
        editable = view.status is HazardStatus.PENDING and self._context.actor.can(
            Permission.MANAGE_HAZARDS
        )
        self._set_editable(editable)

    def _set_editable(self, editable: bool) -> None:
        self._editable = editable
        for editor in (self.description, self.level, self.rectification, self.days):
            editor.setEnabled(editable)

    def edit(self) -> HazardEdit:
        """The form's current content."""
        return HazardEdit(
            description=self.description.toPlainText(),
            level=HazardLevel(self.level.currentData()),
            rectification=self.rectification.toPlainText(),
            days=self.days.value(),
        )

    @property
    def editable(self) -> bool:
        """Whether the hazard shown may be edited (pending, and the user may manage hazards)."""
        return self._editable

    def save_now(self) -> bool:
        """Save what changed since the last save; problems go to the red label, not a box.
        True when what the form shows is saved (also when nothing had changed)."""
        self._timer.stop()
        edit = self.edit()
        if self._view is None or not self._editable or edit == self._saved_edit:
            return True
        context = self._context
        try:
            update_hazard(context.database, context.actor, self._view.id, edit)
        except InspectionInvalid as invalid:
            self._show_error("\n".join(issue.message for issue in invalid.issues))
        except Exception as error:  # a user error or a failure; shown, never a traceback
            self._show_error(failure_text(error))
        else:
            self._saved_edit = edit
            self.error.hide()
            self.saved.emit()
            return True
        return False

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def _days_changed(self, days: int) -> None:
        if self._view is not None:
            self.deadline.setText(deadline_text(self._view.found_on, days))
            self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Save a text field when it loses focus."""
        if event.type() == QEvent.Type.FocusOut:
            self.save_now()
        return super().eventFilter(watched, event)

    def hideEvent(self, event: QHideEvent) -> None:
        """A dialog closing or the runner moving on must not drop a pending change."""
        self.save_now()
        super().hideEvent(event)

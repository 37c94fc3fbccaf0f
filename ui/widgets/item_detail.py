"""The current checklist item in full: what to check, how, on what legal basis, and the answer.

The answer buttons do not take focus, so a click answers without pulling the keyboard away
from the item list; the note field saves on Enter (the view decides what saving means). An
item with a hazard shows only what to check and the answer: its hazard editor, under it, needs
the room on a 768 px screen and states the legal basis itself.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from fuanjian_desktop.checklists.model import HazardLevel, Item
from fuanjian_desktop.domain.inspection_rules import Answer
from fuanjian_desktop.services.inspections.inspections import AnswerView, HazardView
from ui.widgets.tags import ORANGE, tag_label

ANSWER_KEYS = {Answer.COMPLIANT: "1", Answer.NON_COMPLIANT: "2", Answer.NOT_APPLICABLE: "3"}
ANSWER_COLOURS = {
    Answer.COMPLIANT: "#1c7c3a",
    Answer.NON_COMPLIANT: "#c62828",
    Answer.NOT_APPLICABLE: "#6b7480",
}
CAPTION_STYLE = "color: #5b6675;"


class ItemDetail(QWidget):
    """One item's text, 检查方法, 依据, and the 符合/不符合/不涉及 buttons with the note field."""

    answered = Signal(object)  # the Answer clicked
    note_entered = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.position = QLabel()
        self.position.setStyleSheet(CAPTION_STYLE)
        self.check = _wrapped("font-size: 13pt; font-weight: bold;")
        self.hint = _wrapped()
        self.basis = _wrapped()
        self.basis_tag = tag_label("依据待核实", ORANGE)
        self.item_note = _wrapped(CAPTION_STYLE)
        self.level = QLabel()
        self.level.setStyleSheet(f"color: {ANSWER_COLOURS[Answer.NON_COMPLIANT]};")
        self.buttons = {answer: self._answer_button(answer) for answer in Answer}
        self.note = QLineEdit()
        self.note.setPlaceholderText("备注：现场情况说明（回车保存）")
        self.note.returnPressed.connect(self.note_entered)
        self._setup_ui()

    def _setup_ui(self) -> None:
        basis = QHBoxLayout()
        basis.addWidget(self.basis, 1)
        basis.addWidget(self.basis_tag, 0, Qt.AlignmentFlag.AlignTop)
        buttons = QHBoxLayout()
        for button in self.buttons.values():
            buttons.addWidget(button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.position)
        layout.addWidget(self.check)
        layout.addWidget(self.hint)
        layout.addLayout(basis)
        layout.addWidget(self.item_note)
        layout.addWidget(self.level)
        layout.addLayout(buttons)
        layout.addWidget(self.note)

    def _answer_button(self, answer: Answer) -> QPushButton:
        button = QPushButton(f"{answer.label}({ANSWER_KEYS[answer]})")
        button.setCheckable(True)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setMinimumWidth(96)
        colour = ANSWER_COLOURS[answer]
        button.setStyleSheet(
            f"QPushButton:checked {{ background: {colour}; color: white; border-color: {colour}; }}"
        )
        button.clicked.connect(lambda: self.answered.emit(answer))
        return button

    def show_item(
        self,
        place: str,
        item: Item,
        saved: AnswerView | None,
        hazard: HazardView | None,
        read_only: bool,
    ) -> None:
        """Show ``item`` (``place`` e.g. "第 3 / 12 项 · 消防安全") with its saved answer."""
        self.position.setText(place)
        self.check.setText(item.check)
        self.hint.setText(f"检查方法：{item.hint}")
        self.basis.setText(f"依据：{item.basis_text}")
        self.item_note.setText(item.note)
        for part in (self.hint, self.basis):
            part.setVisible(hazard is None)
        self.basis_tag.setVisible(hazard is None and not item.basis_confirmed)
        self.item_note.setVisible(hazard is None and bool(item.note))
        self.show_level(hazard.level if hazard else item.hazard_level)
        failed = saved is not None and saved.result is Answer.NON_COMPLIANT
        self.level.setVisible(failed)
        for answer, button in self.buttons.items():
            button.setChecked(saved is not None and saved.result is answer)
            button.setEnabled(not read_only)
        self.note.setText(saved.note if saved else "")
        self.note.setReadOnly(read_only)

    def show_level(self, level: HazardLevel) -> None:
        """The level of the item's hazard (it may be edited in the hazard editor)."""
        self.level.setText(f"隐患等级：{level.label}")


def _wrapped(style: str = "") -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(style)
    return label

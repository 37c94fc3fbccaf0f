"""新建询问笔录: who is questioned, in what capacity, and where — then the editor opens.

Choosing 当事人, 法定代表人 or 负责人 fills the person from the case's party (the core's
:func:`party_interviewee`); for an employee or a witness the form is blank but for the unit.
开始询问 makes the transcript, its start time stamped now.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QLineEdit, QWidget

from fuanjian_desktop.services.transcripts import transcripts
from fuanjian_desktop.services.transcripts.transcripts import RELATIONS, Interviewee
from ui.context import AppContext
from ui.errors import failure_text
from ui.widgets.form_parts import aligned_form, error_label, lay_out_form_dialog

# the form's lines: Interviewee attribute -> (label, placeholder)
PERSON_LINES = {
    "name": ("姓名", ""),
    "id_number": ("身份证号", "18位居民身份证号码（可稍后填写）"),
    "unit": ("工作单位", ""),
    "job": ("职务", ""),
    "phone": ("电话", ""),
    "address": ("住址", ""),
}


class NewTranscriptDialog(QDialog):
    """Accepted once the transcript exists; ``document_id`` is then its id."""

    def __init__(self, context: AppContext, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("新建询问笔录")
        self.setMinimumWidth(460)
        self._context = context
        self._case_id = case_id
        self._serial = 0
        self.document_id: str | None = None
        self.relation = QComboBox()
        self.relation.addItems(RELATIONS)
        self.relation.currentTextChanged.connect(self._prefill)
        self.lines = {
            key: _line(placeholder) for key, (_label, placeholder) in PERSON_LINES.items()
        }
        self.place = _line("如：中队办公室、当事人经营场所")
        self.message = error_label()
        form = aligned_form()
        form.addRow("被询问人身份：", self.relation)
        for key, (label, _placeholder) in PERSON_LINES.items():
            form.addRow(f"{label}：", self.lines[key])
        form.addRow("询问地点：", self.place)
        self.ok_button = lay_out_form_dialog(self, form, self.message, self._create, "开始询问")
        self._prefill(self.relation.currentText())

    def interviewee(self) -> Interviewee:
        """The person as typed."""
        return Interviewee(**{key: line.text().strip() for key, line in self.lines.items()})

    def _prefill(self, relation: str) -> None:
        """The case's party for the relation chosen (a stale answer is dropped)."""
        self._serial += 1
        serial, database, case_id = self._serial, self._context.database, self._case_id
        actor = self._context.actor
        self._context.workers.run(
            lambda: transcripts.party_interviewee(database, actor, case_id, relation),
            lambda person: self._show_person(serial, person),
            lambda error: self.message.setText(failure_text(error)),
        )

    def _show_person(self, serial: int, person: Interviewee) -> None:
        if serial != self._serial:
            return
        for key, line in self.lines.items():
            line.setText(getattr(person, key))

    def _create(self) -> None:
        """开始询问: the core makes the transcript (or says what is missing)."""
        self.ok_button.setEnabled(False)
        self.message.clear()
        context, case_id = self._context, self._case_id
        relation, person, place = self.relation.currentText(), self.interviewee(), self.place.text()
        context.workers.run(
            lambda: transcripts.create_transcript(
                context.database,
                context.actor,
                case_id,
                relation=relation,
                interviewee=person,
                place=place,
            ),
            self._created,
            self._refused,
        )

    def _created(self, document_id: str) -> None:
        self.document_id = document_id
        self.accept()

    def _refused(self, error: Exception) -> None:
        self.message.setText(failure_text(error))
        self.ok_button.setEnabled(True)


def _line(placeholder: str) -> QLineEdit:
    line = QLineEdit()
    line.setPlaceholderText(placeholder)
    return line

"""The transcript editor: a 询问笔录 (or 陈述申辩笔录) typed while the person talks.

Top to bottom it follows the paper: the header, the rights notice as it will print with the
answer recorded, the record of questions and answers, and the close (how it was checked, the
补正 rows). Question templates for the person's role and the case's violations sit beside the
record. Every change is journaled within a third of a second (see :mod:`ui.transcripts.autosave`)
and the status line says when; reopening after a crash shows what the journal held and says so.

Buttons: 预览/打印 (the document as it will print), 定稿 (issue it: the end time is stamped if
still open, and it can no longer change), 关闭 (stores everything first; Esc does not close it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from fuanjian_desktop.documents.spec import DocumentSpec, document_spec
from fuanjian_desktop.domain.transcript_questions import question_sets
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.services.documents.documents import DocumentView
from fuanjian_desktop.services.transcripts import transcripts
from ui.context import AppContext
from ui.documents.printing import PrintJob
from ui.errors import failure_text
from ui.shortcuts import ISSUE, PRINT_PREVIEW, keyed
from ui.transcripts.autosave import TranscriptSaver
from ui.transcripts.closing import ClosingPanel, CorrectionDialog
from ui.transcripts.entry_box import EntryBox
from ui.transcripts.header import GenericHeader, HeaderForm
from ui.transcripts.inquiry_header import INQUIRY_FIELDS, InquiryHeader, local_now
from ui.transcripts.loading import LoadedTranscript, load_transcript
from ui.transcripts.qa_list import QaList
from ui.transcripts.qa_pair import QUESTION, Mode
from ui.transcripts.question_panel import QuestionPanel
from ui.widgets.ask import ask
from ui.widgets.form_parts import error_label

RESUMED = "已恢复上次未保存的输入（程序上次未正常关闭）。"
FINALIZE_WARNING = (
    "定稿后笔录不能再修改；结束时间未填的，记为现在。\n\n"
    "请确认被询问人已核对并在每页签名。确定定稿“{title}”吗？"
)
TYPING = "正在记录…"
STATUS_STYLE = "color: #5b6675;"
SAVED_STYLE = "color: #1c6b32;"
INFO_STYLE = "color: #1f4e8c; background: #eef3fb; padding: 4px;"
NOTICE_STYLE = "background: #fafafa; border: 1px solid #dfe3e8; padding: 8px; line-height: 150%;"
SECTION_STYLE = "font-weight: bold; margin-top: 10px;"
CARET_MARGIN = 48  # pixels kept in view below the line typed


class TranscriptEditorDialog(QDialog):
    """One transcript; ``changed`` tells lists to reload (after a checkpoint, 核对, 补正, 定稿)."""

    changed = Signal()

    def __init__(
        self,
        context: AppContext,
        document_id: str,
        parent: QWidget | None = None,
        now: Callable[[], dt.datetime] = local_now,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("笔录")
        self.resize(1180, 680)  # with a title bar, within the 728 px above a laptop taskbar
        self._context = context
        self._now = now
        self.document_id = document_id
        self.view: DocumentView | None = None
        self.spec: DocumentSpec | None = None
        self.header: HeaderForm | None = None
        self.qa_field = "qa"
        self._violation_codes: tuple[str, ...] = ()
        self.dialog: QDialog | None = None  # the open 补正 form
        self.confirmation: QMessageBox | None = None  # the open 定稿? question
        self.print_job: PrintJob | None = None
        self.saver = TranscriptSaver(context, document_id, self.values, self)
        self.saver.saved.connect(self._saved)
        self.saver.checkpointed.connect(self.changed.emit)
        self.saver.failed.connect(self._save_failed)
        self._setup_ui()
        self.reload()

    # --- layout --------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 15pt; font-weight: bold;")
        self.facts = QLabel()
        self.facts.setStyleSheet(STATUS_STYLE)
        self.info = QLabel(RESUMED)
        self.info.setStyleSheet(INFO_STYLE)
        self.info.hide()
        self.area = QScrollArea()
        self.area.setWidgetResizable(True)
        # a scroll bar that comes and goes changes the record's width: every pair measured again
        self.area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.questions = QuestionPanel()
        self.questions.hide()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.area)
        self.splitter.addWidget(self.questions)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([860, 300])
        self.message = error_label()
        self.status = QLabel()
        self.status.setStyleSheet(STATUS_STYLE)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.facts)
        layout.addWidget(self.info)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.message)
        layout.addLayout(self._buttons())

    def _buttons(self) -> QHBoxLayout:
        self.preview_button = keyed(_button("预览/打印", self.preview), PRINT_PREVIEW)
        self.finalize_button = keyed(_button("定稿…", self.finalize), ISSUE)  # a 笔录's 签发
        self.close_button = _button("关闭", self.reject)  # not Esc: a slip would end the record
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        for button in (self.preview_button, self.finalize_button, self.close_button):
            button.setEnabled(button is self.close_button)
            row.addWidget(button)
        return row

    def _build(self, view: DocumentView) -> None:
        """The page for the transcript's type, built once its type is known."""
        self.spec = document_spec(view.type_key)
        self.qa_field = transcripts.qa_field(view.type_key)
        self.header = self._header_for(self.spec, view.variant)
        self.header.edited.connect(self._edited)
        self.header.relation_changed.connect(lambda _relation: self._show_questions())
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet(NOTICE_STYLE)
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notice_answer = QLineEdit()
        self.notice_answer.textChanged.connect(self._edited)
        self.qa = QaList()
        self.qa.edited.connect(self._edited)
        self.qa.caret_moved.connect(self._keep_in_view)
        self.qa.correct_requested.connect(self.correct)
        self.closing = ClosingPanel()
        self.closing.read_back_requested.connect(self.read_back)
        self.closing.resume_requested.connect(self.resume)
        self.questions.chosen.connect(self.qa.insert_question)
        self.questions.setVisible(isinstance(self.header, InquiryHeader))
        self.area.setWidget(self._page())

    def _header_for(self, spec: DocumentSpec, variant: str | None) -> HeaderForm:
        """The 询问笔录 form when the spec has its fields, else the spec's fields one by one."""
        if set(spec.fields) >= INQUIRY_FIELDS:
            return InquiryHeader(self._now)
        return GenericHeader(spec, variant, self.qa_field)

    def _page(self) -> QWidget:
        assert self.spec is not None and self.header is not None
        reply = QWidget()  # the recorded answer to the notice, for types that print one
        answer_row = QHBoxLayout(reply)
        answer_row.setContentsMargins(0, 0, 0, 0)
        answer_row.addWidget(QLabel("答："))
        answer_row.addWidget(self.notice_answer, 1)
        page = QWidget()
        column = QVBoxLayout(page)
        column.addWidget(self.header)
        column.addWidget(_section("告知"))
        column.addWidget(self.notice)
        column.addWidget(reply)
        reply.setHidden("notice_answer" not in self.spec.fields)  # once it is in the page
        column.addWidget(_section(f"{self.spec.fields[self.qa_field].label}："))
        column.addWidget(self.qa)
        column.addSpacing(12)
        column.addWidget(self.closing)
        column.addStretch()
        return page

    # --- loading -------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the transcript (journal included) in the background."""
        database, document_id = self._context.database, self.document_id
        actor = self._context.actor
        self._context.workers.run(
            lambda: load_transcript(database, actor, document_id), self._show, self._failed
        )

    def _show(self, loaded: LoadedTranscript) -> None:
        view, values = loaded.state.document, loaded.state.values
        first = self.view is None
        if first:
            self._build(view)
            self.info.setVisible(loaded.state.resumed)
        assert self.header is not None
        self.view = view
        self._violation_codes = loaded.violation_codes
        self._show_values(values, header=first or not self.saver.pending())
        self.notice.setText(loaded.notice)
        self.notice.setVisible(bool(loaded.notice))
        self._show_state(view, values)
        if first:
            self._show_questions()
            self._focus_start()

    def _show_values(self, values: dict[str, Any], header: bool) -> None:
        """The stored values in the form; the header is left alone while typing there is
        not yet stored (a reload after 补正 must not undo it)."""
        assert self.header is not None
        if header:
            self.header.set_values(values)
            self.notice_answer.blockSignals(True)
            self.notice_answer.setText(str(values.get("notice_answer") or ""))
            self.notice_answer.blockSignals(False)
        self.qa.set_entries(values.get(self.qa_field) or [])

    def _show_state(self, view: DocumentView, values: dict[str, Any]) -> None:
        """What may be done now: type, only correct (after the read-back), or nothing (定稿)."""
        assert self.header is not None
        draft = view.status == "draft"
        read_back = str(values.get("read_back") or "")
        self.header.set_read_only(not draft)
        self.notice_answer.setReadOnly(not draft)
        mode = Mode.READ_ONLY if not draft else Mode.CORRECTING if read_back else Mode.TYPING
        self.qa.set_mode(mode)
        self.questions.setEnabled(mode is Mode.TYPING)
        if mode is Mode.TYPING and not self.qa.count():
            self.qa.set_entries([{"id": transcripts.new_entry_id(), "q": "", "a": ""}])
        self.closing.show_state(read_back, values.get("corrections") or [], final=not draft)
        self.closing.setVisible("read_back" in (self.spec.fields if self.spec else {}))
        self.setWindowTitle(view.title)
        self.heading.setText(_heading(view, values))
        self.facts.setText(_facts(view, values))
        self.preview_button.setEnabled(True)
        self.finalize_button.setVisible(draft)
        self.finalize_button.setEnabled(draft)
        if not draft:
            self.saver.stop()
            self.status.setText("已定稿的笔录不能修改。")

    def _show_questions(self) -> None:
        """The template sets for the relation chosen and the case's violations."""
        if self.header is None or not self.questions.isVisibleTo(self):
            return
        sets = question_sets(self.header.relation(), self._violation_codes)
        self.questions.show_sets(sets, asked=[pair["q"] for pair in self.qa.entries()])

    def _focus_start(self) -> None:
        """Where typing goes on: the last question or answer of a draft."""
        if self.qa.mode is Mode.TYPING and self.qa.count():
            last = self.qa.pair(-1)
            (last.answer if last.text(QUESTION) else last.question).focus_at(True)

    # --- typing --------------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        """What the editor holds, as the journal stores it (the pairs only while they may be
        typed: after the read-back they change by 补正 alone)."""
        assert self.header is not None and self.spec is not None
        values = self.header.values()
        if "notice_answer" in self.spec.fields:
            values["notice_answer"] = self.notice_answer.text()
        if self.qa.mode is Mode.TYPING:
            values[self.qa_field] = self.qa.entries()
        return values

    def _edited(self) -> None:
        if self.view is None or self.view.status != "draft":
            return
        if self.status.text() != TYPING:  # once per burst: a style sheet costs at each key
            self.status.setStyleSheet(STATUS_STYLE)
            self.status.setText(TYPING)
        self.saver.touch()

    def _saved(self, _committed: float) -> None:
        if self.saver.pending():
            return  # more typing is on its way to the journal
        self.status.setStyleSheet(SAVED_STYLE)
        self.status.setText(f"已保存 {dt.datetime.now():%H:%M:%S}")
        self.message.clear()

    def _save_failed(self, error: Exception) -> None:
        self.status.setStyleSheet(STATUS_STYLE)
        self.status.setText("未能保存")
        self.message.setText(failure_text(error))

    def _keep_in_view(self, box: QWidget) -> None:
        """The line being typed stays on screen (after the layout has taken the new height)."""
        QTimer.singleShot(0, lambda: self._scroll_to(box))

    def _scroll_to(self, box: QWidget) -> None:
        page = self.area.widget()
        if page is None or not isinstance(box, EntryBox) or not box.isVisible():
            return
        # a new pair or a longer answer is placed by layouts still pending: place it first
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        point = box.mapTo(page, box.cursorRect().center())
        self.area.ensureVisible(point.x(), point.y(), 10, CARET_MARGIN)

    # --- read-back, 补正, 定稿 -----------------------------------------------------------

    def read_back(self, how: str) -> None:
        """核对: stored with everything typed; the pairs lock."""
        context, document_id = self._context, self.document_id
        self._run(
            lambda: transcripts.mark_read_back(context.database, context.actor, document_id, how)
        )

    def resume(self) -> None:
        """继续询问 after a read-back: the pairs open again, to be checked once more."""
        context, document_id = self._context, self.document_id
        self._run(
            lambda: transcripts.resume_questioning(context.database, context.actor, document_id)
        )

    def correct(self, entry_id: str) -> None:
        """补正… of one pair: which part, and what it is to say."""
        position = self.qa.position_of(entry_id)
        dialog = CorrectionDialog(position + 1, self.qa.pair(position).value(), self)
        context, document_id = self._context, self.document_id

        def recorded(_none: object) -> None:
            dialog.accept()
            self._after_change()

        def submit(_form: object) -> None:
            part, text = dialog.part_key(), dialog.new_text()
            self.saver.run(
                lambda: transcripts.record_correction(
                    context.database, context.actor, document_id, entry_id, part, text
                ),
                recorded,
                lambda error: dialog.refused(failure_text(error)),
            )

        dialog.on_submit(submit)
        dialog.open()
        self.dialog = dialog

    def finalize(self) -> None:
        """定稿, after asking: the transcript is issued and can no longer change."""
        title = self.view.title if self.view else ""
        warning = FINALIZE_WARNING.format(title=title)
        self.confirmation = ask(  # Enter answers 定稿
            self, "定稿", warning, "定稿", self._finalize_confirmed, yes_is_default=True
        )

    def _finalize_confirmed(self) -> None:
        context, document_id = self._context, self.document_id
        self._run(
            lambda: transcripts.finalize_transcript(context.database, context.actor, document_id)
        )

    def preview(self) -> None:
        """预览/打印 of the transcript as stored, once the typing is folded into it."""
        self.print_job = PrintJob(self._context, [self.document_id], self)
        job = self.print_job
        if self.view is not None and self.view.status == "draft":
            self.saver.checkpoint(job.start)
        else:
            job.start()

    def _run(self, work: Callable[[], Any]) -> None:
        """A core call after the typing is stored; then the editor shows the outcome."""
        self.message.clear()
        self.finalize_button.setEnabled(False)
        self.saver.run(work, lambda _result: self._after_change(), self._failed)

    def _after_change(self) -> None:
        self.reload()
        self.changed.emit()

    def _failed(self, error: Exception) -> None:
        self.message.setText(failure_text(error))
        self.finalize_button.setEnabled(self.view is not None and self.view.status == "draft")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Esc does not close the record: a slip of the finger mid-interview would; 关闭 and
        the close box do."""
        if event.key() == Qt.Key.Key_Escape:
            event.accept()
            return
        super().keyPressEvent(event)

    def reject(self) -> None:
        """关闭 and the close box: what was typed is folded into the document first."""
        if self.view is not None and self.view.status == "draft":
            self.saver.checkpoint()
        super().reject()


def _heading(view: DocumentView, values: dict[str, Any]) -> str:
    who = values.get("interviewee_name") or values.get("party_name") or ""
    relation = values.get("relation") or ""
    return f"{view.title}　{who}（{relation}）" if who and relation else f"{view.title}　{who}"


def _facts(view: DocumentView, values: dict[str, Any]) -> str:
    """Status, 第几次询问 and when it ran (still running: no end yet)."""
    parts = [view.status_label]
    if values.get("sequence"):
        parts.append(f"第{values['sequence']}次询问")
    if values.get("started_at"):
        ended = values.get("ended_at") or "（进行中）"
        parts.append(f"{values['started_at']} 至 {ended}")
    return "　".join(parts)


def _section(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet(SECTION_STYLE)
    return label


def _button(text: str, slot: Callable[[], None]) -> QPushButton:
    """A button Enter in a box never presses (Enter moves through the record)."""
    button = QPushButton(text)
    button.setAutoDefault(False)
    button.clicked.connect(slot)
    return button


def is_transcript_type(type_key: str) -> bool:
    """Whether documents of ``type_key`` are typed as questions and answers (a spec with a
    ``qa`` field): those open in this editor."""
    try:
        spec = document_spec(type_key)
    except UserError:
        return False
    return any(field.kind == "qa" for field in spec.fields.values())

"""The document editor: a draft's fields, autosaved as they are typed, then 签发; an issued
document shown read-only with what may still happen to it (送达, 更正, 作废).

The form is generated from the type's spec, so one dialog edits every type. A change is saved
400 ms after the typing stops (Ctrl+S saves at once), on the worker thread, and the status line
says when it was; 签发 saves the last keystrokes and issues in one background call, and a refusal
(the required fields still empty …) is shown under the form in the core's words.

The editor opens with the cursor in the first empty field (a draft filled from the case or the
inspection usually leaves only what the inspector must write); paragraphs grow with their text
and share the free height, so nothing needs scrolling in a window that fits a 768-px screen.
Every action has its key on its button, and the 签发 question is answered 签发 by Enter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.documents.spec import DocumentSpec, document_spec
from fuanjian_desktop.domain.documents.document_types import document_type
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.documents import documents
from fuanjian_desktop.services.documents.documents import DocumentView
from fuanjian_desktop.services.inspections.inspections import local_today
from ui.context import AppContext
from ui.documents.fields import BoxField, FieldEditor, RowsField, field_editor
from ui.documents.lifecycle_dialogs import LifecycleDialog, ReasonDialog, ServeDialog
from ui.documents.printing import PrintJob
from ui.errors import failure_text
from ui.shortcuts import CORRECT, ISSUE, PRINT_PREVIEW, SAVE, SERVE, VOID, keyed
from ui.widgets.ask import ask
from ui.widgets.form_parts import aligned_form, error_label

AUTOSAVE_DELAY_MS = 400
SIZE = (760, 680)  # with its frame within the 728 px a 768-px screen leaves above a taskbar
ON_ISSUE = "document."  # context keys taken from the document itself when it is issued
REQUIRED_MARK = '<span style="color:#b3261e;">*</span>'
MISSING_STYLE = "color: #b3261e; font-weight: bold;"  # a label the step found empty
ISSUE_WARNING = "签发后内容不可修改，将取得文号并记录签发时间。\n\n确定签发“{title}”吗？"
CORRECT_NOTE = "更正会生成一份新版本的草稿，签发后替代本文书；本文书保留，标为已更正。"
VOID_NOTE = "作废后本文书不再有效，文号不再使用，作废原因记录在案。"
DISCARD_WARNING = "删除这份草稿？草稿内容将不再保留。"
STATUS_STYLE = "color: #5b6675;"
SAVED_STYLE = "color: #1c6b32;"
# what may happen to a document in each status; the core checks again
ACTIONS_BY_STATUS = {
    "draft": ("preview", "issue", "discard"),
    "issued": ("preview", "serve", "correct", "void"),
    "served": ("preview", "correct"),  # served papers are corrected, never voided
    "voided": ("preview",),
    "superseded": ("preview",),
}
ACTION_TEXTS = {
    "discard": "删除草稿",
    "preview": "预览打印",
    "issue": "签发…",
    "serve": "送达…",
    "correct": "更正…",
    "void": "作废…",
}
ACTION_KEYS = {  # 删除草稿 has none: it destroys, so it takes a deliberate click or Tab+Space
    "preview": PRINT_PREVIEW,
    "issue": ISSUE,
    "serve": SERVE,
    "correct": CORRECT,
    "void": VOID,
}


class DocumentEditorDialog(QDialog):
    """One document; ``changed`` tells lists to reload after an issue, serve, correction …
    (not after an autosave: a draft's row in the list does not change as it is typed)."""

    changed = Signal()

    def __init__(
        self,
        context: AppContext,
        document_id: str,
        parent: QWidget | None = None,
        today: Callable[[], dt.date] = local_today,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("文书")
        self.resize(*SIZE)
        self._context = context
        self._today = today
        self.document_id = document_id
        self.view: DocumentView | None = None
        self.fields: dict[str, FieldEditor] = {}
        self.labels: dict[str, QLabel] = {}
        self.missing: tuple[str, ...] = ()  # fields a procedure step found empty, marked
        self._automatic: set[str] = set()  # fields the core fills when the document is issued
        self.dialog: QDialog | None = None  # the open sub-dialog, kept alive while shown
        self.print_job: PrintJob | None = None
        self.confirmation: QMessageBox | None = None  # the open question (签发? 删除?)
        self._dirty = False  # typed since the last save began
        self._saving = False
        self._after_save: list[Callable[[], None]] = []  # waiting for the typing to be stored
        self._timer = QTimer(self, singleShot=True, interval=AUTOSAVE_DELAY_MS)
        self._timer.timeout.connect(self.save_now)
        QShortcut(QKeySequence(SAVE), self, activated=self.save_now)
        self._setup_ui()
        self.reload()

    # --- layout --------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 15pt; font-weight: bold;")
        self.facts = QLabel()
        self.facts.setWordWrap(True)
        self.facts.setStyleSheet(STATUS_STYLE)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.message = error_label()
        self.status = QLabel()
        self.status.setStyleSheet(STATUS_STYLE)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.facts)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.message)
        layout.addLayout(self._buttons())

    def _buttons(self) -> QHBoxLayout:
        self.buttons: dict[str, QPushButton] = {}
        slots = {
            "discard": self.discard,
            "preview": self.preview,
            "issue": self.issue,
            "serve": self.serve,
            "correct": self.correct,
            "void": self.void,
        }
        for key, slot in slots.items():
            self.buttons[key] = _button(ACTION_TEXTS[key], slot)
            if key in ACTION_KEYS:
                keyed(self.buttons[key], ACTION_KEYS[key])
            self.buttons[key].hide()
        self.close_button = _button("关闭 (Esc)", self.reject)
        row = QHBoxLayout()
        row.addWidget(self.buttons["discard"])  # apart from the others: it destroys
        row.addWidget(self.status, 1)
        for key in [key for key in slots if key != "discard"]:
            row.addWidget(self.buttons[key])
        row.addWidget(self.close_button)
        return row

    def _build_form_of(self, type_key: str, variant: str | None) -> None:
        """The form of the type; a type without a spec (a record made by a procedure step
        before its spec existed) shows no fields and says why."""
        try:
            spec = document_spec(type_key)
        except UserError as error:
            self.fields = {}
            self.message.setText(error.message)
            return
        self._build_form(spec, variant)

    def _build_form(self, spec: DocumentSpec, variant: str | None) -> None:
        """One editor per field the variant prints (a 个人 form asks no 法定代表人), required
        ones marked with a red star; a value the core fills on issue (签发日期) is shown but
        not typed."""
        self.fields, self.labels = {}, {}
        self._automatic = {name for name, f in spec.fields.items() if f.source.startswith(ON_ISSUE)}
        form = aligned_form()
        form.setFieldGrowthPolicy(form.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        printed = spec.printed_fields(variant)
        for name, field in [(name, f) for name, f in spec.fields.items() if name in printed]:
            editor = field_editor(spec, field)
            editor.edited.connect(self._edited)
            if name in self._automatic:
                editor.setToolTip("签发时自动填写")
            label = QLabel(f"{REQUIRED_MARK if field.required else ''}{field.label}：")
            form.addRow(label, editor)
            self.fields[name], self.labels[name] = editor, label
        page = QWidget()
        column = QVBoxLayout(page)
        column.addLayout(form)
        if not any(isinstance(editor, BoxField | RowsField) for editor in self.fields.values()):
            column.addStretch()  # spare height goes below a form of lines, not between its rows
        self.scroll.setWidget(page)

    # --- loading -------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the document (and build the form for its type) in the background."""
        database, document_id = self._context.database, self.document_id
        actor = self._context.actor
        self._set_busy(True)
        self._context.workers.run(
            lambda: documents.document_view(database, actor, document_id), self._show, self._failed
        )

    def _show(self, view: DocumentView) -> None:
        retyped = self.view is None or (self.view.type_key, self.view.variant) != (
            view.type_key,
            view.variant,
        )
        self.view = view
        if retyped:
            self._build_form_of(view.type_key, view.variant)
        for name, editor in self.fields.items():
            editor.set_value(view.values.get(name))
            editor.set_read_only(view.status != "draft" or name in self._automatic)
        if retyped:
            self._focus_first_field()
        self.setWindowTitle(view.title)
        self.heading.setText(view.title)
        self.facts.setText(_facts(view))
        self._show_actions(view)
        self._set_busy(False)
        self._show_missing()

    def _focus_first_field(self) -> None:
        """The cursor in the first empty field the user types (else the first such field): the
        form is built after the window is shown, so the app's rule for dialogs comes too early."""
        editors = [e for name, e in self.fields.items() if name not in self._automatic]
        first = next((e for e in editors if e.is_empty()), editors[0] if editors else None)
        if first is not None:
            self._focus_later(first)

    def mark_missing(self, fields: tuple[str, ...], hint: str) -> None:
        """Mark the fields a procedure step refused to issue without, say so, and put the cursor
        in the first (applied once the form is built, if it is not yet). The step issues this
        draft, so the editor offers no 签发 of its own."""
        self.missing = fields
        self.message.setText(hint)
        if self.view is not None:
            self._show_actions(self.view)
        self._show_missing()

    def _show_missing(self) -> None:
        for name in self.missing:
            if name in self.labels:
                self.labels[name].setStyleSheet(MISSING_STYLE)
        first = next((self.fields[name] for name in self.missing if name in self.fields), None)
        if first is not None:
            self._focus_later(first)

    def _focus_later(self, field: FieldEditor) -> None:
        """Put the cursor in ``field`` once pending events ran: after the app's first-field
        rule, which the window's showing queued, and in this window rather than the one it
        was opened from (a step dialog, the 文书 window)."""

        def focus() -> None:
            self.activateWindow()
            field.setFocus()

        QTimer.singleShot(0, self, focus)

    def _show_actions(self, view: DocumentView) -> None:
        allowed = ACTIONS_BY_STATUS.get(view.status, ("preview",))
        served = document_type(view.type_key).served
        for_step = bool(self.missing)  # the step issues this draft: no 签发 of its own here
        for key, button in self.buttons.items():
            shown = key in allowed and (key != "serve" or served)
            button.setVisible(shown and not (for_step and key == "issue"))
        if view.status != "draft":
            self.status.setText("已签发的文书不能修改；如有错误请更正或作废。")

    def _set_busy(self, busy: bool) -> None:
        for button in self.buttons.values():
            button.setEnabled(not busy)

    # --- autosave ------------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        """What the form holds, field by field."""
        return {name: editor.value() for name, editor in self.fields.items()}

    def _edited(self) -> None:
        self._dirty = True
        self.status.setStyleSheet(STATUS_STYLE)
        self.status.setText("有未保存的修改…")
        self._timer.start()

    def save_now(self) -> None:
        """Save what is typed (on the worker); typing during a save is saved right after."""
        self._timer.stop()
        if self._saving or not self._dirty:
            return
        database, actor, document_id = self._context.database, self._context.actor, self.document_id
        values = self.values()
        self._saving, self._dirty = True, False
        self._context.workers.run(
            lambda: documents.save_draft(database, actor, document_id, values),
            self._saved,
            self._save_failed,
        )

    def when_saved(self, then: Callable[[], None]) -> None:
        """Call ``then`` once what is typed is stored (at once when nothing is pending)."""
        self.save_now()
        if self._saving:
            self._after_save.append(then)
        else:
            then()

    def _saved(self, _result: object) -> None:
        self._saving = False
        if self._dirty:  # typed during the save: store that too before anything waits on it
            self.save_now()
            return
        self.status.setStyleSheet(SAVED_STYLE)
        self.status.setText(f"已自动保存 {dt.datetime.now():%H:%M:%S}")
        waiting, self._after_save = self._after_save, []
        for then in waiting:
            then()

    def _save_failed(self, error: Exception) -> None:
        self._saving, self._dirty, self._after_save = False, True, []
        self.status.setStyleSheet(STATUS_STYLE)
        self.status.setText("未能保存")
        self.message.setText(failure_text(error))

    def pending(self) -> bool:
        """Whether typing has not yet reached the database."""
        return self._dirty or self._saving

    # --- actions -------------------------------------------------------------------------

    def preview(self) -> None:
        """Render the document as stored, once the typing is, and open the print preview."""
        self.print_job = PrintJob(self._context, [self.document_id], self)
        self.when_saved(self.print_job.start)

    def issue(self) -> None:
        """Ask first: an issued document can no longer be edited."""
        title = self.view.title if self.view else ""
        warning = ISSUE_WARNING.format(title=title)  # Enter answers 签发
        self.confirmation = ask(
            self, "签发文书", warning, "签发", self._issue_confirmed, yes_is_default=True
        )

    def _issue_confirmed(self) -> None:
        """Issue once the last keystrokes are stored, so they are what is signed."""
        context, document_id, on = self._context, self.document_id, self._today()
        self.when_saved(
            lambda: self._run(
                lambda: documents.issue_document(context.database, context.actor, document_id, on),
                lambda _view: self._after_change(),
            )
        )

    def serve(self) -> None:
        """送达: method, date and recipient, then the document is 已送达."""
        title = self.view.title if self.view else ""
        dialog = ServeDialog(title, self._today(), self)
        context, document_id = self._context, self.document_id

        def submit(form: LifecycleDialog) -> None:
            assert isinstance(form, ServeDialog)
            method, on, recipient = (
                form.method.currentText(),
                form.served_on(),
                form.recipient.text(),
            )
            self._run_in(
                form,
                lambda: documents.serve_document(
                    context.database,
                    context.actor,
                    document_id,
                    method=method,
                    on=on,
                    recipient=recipient,
                ),
                lambda _none: self._after_change(),
            )

        self._open(dialog, submit)

    def correct(self) -> None:
        """更正: a new draft that names this document and why; the editor then shows it."""
        dialog = ReasonDialog("更正文书", CORRECT_NOTE, "生成更正稿", self)
        self._with_reason(dialog, documents.correct_document, self._show_correction)

    def void(self) -> None:
        """作废 (only before service), with its reason."""
        dialog = ReasonDialog("作废文书", VOID_NOTE, "作废", self)
        self._with_reason(dialog, documents.void_document, lambda _none: self._after_change())

    def _with_reason(
        self,
        dialog: ReasonDialog,
        change: Callable[[Database, Actor, str, str], Any],
        done: Callable[[Any], None],
    ) -> None:
        """Open ``dialog``; its OK makes ``change`` with the reason typed."""
        context, document_id = self._context, self.document_id

        def submit(form: LifecycleDialog) -> None:
            reason = dialog.reason_text()
            self._run_in(
                form, lambda: change(context.database, context.actor, document_id, reason), done
            )

        self._open(dialog, submit)

    def discard(self) -> None:
        """Delete this draft, after asking."""
        self._ask("删除草稿", DISCARD_WARNING, "删除", self._discard)

    def _discard(self) -> None:
        """Typing not yet saved is dropped; a save under way finishes first."""
        self._timer.stop()
        self._dirty = False
        context, document_id = self._context, self.document_id
        self.when_saved(
            lambda: self._run(
                lambda: documents.discard_draft(context.database, context.actor, document_id),
                self._discarded,
            )
        )

    def _discarded(self, _none: object) -> None:
        self.changed.emit()
        self.accept()

    # --- plumbing ------------------------------------------------------------------------

    def _ask(self, title: str, text: str, yes_text: str, then: Callable[[], None]) -> None:
        """A window-modal question; ``then`` runs only on ``yes_text``."""
        self.confirmation = ask(self, title, text, yes_text, then)

    def _open(self, dialog: LifecycleDialog, submit: Callable[[LifecycleDialog], None]) -> None:
        dialog.on_submit(submit)
        dialog.open()
        self.dialog = dialog

    def _run(self, work: Callable[[], Any], done: Callable[[Any], None]) -> None:
        """A lifecycle call on the worker; a refusal is shown under the form."""
        self.message.clear()
        self._set_busy(True)
        self._context.workers.run(work, done, self._failed)

    def _run_in(
        self, form: LifecycleDialog, work: Callable[[], Any], done: Callable[[Any], None]
    ) -> None:
        """A call made from a sub-dialog: it closes on success, shows a refusal otherwise."""

        def succeeded(result: Any) -> None:
            form.accept()
            done(result)

        self._context.workers.run(work, succeeded, lambda error: form.refused(failure_text(error)))

    def _failed(self, error: Exception) -> None:
        self.message.setText(failure_text(error))
        self._set_busy(False)

    def _after_change(self) -> None:
        self.message.clear()
        self.reload()
        self.changed.emit()

    def _show_correction(self, new_id: str) -> None:
        """The editor moves on to the correction draft."""
        self.document_id = new_id
        self._after_change()

    def reject(self) -> None:
        """关闭, Esc and the window's close box: typing not yet saved is saved first."""
        self.save_now()
        super().reject()


def _facts(view: DocumentView) -> str:
    """The line under the title: 文号, status, dates, version and what it corrects."""
    parts = [view.number or "（签发时取号）", view.status_label]
    if view.issued_on:
        parts.append(f"签发 {view.issued_on:%Y-%m-%d}")
    if view.served_on:
        parts.append(f"送达 {view.served_on:%Y-%m-%d} {view.served_method or ''}".strip())
    if view.edition > 1:
        parts.append(f"第{view.edition}版")
    text = "　".join(parts)
    if view.correction_reason:
        text += f"\n更正原因：{view.correction_reason}"
    if view.void_reason:
        text += f"\n作废原因：{view.void_reason}"
    return text


def _button(text: str, slot: Callable[[], None]) -> QPushButton:
    """A button Enter in a field never presses (删除草稿 must be a deliberate click)."""
    button = QPushButton(text)
    button.setAutoDefault(False)
    button.clicked.connect(slot)
    return button

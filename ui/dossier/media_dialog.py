"""导入音像资料: a 执法记录仪 audio or video file goes into the case's evidence.

The volume lists such records on its 音像资料目录 page, never embeds them, so what the dialog
asks is what that page prints: 名称, 类型, 执法记录仪编号, the officer (one of the case's
承办人), start and end time, the step of the case it records (the steps on the case's timeline,
or 现场检查) and why the recording is not continuous, if it is not. Recorder files run to
gigabytes: the import streams the file into the encrypted store on the workers, with a
progress bar; 后台导入 (or Esc) puts the dialog away while the copy goes on, so the clerk keeps
working, and it comes back only if the core refuses. The core checks every field before the
copy starts; a refusal is shown beside its field and nothing is stored.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDateTime, QObject, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fuanjian_desktop.domain.registry_rules import FieldIssue
from fuanjian_desktop.services.dossiers import media
from fuanjian_desktop.services.dossiers.media import MediaChoices, MediaInput
from ui.context import AppContext
from ui.dossier.refusals import show_refusal
from ui.file_dialogs import in_documents
from ui.local_time import from_qdatetime
from ui.widgets.field_errors import FieldErrors
from ui.widgets.form_parts import aligned_form, lay_out_form_dialog

# what the evidence store recognises (evidence/media_check.py: by content, not by name)
AUDIO_EXTENSIONS = (".wav", ".mp3", ".m4a", ".aac", ".amr", ".flac", ".ogg")
VIDEO_EXTENSIONS = (".mp4", ".mov", ".avi", ".mkv", ".webm", ".3gp", ".3g2", ".mpg")
# file-dialog filter; both cases, since Linux matches patterns case-sensitively
MEDIA_FILTER = (
    "执法记录仪文件 ("
    + " ".join(f"*{e} *{e.upper()}" for e in VIDEO_EXTENSIONS + AUDIO_EXTENSIONS)
    + ");;所有文件 (*)"
)
KINDS = (("video", "视频"), ("audio", "音频"))
SECONDS_FORMAT = "yyyy-MM-dd HH:mm:ss"  # a recorder stamps its files to the second
PERCENT = 100
CANCEL = QDialogButtonBox.StandardButton.Cancel
NO_FILE = "请先选择要导入的文件（选择文件…，Alt+F）。"
WAIT = "正在导入：文件复制进加密证据库，大文件需要几分钟。可以关闭本窗口，导入在后台继续。"


class ImportProgress(QObject):
    """Carries the import's progress from the worker to the UI thread (a queued signal).

    The worker calls ``report``; only a change of a whole percent is signalled, so a file of
    gigabytes read in small chunks does not flood the event queue.
    """

    moved = Signal(int, int)  # bytes done, bytes in all

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._last = -1

    def restart(self) -> None:
        """Before an import: its first report is signalled whatever the last one was."""
        self._last = -1

    def report(self, done: int, total: int) -> None:
        """Called on the worker thread by the import."""
        percent = done * PERCENT // total if total else PERCENT
        if percent != self._last:
            self._last = percent
            self.moved.emit(done, total)


class MediaDialog(QDialog):
    """The form of one recorder file; ``changed`` once it is stored (then the dialog closes)."""

    changed = Signal()

    def __init__(self, context: AppContext, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("导入音像资料（执法记录仪）")
        self.setMinimumWidth(580)
        self._context = context
        self._case_id = case_id
        self.importing = False
        self.progress = ImportProgress(self)
        self.progress.moved.connect(self._moved)
        self.errors = FieldErrors()
        self._setup_ui()
        context.workers.run(
            lambda: media.media_choices(context.database, context.actor, case_id),
            self._show_choices,
            lambda error: show_refusal(self.errors, error),
        )

    # --- layout --------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        form = aligned_form()
        self.errors.add_row(form, "文件：", "path", self._file_row())
        self.title = QLineEdit()
        self.title.setPlaceholderText("如：现场检查执法全过程录像")
        self.errors.add_row(form, "名称/内容：", "title", self.title)
        self.kind = QComboBox()
        for kind, label in KINDS:
            self.kind.addItem(label, kind)
        self.errors.add_row(form, "类型：", "kind", self.kind)
        self.device = QLineEdit()
        self.device.setPlaceholderText("执法记录仪机身编号，如：DSJ-0012")
        self.errors.add_row(form, "执法记录仪编号：", "device", self.device)
        self.officer = QComboBox()
        self.errors.add_row(form, "执法人员：", "officer_id", self.officer)
        now = QDateTime.currentDateTime()
        self.started = _moment(now)
        self.errors.add_row(form, "开始时间：", "started_at", self.started)
        self.ended = _moment(now)
        self.errors.add_row(form, "结束时间：", "ended_at", self.ended)
        self.step = QComboBox()
        self.errors.add_row(form, "记录的执法环节：", "step", self.step)
        self.gap = QPlainTextEdit()
        self.gap.setPlaceholderText("录制不连续时填写，如：电池耗尽，更换电池后继续录制")
        self.gap.setFixedHeight(60)
        self.errors.add_row(form, "间断原因：", "gap_reason", self.gap)
        self.bar = QProgressBar()
        self.bar.setRange(0, PERCENT)
        self.bar.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        body = QVBoxLayout()
        body.addLayout(form)
        body.addWidget(self.bar)
        body.addWidget(self.status)
        self.save_button = lay_out_form_dialog(
            self, body, self.errors.general, self.try_import, "导入"
        )
        self.cancel_button = self.findChild(QDialogButtonBox).button(CANCEL)
        self.save_button.setEnabled(False)  # until the officers and steps are shown
        self.path.setFocus()

    def _file_row(self) -> QWidget:
        self.path = QLineEdit()
        self.path.setPlaceholderText("按 Alt+F 选择文件，或粘贴文件路径")
        self.path.editingFinished.connect(self._path_typed)
        self.choose_button = QPushButton("选择文件(&F)…")
        self.choose_button.setAutoDefault(False)
        self.choose_button.clicked.connect(self.choose_file)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.path, 1)
        row.addWidget(self.choose_button)
        holder = QWidget()
        holder.setLayout(row)
        return holder

    def _show_choices(self, choices: MediaChoices) -> None:
        for user_id, name in choices.officers:
            self.officer.addItem(name, user_id)
        for code, label in choices.steps:
            self.step.addItem(label, code)
        self.save_button.setEnabled(True)

    # --- the file ------------------------------------------------------------------------

    def choose_file(self) -> None:
        """Pick the recorder's file; its type is guessed from its name."""
        path, _ = QFileDialog.getOpenFileName(self, "选择音像资料", in_documents(), MEDIA_FILTER)
        if path:
            self.set_file(Path(path))

    def _path_typed(self) -> None:
        """A path pasted or typed: used as if chosen (its problems are the core's to say)."""
        typed = self.path.text().strip()
        if typed and typed != self.path.toolTip():
            self.set_file(Path(typed))

    def set_file(self, path: Path) -> None:
        """Use ``path``: its name proposes 音频 for a sound file, and the title if empty."""
        self.path.setText(str(path))
        self.path.setToolTip(str(path))
        self.path.setCursorPosition(len(str(path)))  # the file's name shows, not the folder
        size = path.stat().st_size if path.is_file() else None
        self.status.setText(f"文件大小：{size_text(size)}" if size is not None else "")
        audio = path.suffix.lower() in AUDIO_EXTENSIONS
        self.kind.setCurrentIndex(self.kind.findData("audio" if audio else "video"))
        if not self.title.text().strip():
            self.title.setText(path.stem)

    # --- importing -----------------------------------------------------------------------

    def media_input(self) -> MediaInput:
        """The form's content as the core's input."""
        return MediaInput(
            title=self.title.text().strip(),
            kind=self.kind.currentData(),
            device=self.device.text().strip(),
            officer_id=self.officer.currentData(),
            started_at=from_qdatetime(self.started.dateTime()),
            ended_at=from_qdatetime(self.ended.dateTime()),
            step=self.step.currentData() or "",
            gap_reason=self.gap.toPlainText().strip(),
        )

    def try_import(self) -> None:
        """Stream the file into the case's evidence in the background, showing progress."""
        if self.importing:
            return
        if not self.path.text().strip():
            self.errors.show([FieldIssue("path", NO_FILE, field_label="文件")])
            self.path.setFocus()
            return
        context, case_id, path = self._context, self._case_id, Path(self.path.text().strip())
        entry, report = self.media_input(), self.progress.report
        self.progress.restart()
        self._set_importing(True)
        self.errors.clear()
        context.workers.run(
            lambda: media.import_media(
                context.database, context.actor, case_id, path, entry, progress=report
            ),
            lambda _media_id: self._imported(),
            self._refused,
        )

    def _set_importing(self, importing: bool) -> None:
        """While the file is copied the form is locked and the bar shows how far it got."""
        self.importing = importing
        self.save_button.setEnabled(not importing)
        self.bar.setVisible(importing)
        self.bar.setValue(0)
        self.status.setText(WAIT if importing else "")
        self.cancel_button.setText("后台导入(&B)" if importing else "取消")
        for field in (*self._fields().values(), self.choose_button):
            field.setEnabled(not importing)

    def _fields(self) -> dict[str, QWidget]:
        """The input of each of the core's field names."""
        return {
            "path": self.path,
            "title": self.title,
            "kind": self.kind,
            "device": self.device,
            "officer_id": self.officer,
            "started_at": self.started,
            "ended_at": self.ended,
            "step": self.step,
            "gap_reason": self.gap,
        }

    def _moved(self, done: int, total: int) -> None:
        self.bar.setValue(done * PERCENT // total if total else PERCENT)
        self.status.setText(f"正在导入：{size_text(done)} / {size_text(total)}")

    def _imported(self) -> None:
        self.importing = False
        self.changed.emit()
        self.accept()

    def _refused(self, error: Exception) -> None:
        """The form again, with the core's reasons beside their fields (shown again if it had
        been sent to the background)."""
        self._set_importing(False)
        show_refusal(self.errors, error, self._fields())
        if not self.isVisible():
            self.show()
            self.activateWindow()

    def reject(self) -> None:
        """取消/Esc; while the file is being copied it goes on in the background (the store
        must finish or undo it), the window out of the way until it is stored or refused."""
        if self.importing:
            self.hide()
        else:
            super().reject()


def size_text(size: int) -> str:
    """A file size as people read it: 850 KB, 1.2 MB, 3.4 GB."""
    amount = float(size)
    for unit in ("B", "KB", "MB"):
        if amount < 1024:
            return f"{amount:.0f} {unit}" if unit == "B" else f"{amount:.1f} {unit}"
        amount /= 1024
    return f"{amount:.1f} GB"


def _moment(value: QDateTime) -> QDateTimeEdit:
    """A date-time field to the second, with a calendar."""
    edit = QDateTimeEdit(value)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(SECONDS_FORMAT)
    return edit

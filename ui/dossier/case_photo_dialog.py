"""照片证据: every photo of a case with what its 照片证据 page prints, and photos attached to the
case itself.

The volume prints each photo with 证据名称/说明, 拍摄时间 (from the photo's EXIF, never typed),
拍摄地点, 拍摄人, 证明对象 and its SHA-256 prefix; a photo without 说明 is a 自查 finding. The
list shows the photos in the order the volume binds them (the inspections', their 复查's, the
linked ones, then the case's own), each with its thumbnail; the form beside it edits the
selected one. A photo taken in an inspection keeps its place and photographer from the
inspection's record, so only its 说明 is typed here; 添加照片 attaches a photo directly to the
case, its texts typed before it is stored. The core checks; a refusal is shown beside its field.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImageReader, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from fuanjian_desktop.services.dossiers import case_photos
from fuanjian_desktop.services.dossiers.case_photos import PhotoEvidence, PhotoInput, PhotoRef
from fuanjian_desktop.services.inspections.evidence import evidence_store
from ui.context import AppContext
from ui.dialogs.photo_viewer import PhotoViewer, open_photo
from ui.dossier.refusals import show_refusal
from ui.file_dialogs import pictures_folder
from ui.local_time import local_text
from ui.widgets.field_errors import FieldErrors
from ui.widgets.form_parts import aligned_form
from ui.widgets.photo_strip import PHOTO_FILTER, THUMBNAIL_SIZE

CASE_PHOTO = "case_photo"  # PhotoRef.table of a photo attached to the case itself
SOURCES = {"inspection": "现场检查", "recheck": "复查", "linked": "关联照片", "case": "案件照片"}
TEXT_FIELDS = (
    ("caption", "证据名称/说明：", "如：配电箱周围堆放可燃物"),
    ("place", "拍摄地点：", "如：某某公司二楼仓库"),
    ("photographer", "拍摄人：", "执法人员姓名"),
    ("proves", "证明对象：", "如：当事人未保持安全出口畅通"),
)
NO_CAPTION = "（未填写说明）"
REF_ROLE = Qt.ItemDataRole.UserRole + 1
SMOOTH = Qt.TransformationMode.SmoothTransformation
FIELD_WIDTH = 340
PREVIEW_SIZE = QSize(320, 240)  # the store's thumbnails are at most 320 px wide
PREVIEW_STYLE = "background: #e8eaed; color: #5b6675;"


@dataclass(frozen=True)
class ListedPhoto:
    """A photo of the case with its thumbnail (JPEG bytes decrypted in memory, or None)."""

    photo: PhotoEvidence
    thumbnail: bytes | None


def listed_photos(context: AppContext, case_id: str) -> list[ListedPhoto]:
    """The case's photos in binding order, with thumbnails (read on the workers)."""
    store = evidence_store(context.database)
    rows = case_photos.case_photos(context.database, context.actor, case_id)
    return [ListedPhoto(row, row.thumbnail(store)) for row in rows]


class CasePhotoDialog(QDialog):
    """The case's photos and the texts printed with them; ``changed`` after each save."""

    changed = Signal()

    def __init__(self, context: AppContext, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("照片证据")
        self._context = context
        self._case_id = case_id
        self._photos: dict[PhotoRef, PhotoEvidence] = {}
        self._thumbnails: dict[PhotoRef, bytes | None] = {}
        self.new_file: Path | None = None  # a photo chosen to attach, not yet stored
        self._select_after_load: PhotoRef | None = None
        self.errors = FieldErrors()
        self.fields: dict[str, QLineEdit] = {}
        self._setup_ui()
        self.reload()

    # --- layout --------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        self.photos = QListWidget()
        self.photos.setIconSize(THUMBNAIL_SIZE)
        self.photos.setMinimumWidth(380)
        self.photos.setWordWrap(True)
        self.photos.currentItemChanged.connect(lambda *_: self._show_current())
        self.photos.itemActivated.connect(self.open_original)
        self.add_button = QPushButton("添加照片(&A)…")
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self.choose_file)
        left = QVBoxLayout()
        left.addWidget(QLabel("本案照片（按装订顺序；Enter 或双击查看原图）："))
        left.addWidget(self.photos, 1)
        left.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)
        row = QHBoxLayout()
        row.addLayout(left, 1)
        row.addLayout(self._form_column())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.button(QDialogButtonBox.StandardButton.Close).setAutoDefault(False)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(row, 1)
        layout.addWidget(buttons)
        self.resize(900, 560)
        self.photos.setFocus()

    def _form_column(self) -> QVBoxLayout:
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.preview = QLabel()
        self.preview.setFixedSize(PREVIEW_SIZE)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setStyleSheet(PREVIEW_STYLE)
        self.facts = QLabel()
        self.facts.setWordWrap(True)
        self.facts.setStyleSheet("color: #5b6675;")
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form = aligned_form()
        for name, label, placeholder in TEXT_FIELDS:
            edit = QLineEdit()
            edit.setPlaceholderText(placeholder)
            edit.setMaxLength(200)
            edit.setMinimumWidth(FIELD_WIDTH)
            self.fields[name] = edit
            self.errors.add_row(form, label, name, edit)
        self.errors.label_for("path")  # a refused file is said under the heading
        self.save_button = QPushButton("保存(&S)")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        column = QVBoxLayout()
        column.addWidget(self.heading)
        column.addWidget(self.errors.label_for("path"))
        column.addWidget(self.preview, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(self.facts)
        column.addLayout(form)
        column.addWidget(self.errors.general)
        column.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignRight)
        column.addStretch()
        return column

    # --- loading -------------------------------------------------------------------------

    def reload(self, select: PhotoRef | None = None) -> None:
        """Read the case's photos again; ``select`` (else the current one) is selected."""
        self._select_after_load = select or self.current_ref()
        context, case_id = self._context, self._case_id
        context.workers.run(
            lambda: listed_photos(context, case_id),
            self._show_photos,
            lambda error: show_refusal(self.errors, error),
        )

    def _show_photos(self, listed: list[ListedPhoto]) -> None:
        wanted, self._select_after_load = self._select_after_load, None
        self._photos = {entry.photo.ref: entry.photo for entry in listed}
        self._thumbnails = {entry.photo.ref: entry.thumbnail for entry in listed}
        self.photos.blockSignals(True)
        self.photos.clear()
        for entry in listed:
            self.photos.addItem(self._entry(entry))
        self.photos.blockSignals(False)
        refs = [entry.photo.ref for entry in listed]
        row = refs.index(wanted) if wanted in refs else 0
        if self.new_file is None:
            self.photos.setCurrentRow(row if refs else -1)
            self._show_current()

    def _entry(self, listed: ListedPhoto) -> QListWidgetItem:
        photo = listed.photo
        pixmap = QPixmap()
        readable = listed.thumbnail is not None and pixmap.loadFromData(listed.thumbnail)
        icon = (
            QIcon(pixmap)
            if readable
            else self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
        )
        taken = local_text(photo.taken_at) or "拍摄时间未记录"
        text = f"{photo.caption or NO_CAPTION}\n{SOURCES.get(photo.source, photo.source)}｜{taken}"
        entry = QListWidgetItem(icon, text)
        entry.setData(REF_ROLE, photo.ref)
        entry.setSizeHint(QSize(0, THUMBNAIL_SIZE.height() + 8))
        return entry

    def current_ref(self) -> PhotoRef | None:
        """The selected photo's reference."""
        entry = self.photos.currentItem()
        ref = entry.data(REF_ROLE) if entry is not None else None
        return ref if isinstance(ref, PhotoRef) else None

    def _show_current(self) -> None:
        """The selected photo's texts in the form (an inspection photo: its 说明 only)."""
        self.new_file = None
        self.errors.clear()
        ref = self.current_ref()
        photo = self._photos.get(ref) if ref is not None else None
        self.save_button.setEnabled(photo is not None)
        if photo is None:
            self.heading.setText("本案还没有照片。按“添加照片”把照片直接附到案件。")
            self.facts.clear()
            self._show_preview(QPixmap())
            self._fill(PhotoInput(caption=""), editable=False, caption_editable=False)
            return
        source = SOURCES.get(photo.source, photo.source)
        self.heading.setText(f"<b>{source}</b>")
        pixmap = QPixmap()
        thumbnail = self._thumbnails.get(photo.ref)
        if thumbnail is not None:
            pixmap.loadFromData(thumbnail)
        self._show_preview(pixmap)
        taken = local_text(photo.taken_at) or "未记录（照片无拍摄时间信息）"
        note = "" if photo.editable else "；拍摄地点、拍摄人取自检查记录"
        self.facts.setText(f"拍摄时间：{taken}；SHA-256：{photo.sha256[:16]}…{note}")
        values = PhotoInput(
            caption=photo.caption or "",
            place=photo.place or "",
            photographer=photo.photographer or "",
            proves=photo.proves or "",
        )
        self._fill(values, editable=photo.editable, caption_editable=True)

    def _show_preview(self, pixmap: QPixmap) -> None:
        """The photo, as large as the preview allows (never enlarged); a note if unreadable."""
        if pixmap.isNull():
            self.preview.setText("（无预览）")
            return
        room = PREVIEW_SIZE.boundedTo(pixmap.size())
        self.preview.setPixmap(pixmap.scaled(room, Qt.AspectRatioMode.KeepAspectRatio, SMOOTH))

    def _fill(self, values: PhotoInput, *, editable: bool, caption_editable: bool) -> None:
        """The texts; a field taken from the inspection's record is shown greyed out."""
        for name, edit in self.fields.items():
            edit.setText(getattr(values, name))
            edit.setEnabled(caption_editable if name == "caption" else editable)

    def photo_input(self) -> PhotoInput:
        """The form's texts as the core's input."""
        return PhotoInput(**{name: edit.text().strip() for name, edit in self.fields.items()})

    # --- adding and saving ---------------------------------------------------------------

    def choose_file(self) -> None:
        """Pick a photo to attach to the case; its texts are typed before it is stored."""
        path, _ = QFileDialog.getOpenFileName(self, "选择照片", pictures_folder(), PHOTO_FILTER)
        if path:
            self.start_new(Path(path))

    def start_new(self, path: Path) -> None:
        """The form for a new photo of the case (stored by 保存)."""
        self.photos.blockSignals(True)
        self.photos.setCurrentRow(-1)
        self.photos.blockSignals(False)
        self.new_file = path
        self.errors.clear()
        self.heading.setText(f"<b>新照片：</b>{path.name}")
        self._show_preview(_file_preview(path))
        self.facts.setText("拍摄时间取自照片的拍摄信息（EXIF）。填写后按“保存”附到本案。")
        mine = PhotoInput(caption="", photographer=self._context.actor.full_name)
        self._fill(mine, editable=True, caption_editable=True)  # who adds it, most often
        self.save_button.setEnabled(True)
        self.fields["caption"].setFocus()

    def save(self) -> None:
        """Attach the new photo, or store the selected photo's texts, in the background."""
        context, case_id, values = self._context, self._case_id, self.photo_input()
        new_file, ref = self.new_file, self.current_ref()
        if new_file is None and ref is None:
            return
        self.save_button.setEnabled(False)
        self.errors.clear()
        if new_file is not None:
            context.workers.run(
                lambda: case_photos.attach_case_photo(
                    context.database, context.actor, case_id, new_file, values
                ),
                lambda photo_id: self._saved(PhotoRef(CASE_PHOTO, photo_id)),
                self._refused,
            )
        elif ref is not None:
            context.workers.run(
                lambda: case_photos.edit_photo_evidence(
                    context.database, context.actor, ref, values
                ),
                lambda _none: self._saved(ref),
                self._refused,
            )

    def _saved(self, ref: PhotoRef) -> None:
        self.new_file = None
        self.changed.emit()
        self.reload(select=ref)
        self.photos.setFocus()

    def _refused(self, error: Exception) -> None:
        self.save_button.setEnabled(True)
        show_refusal(self.errors, error, {**self.fields, "path": self.add_button})

    def open_original(self, entry: QListWidgetItem) -> PhotoViewer | None:
        """The photo behind ``entry`` in the app's viewer (decrypted in memory)."""
        photo = self._photos.get(entry.data(REF_ROLE))
        if photo is None:
            return None
        return open_photo(  # the store too is opened inside: locked data is said, not raised
            self,
            lambda: photo.read(evidence_store(self._context.database)),
            photo.caption or NO_CAPTION,
        )


def _file_preview(path: Path) -> QPixmap:
    """A photo file read at preview size (a JPEG is decoded scaled down, so a 12-megapixel
    photo shows at once); an empty pixmap if unreadable (the core then names the problem)."""
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)  # EXIF orientation, as the camera held it
    size = reader.size()
    if size.isValid() and PREVIEW_SIZE.expandedTo(size) != PREVIEW_SIZE:  # larger: shrink
        reader.setScaledSize(size.scaled(PREVIEW_SIZE, Qt.AspectRatioMode.KeepAspectRatio))
    return QPixmap.fromImage(reader.read())

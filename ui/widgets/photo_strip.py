"""Photos of a checklist item, or of the inspection as a whole, as thumbnails; adding more
from files or a camera card.

Whoever may attach evidence may add photos, also to a completed inspection: inspectors often
copy the camera card at the office, after the inspection has ended. Importing hashes, copies
and thumbnails every file, which takes seconds for a card full of photos, so it runs on the
workers; the strip refreshes when the import reports back, and says what was attached, what
was already there and which files were refused and why.

The store keeps photos encrypted: thumbnails come as bytes decrypted in memory and a
double-click opens the original in the app's own viewer (never a decrypted file on disk for
the system's viewer). A missing or damaged thumbnail shows as a placeholder icon.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from fuanjian_desktop.domain.roles import Permission
from fuanjian_desktop.evidence.store import PHOTO_EXTENSIONS
from fuanjian_desktop.services.inspections import evidence
from fuanjian_desktop.services.inspections.evidence import PhotoImport, PhotoView
from ui.context import AppContext
from ui.dialogs.photo_viewer import PhotoViewer, open_photo
from ui.errors import show_failure
from ui.file_dialogs import pictures_folder
from ui.local_time import local_text

THUMBNAIL_SIZE = QSize(96, 72)
_PLACEHOLDER = QStyle.StandardPixmap.SP_FileIcon
THUMBNAIL_MARGIN = 28  # an icon view keeps a text line under its icons
COMPACT_THUMBNAIL_SIZE = QSize(48, 36)
COMPACT_MARGIN = 6
WHOLE_INSPECTION = ""  # the item id evidence.attach_photos takes for the inspection as a whole
PHOTO_ID_ROLE = Qt.ItemDataRole.UserRole + 1
NAME_ROLE = Qt.ItemDataRole.UserRole + 2
# file-dialog filter; both cases, since Linux matches patterns case-sensitively
PHOTO_FILTER = "照片 (" + " ".join(f"*{e} *{e.upper()}" for e in sorted(PHOTO_EXTENSIONS)) + ")"


class PhotoStrip(QWidget):
    """Photos of one item (or ``WHOLE_INSPECTION``); ``load`` then ``show_item`` as it changes.

    ``compact`` puts small thumbnails on the caption's line, for a strip that shares the screen
    with the checklist rather than sitting under one item.
    """

    def __init__(self, context: AppContext, caption: str, compact: bool = False) -> None:
        super().__init__()
        self._context = context
        self._caption = caption
        self._inspection_id = ""
        self._item_id = WHOLE_INSPECTION
        self._photos: list[PhotoView] = []
        self.caption = QLabel()
        self.thumbnails = _compact_list() if compact else _thumbnail_list()
        self.thumbnails.itemDoubleClicked.connect(self.open_original)
        self.add_button = QPushButton("添加照片…")
        self.add_button.clicked.connect(self.choose_files)
        self.folder_button = QPushButton("从文件夹导入…")
        self.folder_button.clicked.connect(self.choose_folder)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.hide()
        self._setup_ui(compact)

    def _setup_ui(self, compact: bool) -> None:
        top = QHBoxLayout()
        top.addWidget(self.caption)
        if compact:
            top.addWidget(self.thumbnails, 1)
        top.addStretch()  # keeps the buttons right while there are no thumbnails
        for button in (self.add_button, self.folder_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setEnabled(self._context.actor.can(Permission.ATTACH_EVIDENCE))
            top.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        if not compact:
            layout.addWidget(self.thumbnails)
        layout.addWidget(self.status)

    def load(self, inspection_id: str) -> None:
        """Read the photos of an inspection, whatever its status."""
        if inspection_id != self._inspection_id:
            self._say("")
        self._inspection_id = inspection_id
        self._photos = evidence.photos_of(
            self._context.database, self._context.actor, inspection_id
        )

    def show_item(self, item_id: str) -> None:
        """Show the thumbnails of ``item_id``'s photos."""
        self._item_id = item_id
        self.thumbnails.clear()
        shown = [photo for photo in self._photos if photo.item_id == item_id]
        for photo in shown:
            self.thumbnails.addItem(self._thumbnail(photo))
        self.thumbnails.setVisible(bool(shown))
        count = f"{len(shown)} 张" if shown else "暂无"
        self.caption.setText(f"{self._caption}：{count}")

    def choose_files(self) -> None:
        """Pick photos (several at once) and import them for the item shown."""
        paths, _ = QFileDialog.getOpenFileNames(self, "选择照片", pictures_folder(), PHOTO_FILTER)
        if paths:
            self.import_files([Path(path) for path in paths])

    def choose_folder(self) -> None:
        """Pick a folder (e.g. the camera card's DCIM) and import every photo under it."""
        folder = QFileDialog.getExistingDirectory(self, "选择照片所在的文件夹", pictures_folder())
        if folder:
            self.import_folder(Path(folder))

    def import_files(self, files: Sequence[Path]) -> None:
        """Attach ``files`` to the item shown, in the background."""
        self._run(lambda: list(files))

    def import_folder(self, folder: Path) -> None:
        """Attach every photo under ``folder`` to the item shown, in the background."""
        self._run(lambda: evidence.photos_in_folder(folder))

    def _run(self, find_files: Callable[[], list[Path]]) -> None:
        context, inspection_id, item_id = self._context, self._inspection_id, self._item_id
        self._say("正在导入照片…")
        context.workers.run(
            lambda: evidence.attach_photos(
                context.database, context.actor, inspection_id, item_id, find_files()
            ),
            lambda report: self._imported(inspection_id, report),
            self._failed,
        )

    def _imported(self, inspection_id: str, report: PhotoImport) -> None:
        refused = [f"{name}（{reason}）" for name, reason in report.refused]
        self._say("\n".join([report.summary, *refused]))
        if inspection_id == self._inspection_id:
            self._photos = evidence.photos_of(
                self._context.database, self._context.actor, inspection_id
            )
            self.show_item(self._item_id)

    def _say(self, message: str) -> None:
        """The import's progress or report under the photos; hidden, taking no room, if none."""
        self.status.setText(message)
        self.status.setVisible(bool(message))

    def _failed(self, error: Exception) -> None:
        self._say("")
        show_failure(self, error, "照片未导入")

    def _thumbnail(self, photo: PhotoView) -> QListWidgetItem:
        pixmap = QPixmap()
        readable = photo.thumbnail is not None and pixmap.loadFromData(photo.thumbnail)
        icon = QIcon(pixmap) if readable else self.style().standardIcon(_PLACEHOLDER)
        entry = QListWidgetItem(icon, "")
        taken = local_text(photo.captured_at) or "未知"
        damaged = "" if readable else "\n缩略图无法读取（文件缺失或已损坏）"
        entry.setToolTip(f"拍摄时间：{taken}\n文件：{photo.original_name}{damaged}\n双击查看原图")
        entry.setData(PHOTO_ID_ROLE, photo.id)
        entry.setData(NAME_ROLE, photo.original_name)
        return entry

    def open_original(self, entry: QListWidgetItem) -> PhotoViewer | None:
        """Show the photo behind ``entry`` in the viewer (decrypted in memory); ``None`` and a
        message if it cannot be read."""
        context, photo_id = self._context, entry.data(PHOTO_ID_ROLE)
        return open_photo(
            self,
            lambda: evidence.photo_original(context.database, context.actor, photo_id),
            entry.data(NAME_ROLE),
        )


def _thumbnail_list() -> QListWidget:
    """A row of icons under the caption."""
    thumbnails = _photo_list(THUMBNAIL_SIZE)
    thumbnails.setViewMode(QListView.ViewMode.IconMode)
    thumbnails.setFixedHeight(THUMBNAIL_SIZE.height() + THUMBNAIL_MARGIN)
    return thumbnails


def _compact_list() -> QListWidget:
    """Small icons inline on the caption's line: a list view in list mode keeps no text line
    under them, and without frame or background they read as part of the line. Room is kept
    for the sideways scroll bar so that it never covers the icons."""
    thumbnails = _photo_list(COMPACT_THUMBNAIL_SIZE)
    thumbnails.setViewMode(QListView.ViewMode.ListMode)
    thumbnails.setFrameShape(QFrame.Shape.NoFrame)
    thumbnails.viewport().setAutoFillBackground(False)
    thumbnails.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll_bar = thumbnails.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
    thumbnails.setFixedHeight(COMPACT_THUMBNAIL_SIZE.height() + COMPACT_MARGIN + scroll_bar)
    return thumbnails


def _photo_list(size: QSize) -> QListWidget:
    """One row of photos scrolling sideways; it never takes the keyboard from the item list,
    nor, being of fixed height, any spare height from the layout around the strip."""
    thumbnails = QListWidget()
    thumbnails.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    thumbnails.setFlow(QListView.Flow.LeftToRight)
    thumbnails.setWrapping(False)
    thumbnails.setMovement(QListView.Movement.Static)
    thumbnails.setIconSize(size)
    thumbnails.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return thumbnails

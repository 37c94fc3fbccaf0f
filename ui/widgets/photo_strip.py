"""The current item's photos as thumbnails, and adding more from files or a camera card.

Importing hashes, copies and thumbnails every file, which takes seconds for a card full of
photos, so it runs on the workers; the strip refreshes when the import reports back, and says
what was attached, what was already there and which files were refused and why.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QIcon, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fuanjian_desktop.services import evidence
from fuanjian_desktop.services.evidence import PhotoImport, PhotoView
from ui.context import AppContext
from ui.errors import show_failure
from ui.local_time import local_text

THUMBNAIL_SIZE = QSize(96, 72)
ORIGINAL_PATH_ROLE = Qt.ItemDataRole.UserRole + 1
PHOTO_FILTER = "照片 (*.jpg *.jpeg *.png *.JPG *.JPEG *.PNG)"


class PhotoStrip(QWidget):
    """Photos of one item of one inspection; ``load`` then ``show_item`` as the item changes."""

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self._context = context
        self._inspection_id = ""
        self._item_id = ""
        self._photos: list[PhotoView] = []
        self.caption = QLabel()
        self.thumbnails = QListWidget()
        self.thumbnails.setViewMode(QListView.ViewMode.IconMode)
        self.thumbnails.setFlow(QListView.Flow.LeftToRight)
        self.thumbnails.setWrapping(False)
        self.thumbnails.setMovement(QListView.Movement.Static)
        self.thumbnails.setIconSize(THUMBNAIL_SIZE)
        self.thumbnails.setFixedHeight(THUMBNAIL_SIZE.height() + 28)
        self.thumbnails.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.thumbnails.itemDoubleClicked.connect(_open_original)
        self.add_button = QPushButton("添加照片…")
        self.add_button.clicked.connect(self.choose_files)
        self.folder_button = QPushButton("从文件夹导入…")
        self.folder_button.clicked.connect(self.choose_folder)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self._setup_ui()

    def _setup_ui(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.caption, 1)
        for button in (self.add_button, self.folder_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            top.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.thumbnails)
        layout.addWidget(self.status)

    def load(self, inspection_id: str, read_only: bool) -> None:
        """Read the photos of an inspection (a completed one takes no more)."""
        if inspection_id != self._inspection_id:
            self.status.clear()
        self._inspection_id = inspection_id
        self._photos = evidence.photos_of(self._context.database, inspection_id)
        for button in (self.add_button, self.folder_button):
            button.setEnabled(not read_only)

    def show_item(self, item_id: str) -> None:
        """Show the thumbnails of ``item_id``'s photos."""
        self._item_id = item_id
        self.thumbnails.clear()
        shown = [photo for photo in self._photos if photo.item_id == item_id]
        for photo in shown:
            self.thumbnails.addItem(_thumbnail(photo))
        self.thumbnails.setVisible(bool(shown))
        self.caption.setText(f"照片（{len(shown)} 张，双击查看原图）" if shown else "照片：暂无")

    def choose_files(self) -> None:
        """Pick photos (several at once) and import them for the current item."""
        paths, _ = QFileDialog.getOpenFileNames(self, "选择照片", "", PHOTO_FILTER)
        if paths:
            self.import_files([Path(path) for path in paths])

    def choose_folder(self) -> None:
        """Pick a folder (e.g. the camera card's DCIM) and import every photo under it."""
        folder = QFileDialog.getExistingDirectory(self, "选择照片所在的文件夹")
        if folder:
            self.import_folder(Path(folder))

    def import_files(self, files: Sequence[Path]) -> None:
        """Attach ``files`` to the current item in the background."""
        self._run(lambda: list(files))

    def import_folder(self, folder: Path) -> None:
        """Attach every photo under ``folder`` to the current item in the background."""
        self._run(lambda: evidence.photos_in_folder(folder))

    def _run(self, find_files: Callable[[], list[Path]]) -> None:
        context, inspection_id, item_id = self._context, self._inspection_id, self._item_id
        self.status.setText("正在导入照片…")
        context.workers.run(
            lambda: evidence.attach_photos(
                context.database, context.actor, inspection_id, item_id, find_files()
            ),
            lambda report: self._imported(inspection_id, report),
            self._failed,
        )

    def _imported(self, inspection_id: str, report: PhotoImport) -> None:
        refused = [f"{name}（{reason}）" for name, reason in report.refused]
        self.status.setText("\n".join([report.summary, *refused]))
        if inspection_id == self._inspection_id:
            self._photos = evidence.photos_of(self._context.database, inspection_id)
            self.show_item(self._item_id)

    def _failed(self, error: Exception) -> None:
        self.status.clear()
        show_failure(self, error, "照片未导入")


def _thumbnail(photo: PhotoView) -> QListWidgetItem:
    entry = QListWidgetItem(QIcon(QPixmap(str(photo.thumbnail))), "")
    taken = local_text(photo.captured_at) or "未知"
    entry.setToolTip(f"拍摄时间：{taken}\n文件：{photo.original_name}")
    entry.setData(ORIGINAL_PATH_ROLE, str(photo.original))
    return entry


def _open_original(entry: QListWidgetItem) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(entry.data(ORIGINAL_PATH_ROLE)))

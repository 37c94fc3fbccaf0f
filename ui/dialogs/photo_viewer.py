"""The photo viewer: an evidence photo at the size of the window, shown from memory.

The evidence store holds photos encrypted, so handing a file to the system's image viewer
would mean writing a decrypted copy to disk, where it would outlive the session. The photo is
decrypted into memory and shown here instead; Esc or 关闭 closes.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from fuanjian_desktop.errors import UserError
from ui.errors import show_failure

SCREEN_SHARE = 0.85  # of the available screen the viewer opens at, at most


def photo_pixmap(data: bytes, name: str) -> QPixmap:
    """The photo in ``data`` (JPEG or PNG bytes) as a pixmap, or a UserError naming it."""
    pixmap = QPixmap()
    if not pixmap.loadFromData(data):
        raise UserError(f"照片“{name}”无法显示：文件内容不是可读的图片，请从原始照片重新导入")
    return pixmap


def open_photo(parent: QWidget, read: Callable[[], bytes], name: str) -> PhotoViewer | None:
    """Show the photo ``read`` returns (decrypted in memory) in a viewer over ``parent``'s
    window, deleted when closed; ``None`` and a Chinese message if it cannot be read or shown
    (a missing or damaged file)."""
    try:
        viewer = PhotoViewer(read(), name, parent.window())
    except Exception as error:  # a missing or damaged file: said in Chinese, not raised
        show_failure(parent, error, "照片无法打开")
        return None
    viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    viewer.open()
    return viewer


class PhotoViewer(QDialog):
    """One photo, scaled to fit the window (never enlarged past its own size)."""

    def __init__(self, data: bytes, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"照片：{name}")
        self.pixmap = photo_pixmap(data, name)
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.picture.setMinimumSize(160, 120)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.picture, 1)
        layout.addWidget(buttons)
        self._fit_screen()

    def _fit_screen(self) -> None:
        screen = self.screen() or QGuiApplication.primaryScreen()
        room = screen.availableGeometry().size() * SCREEN_SHARE
        self.resize(room.boundedTo(self.pixmap.size().grownBy(self.layout().contentsMargins())))

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Rescale the photo to the room the window now gives it."""
        super().resizeEvent(event)
        room = self.picture.size().boundedTo(self.pixmap.size())
        self.picture.setPixmap(
            self.pixmap.scaled(
                room,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )

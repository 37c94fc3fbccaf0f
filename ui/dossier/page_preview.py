"""A volume page by page: a strip of thumbnails beside the page chosen, as the print preview.

A volume runs to hundreds of pages, so nothing holds them all at print resolution: page 1 is
rasterised first and shown at once (the clerk sees the volume within a second of the click),
then the thumbnails follow a few pages per background job, and the large page is rasterised
when chosen (the last few kept). A new volume shown drops whatever the old one still had
running: each answer carries the serial of the volume it was asked for.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QWidget,
)

from ui.context import AppContext
from ui.documents.rendering import page_labels, rasterise
from ui.errors import show_failure

THUMBNAIL_DPI = 12  # an A4 page 99 × 140 px: legible as a layout, not as text
THUMBNAILS_PER_JOB = 12
PAGE_DPI = 110  # the large page: sharp at the width the page has at 1366 × 768
KEPT_PAGES = 6  # large pages kept for going back and forth
STRIP_WIDTH = 140
A4_RATIO = 297 / 210
THUMBNAIL_SIZE = QSize(96, 136)
PAPER_DESK = "background: #8a9099; color: white;"  # white pages stand out, as in a preview


def caption(number: int, label: str) -> str:
    """A thumbnail's caption: the page's 页号 where the volume numbers it (页号 12), else its
    own label (首页, 目录1, 空白, 备考表), else its place (第 3 页)."""
    if label.isdigit():
        return f"页号 {label}"
    return label or f"第 {number} 页"


def _blank_page() -> QPixmap:
    page = QPixmap(THUMBNAIL_SIZE.width(), round(THUMBNAIL_SIZE.width() * A4_RATIO))
    page.fill(Qt.GlobalColor.white)
    return page


class PagePreview(QWidget):
    """``show_pdf`` a volume; ``show_page`` jumps to a page (0-based physical index).

    ``first_page_shown`` fires when page 1 is on screen (the click-to-first-page time is
    measured to it).
    """

    first_page_shown = Signal()

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self._context = context
        self._serial = 0
        self._pdf = b""
        self._large: OrderedDict[int, QPixmap] = OrderedDict()
        self._drawn = 0  # thumbnails drawn so far
        self.thumbnails = QListWidget()
        self.thumbnails.setViewMode(QListView.ViewMode.IconMode)
        self.thumbnails.setFlow(QListView.Flow.LeftToRight)  # one column: the strip's width
        self.thumbnails.setWrapping(True)
        self.thumbnails.setResizeMode(QListView.ResizeMode.Adjust)
        self.thumbnails.setMovement(QListView.Movement.Static)
        self.thumbnails.setIconSize(THUMBNAIL_SIZE)
        self.thumbnails.setUniformItemSizes(True)
        self.thumbnails.setSpacing(4)
        self.thumbnails.setFixedWidth(STRIP_WIDTH)
        self.thumbnails.setStyleSheet(f"QListWidget {{ {PAPER_DESK} }}")
        self.thumbnails.currentRowChanged.connect(self._chosen)
        self.page = QLabel("正在生成案卷…")
        self.page.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.page.setStyleSheet(PAPER_DESK)
        self.scroll = QScrollArea()
        self.scroll.setWidget(self.page)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab: the strip, then on
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.thumbnails)
        row.addWidget(self.scroll, 1)

    def clear(self, message: str) -> None:
        """Forget the volume shown (its pending renders are dropped) and say ``message``."""
        self._serial += 1
        self._pdf = b""
        self._large.clear()
        self._drawn = 0
        self.thumbnails.blockSignals(True)  # no page is chosen while the strip empties
        self.thumbnails.clear()
        self.thumbnails.blockSignals(False)
        self.page.setPixmap(QPixmap())
        self.page.setText(message)

    def show_pdf(self, pdf: bytes) -> None:
        """Show ``pdf`` from its first page; the thumbnails fill in behind it."""
        self.clear("正在显示第 1 页…")
        self._pdf = pdf
        serial = self._serial
        self._run(
            lambda: (page_labels(pdf), rasterise(pdf, PAGE_DPI, range(1))[0]),
            lambda answer: self._first_page(serial, *answer),
        )

    def page_total(self) -> int:
        """Pages of the volume shown (0 until it is read)."""
        return self.thumbnails.count()

    def show_page(self, index: int) -> None:
        """Choose page ``index`` (0-based), as a click on its thumbnail does."""
        if 0 <= index < self.thumbnails.count():
            self.thumbnails.setCurrentRow(index)

    def shown_page(self) -> int:
        """The page on screen (0-based), -1 if none yet."""
        return self.thumbnails.currentRow()

    def thumbnails_done(self) -> int:
        """How many thumbnails have been drawn (tests wait on it)."""
        return self._drawn

    def _run(self, work: Callable[[], object], then: Callable[[object], None]) -> None:
        self._context.workers.run(
            work, then, lambda error: show_failure(self, error, "案卷页面未能显示")
        )

    def _first_page(self, serial: int, labels: list[str], image: QImage) -> None:
        if serial != self._serial:
            return
        self._large[0] = QPixmap.fromImage(image)
        self.thumbnails.blockSignals(True)
        # a blank page stands in for each thumbnail until it is drawn: the items have their
        # final size from the start, so the strip's layout never shifts as they arrive
        blank = QIcon(_blank_page())
        for number, label in enumerate(labels, start=1):
            self.thumbnails.addItem(QListWidgetItem(blank, caption(number, label)))
        self.thumbnails.setCurrentRow(0)
        self.thumbnails.blockSignals(False)
        self._put(0)
        self.first_page_shown.emit()
        self._thumbnails_from(serial, 0)

    def _thumbnails_from(self, serial: int, start: int) -> None:
        if serial != self._serial or start >= self.thumbnails.count():
            return
        pdf, pages = self._pdf, range(start, min(start + THUMBNAILS_PER_JOB, self.page_total()))
        self._run(
            lambda: rasterise(pdf, THUMBNAIL_DPI, pages),
            lambda images: self._thumbnails(serial, start, images),
        )

    def _thumbnails(self, serial: int, start: int, images: object) -> None:
        if serial != self._serial:
            return
        assert isinstance(images, list)
        for offset, image in enumerate(images):
            self.thumbnails.item(start + offset).setIcon(QIcon(QPixmap.fromImage(image)))
        self._drawn += len(images)
        self._thumbnails_from(serial, start + len(images))

    def _chosen(self, index: int) -> None:
        if index < 0 or not self._pdf:
            return
        self.thumbnails.scrollToItem(self.thumbnails.item(index))
        if index in self._large:
            self._put(index)
            return
        serial, pdf = self._serial, self._pdf
        self.page.setText(f"正在显示第 {index + 1} 页…")
        self._run(
            lambda: rasterise(pdf, PAGE_DPI, range(index, index + 1))[0],
            lambda image: self._rendered(serial, index, image),
        )

    def _rendered(self, serial: int, index: int, image: object) -> None:
        if serial != self._serial:
            return
        assert isinstance(image, QImage)
        self._large[index] = QPixmap.fromImage(image)
        while len(self._large) > KEPT_PAGES:
            self._large.popitem(last=False)
        if self.thumbnails.currentRow() == index:
            self._put(index)

    def _put(self, index: int) -> None:
        """Page ``index`` on screen, as wide as the view (it scrolls down)."""
        pixmap = self._large[index]
        self._large.move_to_end(index)
        width = max(200, self.scroll.viewport().width() - 16)
        self.page.setPixmap(
            pixmap.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
            if pixmap.width() > width
            else pixmap
        )

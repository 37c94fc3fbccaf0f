"""One case's volume: its pages, its 卷内目录, cover and 自查, and what may be done with it.

What the clerk sees is the compiled volume itself (page by page, as it will print), beside the
tables it was compiled from. Only a person's decisions are editable: the 目录's 备注 (Enter on
a row, or F2), an order change with its reason, the 备考表 text; everything else follows from
the records, so a wrong 页号 is fixed by fixing the record, never by typing. Each change
rebuilds the volume in the background with a progress bar in place of the page.

归档 and 重新打开 are the 中队负责人's (APPROVE_CASES); 归档 is refused while the 自查 has a
finding that must be resolved first, and the refusal lists them. An archived volume is
frozen: the view shows the stored bytes and nothing in it can be changed.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from fuanjian_desktop.domain.roles import Permission
from fuanjian_desktop.services.dossiers import archiving, dossier_records, reopening, volume
from fuanjian_desktop.services.dossiers.volume import DossierView as VolumeView
from fuanjian_desktop.services.dossiers.volume_compile import VolumeRow
from ui.context import AppContext
from ui.documents.lifecycle_dialogs import LifecycleDialog, ReasonDialog
from ui.dossier.case_photo_dialog import CasePhotoDialog
from ui.dossier.dossier_tables import (
    INDEX_WIDTHS,
    REMARK_COLUMN,
    IndexModel,
)
from ui.dossier.dossier_tabs import CoverTab, SelfCheckTab, table
from ui.dossier.early_build import EarlyBuild
from ui.dossier.media_dialog import MediaDialog
from ui.dossier.order_dialog import OrderDialog
from ui.dossier.page_preview import PagePreview
from ui.dossier.scan_dialog import ScanDialog
from ui.dossier.volume_output import Volume, export_volume, print_volumes
from ui.errors import failure_text, show_failure
from ui.shortcuts import EXPORT_PDF, PRINT_PREVIEW, keyed, shown
from ui.widgets.ask import ask

NUMBER_CHOICES = (("none", "不打印页号"), ("labels", "附页号标签"), ("list", "附盖号清单"))
TAB_WIDTH = 600
MOVE_UP, MOVE_DOWN = "Ctrl+Up", "Ctrl+Down"  # in the 目录: 调整顺序 one place up or down
RESTORED = "恢复立卷规则规定的顺序"  # the reason recorded when an override is taken back
READ_ONLY_NOTE = "本案已归档，案卷已冻结，不能修改；如确需修改，请由中队负责人批准重新打开案卷。"


class _Progress(QObject):
    """Carries the build's progress from the worker to the bar (a queued signal)."""

    moved = Signal(int, int, int)  # build serial, parts done, parts in all


class DossierView(QWidget):
    """``show_case`` a closed or archived case; ``back`` returns to the list, ``changed`` says
    the list's rows changed (a remark, an archiving), ``open_case`` asks for the case page."""

    back = Signal()
    changed = Signal()
    open_case = Signal(str)

    def __init__(self, context: AppContext, today: Callable[[], dt.date]) -> None:
        super().__init__()
        self._context = context
        self._today = today
        self.case_id = ""
        self.view: VolumeView | None = None
        self.pdf = b""  # the volume shown, as built (printing and export reuse it)
        self._starts: dict[str, int] = {}  # item key → its first physical page in ``pdf``
        self._serial = 0  # of the view loaded
        self._build_serial = 0  # of the volume built
        self._view_due = False  # the tables are read once the volume is built
        self._clicked_at = 0.0
        self.first_page_seconds: float | None = None  # click → page 1 on screen
        self.dialog: QWidget | None = None  # the open dialog, kept alive while shown
        self.early = EarlyBuild(context.workers)
        self._progress = _Progress(self)
        self._progress.moved.connect(self._moved)
        self._setup_ui()

    # --- layout --------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 12pt; font-weight: bold;")
        # a long 案件名称 is cut at the window's edge (whole in the tooltip and on the cover tab)
        self.heading.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setTextVisible(True)
        self.bar.setFormat("正在生成案卷… %v / %m")
        self.bar.hide()
        self.preview = PagePreview(self._context)
        self.preview.first_page_shown.connect(self._first_page_shown)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._index_tab(), "卷内目录")
        self.check_tab = SelfCheckTab()
        self.cover_tab = CoverTab()
        self.cover_tab.save_requested.connect(self.save_backnotes)
        self.tabs.addTab(self.check_tab, "自查")
        self.tabs.addTab(self.cover_tab, "封面与备考表")
        self.tabs.setMinimumWidth(TAB_WIDTH)
        body = QSplitter()
        body.addWidget(self.preview)
        body.addWidget(self.tabs)
        body.setStretchFactor(0, 1)
        body.setChildrenCollapsible(False)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(self._heading_row())
        column.addLayout(self._output_row())
        column.addWidget(self.status)
        column.addWidget(self.bar)
        column.addWidget(body, 1)

    def _heading_row(self) -> QHBoxLayout:
        self.back_button = QPushButton("返回列表(&B)")
        self.back_button.clicked.connect(self.back)
        self.case_button = QPushButton("打开案件(&C)")
        self.case_button.clicked.connect(lambda: self.open_case.emit(self.case_id))
        leader = self._context.actor.can(Permission.APPROVE_CASES)
        self.archive_button = QPushButton("批准归档(&G)…")
        self.archive_button.clicked.connect(self.archive)
        self.reopen_button = QPushButton("重新打开案卷(&R)…")
        self.reopen_button.clicked.connect(self.reopen)
        for button in (self.archive_button, self.reopen_button):
            button.setVisible(leader)
        row = QHBoxLayout()
        row.addWidget(self.back_button)
        row.addWidget(self.heading, 1)
        for button in (self.case_button, self.archive_button, self.reopen_button):
            row.addWidget(button)
        return row

    def _output_row(self) -> QHBoxLayout:
        self.print_button = keyed(QPushButton("打印"), PRINT_PREVIEW)
        self.print_button.clicked.connect(self.print_volume)
        self.export_button = keyed(QPushButton("导出PDF"), EXPORT_PDF)
        self.export_button.clicked.connect(self.export_pdf)
        self.numbers = QComboBox()
        for value, label in NUMBER_CHOICES:
            self.numbers.addItem(label, value)
        self.numbers.setToolTip("纸质卷用签字原件装订：可附页号标签或盖号清单")
        self.paper_button = QPushButton("打印纸质卷（封面、目录、备考表）(&Z)")
        self.paper_button.clicked.connect(self.print_paper)
        self.check_button = QPushButton("打印案卷自查表(&K)")
        self.check_button.clicked.connect(self.print_self_check)
        self.duplex = QCheckBox("双面打印（插入空白页）(&D)")
        self.duplex.setToolTip("插入空白页，使每件文书从右页（单数页）开始；空白页不编页号")
        self.duplex.toggled.connect(lambda _on: self.build())
        row = QHBoxLayout()
        for widget in (
            self.print_button,
            self.export_button,
            self.paper_button,
            self.numbers,
            self.check_button,
            self.duplex,
        ):
            row.addWidget(widget)
        row.addStretch()
        return row

    def _index_tab(self) -> QWidget:
        self.index = IndexModel(self._save_remark)
        self.index_table = table(self.index, INDEX_WIDTHS)
        self.index_table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.index_table.activated.connect(self._edit_remark)
        for keys, by in ((MOVE_UP, -1), (MOVE_DOWN, 1)):  # 上移 / 下移: the dialog, proposed
            shortcut = QShortcut(QKeySequence(keys), self.index_table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(lambda by=by: self.move_item(by))
        self.index_table.selectionModel().currentRowChanged.connect(self._row_chosen)
        self.move_button = QPushButton("调整顺序(&M)…")
        self.move_button.clicked.connect(self.move_item)
        self.restore_button = QPushButton("恢复原顺序")
        self.restore_button.clicked.connect(self.restore_order)
        self.scan_button = QPushButton("附加扫描件(&S)…")
        self.scan_button.clicked.connect(self.attach_scan)
        self.media_button = QPushButton("音像资料(&V)…")
        self.media_button.clicked.connect(lambda: self._case_dialog(MediaDialog))
        self.photo_button = QPushButton("照片(&H)…")
        self.photo_button.clicked.connect(lambda: self._case_dialog(CasePhotoDialog))
        buttons = QHBoxLayout()
        for button in (
            self.move_button,
            self.restore_button,
            self.scan_button,
            self.media_button,
            self.photo_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch()
        hint = QLabel(
            f"备注：选中一行按 Enter 或 F2 填写；{shown(MOVE_UP)} / {shown(MOVE_DOWN)} 上移、下移"
            "（须写明原因）；页号由系统按装订结果计算。"
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #5b6675;")
        tab = QWidget()
        column = QVBoxLayout(tab)
        column.addLayout(buttons)
        column.addWidget(self.index_table, 1)
        column.addWidget(hint)
        return tab

    # --- loading -------------------------------------------------------------------------

    def show_case(self, case_id: str) -> None:
        """Open the volume of ``case_id``: its tables, then its pages from page 1."""
        self.case_id = case_id
        self.view = None
        self._clicked_at = time.monotonic()
        self.first_page_seconds = None
        self.heading.setText("正在读取案卷…")
        self.reload()

    def reload(self) -> None:
        """Rebuild the volume, then read the case's dossier again (after a change).

        The volume comes first: both compile in Python, which runs one thread at a time, so
        side by side each would take twice as long and page 1 would wait for the tables.
        """
        self._view_due = True
        self.build()

    def _load_view(self) -> None:
        self._view_due = False
        self._serial += 1
        serial = self._serial
        self._context.workers.run(
            self._on_case(volume.dossier_view, self._today()),
            lambda view: self._shown(serial, view),
            lambda error: show_failure(self, error, "案卷未能读取"),
        )

    def build(self) -> None:
        """Compile the volume in the background (an archived one: its frozen bytes)."""
        if not self.case_id:
            return
        self._build_serial += 1
        serial, duplex = self._build_serial, self.duplex.isChecked()
        self.pdf = b""
        self._set_output_enabled(False)
        self.preview.clear("正在生成案卷…")
        self.bar.setRange(0, 0)
        self.bar.show()
        built_ahead = None if duplex else self.early.take(self.case_id)
        if built_ahead is not None:
            built_ahead.then(
                lambda built: self._built(serial, built),
                lambda error: self._build_failed(serial, error),
            )
            return
        self._context.workers.run(
            self._build_work(self.case_id, duplex, serial),
            lambda built: self._built(serial, built),
            lambda error: self._build_failed(serial, error),
        )

    def _build_work(
        self, case_id: str, duplex: bool, serial: int
    ) -> Callable[[], volume.BuiltVolume]:
        """The compile, for the workers; its progress goes to the bar of build ``serial``."""
        database, actor, today = self._context.database, self._context.actor, self._today()
        moved = self._progress.moved
        return lambda: volume.build_volume(
            database,
            actor,
            case_id,
            today,
            duplex=duplex,
            progress=lambda done, total: moved.emit(serial, done, total),
        )

    def build_ahead(self, case_id: str) -> None:
        """Compile ``case_id``'s volume before it is opened (the list's current row)."""
        self.early.start(case_id, self._build_work(case_id, False, -1))

    def _moved(self, serial: int, done: int, total: int) -> None:
        if serial == self._build_serial:
            self.bar.setRange(0, total)
            self.bar.setValue(done)

    def _built(self, serial: int, built: volume.BuiltVolume) -> None:
        if serial != self._build_serial:
            return
        self.bar.hide()
        self.pdf = built.pdf
        self._starts = {row.key: row.first_page for row in built.rows}
        self._set_output_enabled(True)
        self.preview.show_pdf(built.pdf)
        if self._view_due:
            self._load_view()

    def _build_failed(self, serial: int, error: Exception) -> None:
        if serial != self._build_serial:
            return
        self.bar.hide()
        self.preview.clear(f"案卷未能生成：{failure_text(error)}")
        if self._view_due:  # the tables may say why (a 自查 finding)
            self._load_view()

    def _first_page_shown(self) -> None:
        if self.first_page_seconds is None and self._clicked_at:
            self.first_page_seconds = time.monotonic() - self._clicked_at

    def _shown(self, serial: int, view: VolumeView) -> None:
        if serial != self._serial:
            return
        chosen = self.index_table.currentIndex().row()
        self.view = view
        archived = view.archived
        state = f"已归档　归档号 {view.archive_no}　{view.archived_on}" if archived else "待归档"
        heading = f"{view.case_no}（{state}）　{view.cover_lines[0][1]}"
        self.heading.setText(heading)
        self.heading.setToolTip(heading)
        self.index.read_only = archived or not self._may_edit()
        self.index.set_rows(list(view.rows))
        if 0 <= chosen < len(view.rows):
            self.index_table.selectRow(chosen)
        self.check_tab.show_check(view.self_check)
        self.cover_tab.show_dossier(view, not archived and self._may_edit())
        self.duplex.setEnabled(not archived)
        self.status.setText(READ_ONLY_NOTE if archived else "")
        self.status.setVisible(archived)
        self._update_buttons()

    def _on_case(
        self, function: Callable[..., Any], *args: Any, **kwargs: Any
    ) -> Callable[[], Any]:
        """``function(database, actor, case_id, *args, **kwargs)`` as work for the workers."""
        database, actor, case_id = self._context.database, self._context.actor, self.case_id
        return lambda: function(database, actor, case_id, *args, **kwargs)

    def _may_edit(self) -> bool:
        return self._context.actor.can(Permission.KEEP_CASE_RECORDS)

    def _set_output_enabled(self, enabled: bool) -> None:
        for button in (self.print_button, self.export_button):
            button.setEnabled(enabled)

    def _update_buttons(self) -> None:
        view, row = self.view, self.chosen_row()
        open_volume = view is not None and not view.archived and self._may_edit()
        self.move_button.setEnabled(open_volume and row is not None)
        self.restore_button.setEnabled(
            open_volume and row is not None and bool(row.override_reason)
        )
        self.scan_button.setEnabled(open_volume and row is not None and row.key.startswith("doc:"))
        for button in (self.media_button, self.photo_button):
            button.setEnabled(open_volume)
        self.archive_button.setEnabled(view is not None and not view.archived)
        self.reopen_button.setEnabled(view is not None and view.archived)

    def chosen_row(self) -> VolumeRow | None:
        """The 目录 row under the cursor, if any."""
        position = self.index_table.currentIndex().row()
        return self.index.item_at(position) if position >= 0 else None

    def _row_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        """The preview follows the 目录: the page where the chosen item starts."""
        self._update_buttons()
        if current.isValid():
            self.preview.show_page(self._starts.get(self.index.item_at(current.row()).key, 0))

    # --- what a person decides -----------------------------------------------------------

    def _edit_remark(self, index: QModelIndex) -> None:
        if not self.index.read_only:
            self.index_table.edit(index.siblingAtColumn(REMARK_COLUMN))

    def _save_remark(self, row: VolumeRow, text: str) -> None:
        self._change(self._on_case(dossier_records.set_remark, row.key, text))

    def save_backnotes(self, notes: str, filed_by: str, checked_by: str) -> None:
        """保存备考表: 本卷情况说明, 立卷人, 检查人."""
        self._change(self._on_case(dossier_records.set_backnotes, notes, filed_by, checked_by))

    def _change(self, work: Callable[[], object]) -> None:
        """Store a person's change, then show the volume as it now compiles."""
        self._context.workers.run(
            work,
            lambda _done: self._changed(),
            lambda error: show_failure(self, error, "未能保存"),
        )

    def _changed(self) -> None:
        self.early.forget()
        self.reload()
        self.changed.emit()

    def move_item(self, by: int = 0) -> None:
        """调整顺序…: the item to another position (``by`` places up or down proposed), with
        the reason (asked in a dialog)."""
        row = self.chosen_row()
        if row is None or not self.move_button.isEnabled():
            return
        proposed = row.sequence + by
        dialog = OrderDialog(row.title, proposed, self.index.row_count(), self)

        def submit(form: LifecycleDialog) -> None:
            assert isinstance(form, OrderDialog)
            position, reason = form.chosen_position(), form.reason_text()
            self._submit(
                form, self._on_case(dossier_records.set_order_override, row.key, position, reason)
            )

        dialog.on_submit(submit)
        self._open(dialog)

    def restore_order(self) -> None:
        """恢复原顺序: the chosen item back where the binding rule puts it."""
        row = self.chosen_row()
        if row is None:
            return
        restore = self._on_case(dossier_records.set_order_override, row.key, None, RESTORED)
        self.dialog = ask(
            self,
            "恢复原顺序",
            f"将“{row.title}”恢复到立卷规则规定的位置？",
            "恢复原顺序",
            lambda: self._change(restore),
        )

    def _submit(self, form: LifecycleDialog, work: Callable[[], object]) -> None:
        """Run ``form``'s change; a refusal stays in the form, success closes it."""

        def done(_result: object) -> None:
            form.accept()
            self._changed()

        self._context.workers.run(work, done, lambda error: form.refused(failure_text(error)))

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.finished.connect(lambda _result: self.index_table.setFocus())  # keys come back
        dialog.open()

    def attach_scan(self) -> None:
        """附加扫描件…: the signed paper original of the chosen document (H7's dialog)."""
        row = self.chosen_row()
        if row is None or not row.key.startswith("doc:"):
            return
        dialog = ScanDialog(self._context, row.key.removeprefix("doc:"), self, self._today)
        dialog.changed.connect(self._changed)
        self._open(dialog)

    def _case_dialog(self, kind: type[MediaDialog] | type[CasePhotoDialog]) -> None:
        dialog = kind(self._context, self.case_id, self)
        dialog.changed.connect(self._changed)
        self._open(dialog)

    # --- the leader's steps --------------------------------------------------------------

    def archive(self) -> None:
        """批准归档: refused, with the findings, while any must be resolved first."""
        view = self.view
        if view is None:
            return
        blocking = [f for f in view.self_check.findings if f.blocks_archive]
        if blocking:
            listed = "\n".join(f"· {f.item_label}：{f.message}" for f in blocking)
            self._tell(
                QMessageBox.Icon.Warning,
                "不能归档",
                f"自查发现以下问题须先解决，解决后才能归档：\n{listed}",
            )
            return
        work = self._on_case(archiving.archive_case, self._today())
        self.dialog = ask(
            self,
            "批准归档",
            f"批准{view.case_no}归档？归档后编定归档号，案卷冻结，案件不能再修改。",
            "批准归档",
            lambda: self._context.workers.run(
                work,
                self._archived,
                lambda error: show_failure(self, error, "未能归档"),
            ),
        )

    def _archived(self, result: archiving.ArchiveResult) -> None:
        self._changed()
        self._tell(
            QMessageBox.Icon.Information,
            "已归档",
            f"已归档。归档号：{result.archive_no}，共 {result.page_count} 页。",
        )

    def _tell(self, icon: QMessageBox.Icon, title: str, text: str) -> None:
        """A message the user closes, not blocking the window."""
        self.dialog = QMessageBox(icon, title, text, parent=self)
        self.dialog.open()

    def reopen(self) -> None:
        """重新打开案卷: an archived case opened again, with the reason (recorded)."""
        dialog = ReasonDialog(
            "重新打开案卷",
            "重新打开后案件可以修改，归档号保留；再次归档时重新冻结案卷。"
            "原因记入备考表和操作日志。",
            "重新打开",
            self,
        )
        today = self._today()

        def submit(form: LifecycleDialog) -> None:
            assert isinstance(form, ReasonDialog)
            self._submit(form, self._on_case(reopening.reopen_case, form.reason_text(), today))

        dialog.on_submit(submit)
        self._open(dialog)

    # --- output --------------------------------------------------------------------------

    def this_volume(self) -> Volume:
        """The volume as shown (already built: printing it builds nothing)."""
        pdf = self.pdf
        return Volume(self.view.case_no if self.view else "案卷", lambda: pdf)

    def print_volume(self) -> None:
        """打印: the volume shown, through the print dialog."""
        if self.pdf:
            self.dialog = print_volumes(self._context, [self.this_volume()], self)

    def export_pdf(self) -> None:
        """导出PDF: the volume shown, to a file named by the 案号."""
        if self.pdf:
            export_volume(self._context, self.this_volume(), self, self._exported)

    def _exported(self, paths: list[object]) -> None:
        self.status.setText(f"已导出：{paths[0]}")
        self.status.show()

    def print_paper(self) -> None:
        """打印纸质卷: cover, 目录 and 备考表 for the signed originals (+ 页号 labels or list)."""
        build = self._on_case(
            volume.paper_volume,
            duplex=self.duplex.isChecked(),
            labels=self.numbers.currentData(),
        )
        self._print_other("纸质卷", build)

    def print_self_check(self) -> None:
        """打印案卷自查表."""
        self._print_other("自查表", self._on_case(volume.self_check_sheet, self._today()))

    def _print_other(self, what: str, build: Callable[[], Any]) -> None:
        """Print something else made from the volume (built once the printer is chosen)."""
        name = f"{self.view.case_no if self.view else ''}{what}"
        self.dialog = print_volumes(self._context, [Volume(name, build)], self)

"""The runner for one inspection: walk the checklist with the keyboard, each answer saved at once.

Focus lives on the item list. Up/Down move; 1 and 3 answer 符合 and 不涉及 and jump to the
next unanswered item; Enter goes to the note field, and Enter there saves the note and comes
back. 2 (不符合) stays on the item and puts the keyboard in the description of the hazard the
core created with it, all selected: typing replaces the suggested sentence, End adds to it,
Enter accepts it and jumps on, Esc goes back to the list (what was typed is kept). Ctrl+I adds
photos to the current item, e.g. of the hazard just described. Every answer is saved
synchronously on the GUI thread (``answer_item`` takes a few milliseconds), so what the list
shows is what the database holds, in the order it was given.

A completed inspection is shown read-only, except that photos may still be added (to an item
or to the inspection as a whole): the camera card is often copied at the office afterwards.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from fuanjian_desktop.checklists.model import Item
from fuanjian_desktop.domain.inspection_rules import Answer, InspectionStatus
from fuanjian_desktop.services.inspections import inspections
from fuanjian_desktop.services.inspections.inspections import InspectionView
from ui.context import AppContext
from ui.dialogs.finish_inspection_dialog import FinishInspectionDialog
from ui.documents.inspection_documents_dialog import InspectionDocumentsDialog
from ui.errors import show_failure
from ui.models.checklist_items import ChecklistItemsModel
from ui.shortcuts import ADD_PHOTO, DOCUMENTS, FINISH_INSPECTION, keyed
from ui.widgets.hazard_form import HazardForm
from ui.widgets.inspection_header import InspectionHeader
from ui.widgets.item_detail import ItemDetail
from ui.widgets.photo_strip import WHOLE_INSPECTION, PhotoStrip

KEY_ANSWERS = {
    Qt.Key.Key_1: Answer.COMPLIANT,
    Qt.Key.Key_2: Answer.NON_COMPLIANT,
    Qt.Key.Key_3: Answer.NOT_APPLICABLE,
}
ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
COMMAND_MODIFIERS = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
MARKER_WIDTH = 28
LIST_AND_DETAIL = [45, 55]
NO_CHECKLIST = "这是一次复查，没有检查表；复查结果记在原检查的隐患上，请到隐患页查看。"
NOTE_NEEDS_ANSWER = "请先选择检查结果（1 符合、2 不符合、3 不涉及），备注随结果一起保存。"
HAZARD_TITLE = "隐患（回车确认描述，Esc 返回列表，随改随存）"
ALL_ANSWERED = "全部 {} 项已检查，可以结束检查（Ctrl+E）。"
COMPLETED = "本次检查已结束，检查结果不能再修改；照片仍可添加。"


class ItemTree(QTreeView):
    """The item list; digits answer and Enter asks for the note instead of their defaults."""

    answer_key = Signal(object)  # the Answer for the digit pressed
    enter_key = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """1/2/3 and Enter are the runner's; every other key keeps its list behaviour."""
        key = Qt.Key(event.key())
        if event.modifiers() & COMMAND_MODIFIERS:
            super().keyPressEvent(event)
        elif key in KEY_ANSWERS:
            self.answer_key.emit(KEY_ANSWERS[key])
        elif key in ENTER_KEYS:
            self.enter_key.emit()
        else:
            super().keyPressEvent(event)


class ChecklistView(QWidget):
    """One inspection in progress (or completed, read-only); ``load`` switches inspection."""

    changed = Signal(str)  # the inspection id, after an answer, hazard edit or finish was saved

    def __init__(self, context: AppContext, view: InspectionView | None = None) -> None:
        super().__init__()
        self._context = context
        self._view: InspectionView | None = None
        self._current_id = ""
        self.dialog: QWidget | None = None  # the open finish dialog, kept alive while shown
        self.model = ChecklistItemsModel()
        self.header = InspectionHeader()
        self.finish_button = keyed(QPushButton("结束检查…"), FINISH_INSPECTION)
        self.finish_button.clicked.connect(self.finish)
        self.documents_button = QPushButton("文书…")
        self.documents_button.setToolTip("现场检查记录、责令限期整改指令书等本次检查的文书")
        keyed(self.documents_button, DOCUMENTS)
        self.documents_button.clicked.connect(self.open_documents)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.hide()
        self.tree = self._item_tree()
        self.detail = ItemDetail()
        self.detail.answered.connect(self.answer)
        self.detail.note_entered.connect(self.save_note)
        self.photos = PhotoStrip(context, "本项照片")
        keyed(self.photos.add_button, ADD_PHOTO)
        self.inspection_photos = PhotoStrip(context, "现场照片（整次检查）", compact=True)
        self.hazard_form = HazardForm(context)
        self.hazard_form.saved.connect(self._hazard_saved)
        self.hazard_form.description.installEventFilter(self)  # Enter accepts, Esc leaves
        self.hazard_box = QGroupBox(HAZARD_TITLE)
        QVBoxLayout(self.hazard_box).addWidget(self.hazard_form)
        self._setup_ui()
        if view is not None:
            self.load(view)

    def _item_tree(self) -> ItemTree:
        tree = ItemTree()
        tree.setModel(self.model)
        tree.setHeaderHidden(True)
        tree.setRootIsDecorated(False)
        tree.setItemsExpandable(False)
        tree.setIndentation(0)
        tree.setUniformRowHeights(True)
        tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        tree.header().setStretchLastSection(True)
        tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        tree.header().resizeSection(0, MARKER_WIDTH)
        tree.selectionModel().currentChanged.connect(self._current_changed)
        tree.answer_key.connect(self.answer)
        tree.enter_key.connect(self.edit_note)
        return tree

    def _setup_ui(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.header, 1)
        buttons = QVBoxLayout()
        buttons.addWidget(self.finish_button)
        buttons.addWidget(self.documents_button)
        buttons.addStretch()
        top.addLayout(buttons)
        self.splitter = splitter = QSplitter()
        splitter.addWidget(self.tree)
        splitter.addWidget(self._detail_column())
        splitter.setSizes(LIST_AND_DETAIL)  # proportions: the rest goes where it is needed
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.inspection_photos)
        layout.addWidget(self.status_label)
        layout.addWidget(splitter, 1)
        layout.addStretch()  # takes the room when a 复查 hides the splitter

    def _detail_column(self) -> QScrollArea:
        column = QWidget()
        layout = QVBoxLayout(column)
        layout.addWidget(self.detail)
        layout.addWidget(self.hazard_box)
        layout.addWidget(self.photos)
        layout.addStretch()
        scroll = QScrollArea()
        scroll.setWidget(column)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # its texts wrap: scrolling sideways would only hide the ends of the lines
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        return scroll

    # --- showing -------------------------------------------------------------------------

    @property
    def inspection_id(self) -> str | None:
        """The inspection shown, if any."""
        return self._view.id if self._view else None

    @property
    def read_only(self) -> bool:
        """A completed inspection can no longer be answered (the core refuses it too); photos
        can still be added to it."""
        return self._view is None or self._view.status is InspectionStatus.COMPLETED

    def load(self, view: InspectionView) -> None:
        """Show ``view``, on its first unanswered item (its first item once all are answered)."""
        self.hazard_form.save_now()  # a pending edit belongs to the inspection shown so far
        switching, previous = view.id != self.inspection_id, self._current_id
        self._view = view
        self.model.load(view)
        self.tree.expandAll()
        for row in range(self.model.rowCount()):
            self.tree.setFirstColumnSpanned(row, QModelIndex(), True)
        self.header.show_view(view)
        self.finish_button.setEnabled(not self.read_only)
        for strip in (self.photos, self.inspection_photos):
            strip.load(view.id)
        self.inspection_photos.show_item(WHOLE_INSPECTION)
        self.splitter.setVisible(bool(view.items))
        if not view.items:
            self._say(NO_CHECKLIST)
        elif self.read_only:
            self._say(COMPLETED)
        elif not view.unanswered:
            self._say(ALL_ANSWERED.format(len(view.items)))
        elif switching:
            self._say("")
        first = next(iter(view.unanswered or view.items), None)
        still_listed = self.model.index_of(previous).isValid()
        keep = previous if still_listed and not switching else ""
        self._select(keep or (first.id if first else ""))

    def reload(self) -> None:
        """Read the inspection again (after a finish, or an edit made elsewhere)."""
        if self._view is not None:
            context = self._context
            self.load(inspections.open_inspection(context.database, context.actor, self._view.id))

    def focus_items(self) -> None:
        """Put the keyboard on the item list, where 1/2/3 answer."""
        self.tree.setFocus()

    def _select(self, item_id: str) -> None:
        """Make ``item_id`` current; the detail side follows (once, via currentChanged)."""
        index = self.model.index_of(item_id)
        if index == self.tree.currentIndex():
            self._show_current()
            return
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
        rows = QItemSelectionModel.SelectionFlag.Rows
        self.tree.selectionModel().setCurrentIndex(index, flags | rows)
        self.tree.scrollTo(index)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._current_id = self.model.item_id_at(current) or ""
        self._show_current()

    def current_item(self) -> Item | None:
        """The item selected in the list (``None`` on a checklist without items)."""
        view = self._view
        if view is None:
            return None
        return next((item for item in view.items if item.id == self._current_id), None)

    def _show_current(self) -> None:
        """Fill the detail side for the current item; nothing shows on a checklist without one."""
        self.hazard_form.save_now()  # a pending hazard edit belongs to the item being left
        item, view = self.current_item(), self._view
        for part in (self.detail, self.photos):
            part.setVisible(item is not None)
        hazard = view.hazards.get(item.id) if view and item else None
        self.hazard_box.setVisible(hazard is not None)
        if view is None or item is None:
            return
        number = view.items.index(item) + 1
        place = f"第 {number} / {len(view.items)} 项 · {item.section_title}"
        self.detail.show_item(place, item, view.answers.get(item.id), hazard, self.read_only)
        self.photos.show_item(item.id)
        if hazard is not None:
            self.hazard_form.load(hazard)
            self.hazard_form.setEnabled(not self.read_only)

    # --- saving --------------------------------------------------------------------------

    def answer(self, result: Answer) -> None:
        """Save ``result`` (with the note field's text) for the current item, then move on;
        不符合 stays on the item to have its hazard described."""
        item, view = self.current_item(), self._view
        if item is None or view is None or self.read_only:
            return
        if not self._save(item, result, self.detail.note.text()):
            return
        if result is Answer.NON_COMPLIANT:
            self._describe_hazard(item)
        else:
            self._move_on(item)

    def _describe_hazard(self, item: Item) -> None:
        """Show ``item``'s new hazard with its description selected, ready to be retyped (by
        whoever may edit hazards; anyone else moves on)."""
        assert self._view is not None
        self._select(item.id)  # shows the hazard the answer created
        if not self.hazard_form.editable:
            self._move_on(item)
            return
        self._say("")  # the editor's title says what to do; the room goes to the editor
        self.hazard_form.description.setFocus()
        self.hazard_form.description.selectAll()

    def accept_hazard(self) -> None:
        """Enter in the hazard description: save it, then on to the next unanswered item (a
        refused description, e.g. an empty one, keeps the keyboard there with the reason)."""
        item = self.current_item()
        if item is not None and self.hazard_form.save_now():
            self._move_on(item)

    def back_to_list(self) -> None:
        """Esc in the hazard description: save what was typed and return to the item list."""
        self.hazard_form.save_now()
        self.tree.setFocus()

    def _move_on(self, item: Item) -> None:
        """To the next unanswered item after ``item``, with the keyboard on the list."""
        assert self._view is not None
        following = self._next_unanswered(item)
        self._say("" if following else ALL_ANSWERED.format(len(self._view.items)))
        self._select(following.id if following else item.id)
        self.tree.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter (without Shift, which breaks the line) and Esc in the hazard description."""
        if watched is self.hazard_form.description and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            plain = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            if event.key() in ENTER_KEYS and plain == Qt.KeyboardModifier.NoModifier:
                self.accept_hazard()
                return True
            if event.key() == Qt.Key.Key_Escape:
                self.back_to_list()
                return True
        return super().eventFilter(watched, event)

    def edit_note(self) -> None:
        """Enter on the list: type a note for the current item."""
        if self.current_item() is not None and not self.read_only:
            self.detail.note.setFocus()
            self.detail.note.selectAll()

    def save_note(self) -> None:
        """Enter in the note field: save the note with the item's answer, back to the list."""
        item, view = self.current_item(), self._view
        if item is None or view is None or self.read_only:
            return
        saved = view.answers.get(item.id)
        if saved is None:
            self._say(NOTE_NEEDS_ANSWER)
        elif self._save(item, saved.result, self.detail.note.text()):
            self._say(f"第 {view.items.index(item) + 1} 项的备注已保存。")
            self._select(item.id)
        self.tree.setFocus()

    def _say(self, message: str) -> None:
        """A line under the header for what just happened; hidden when there is nothing to say."""
        self.status_label.setText(message)
        self.status_label.setVisible(bool(message))

    def _save(self, item: Item, result: Answer, note: str) -> bool:
        view, context = self._view, self._context
        assert view is not None
        self.hazard_form.save_now()  # before the answer may take its hazard away
        try:
            inspections.answer_item(context.database, context.actor, view.id, item, result, note)
        except Exception as error:  # a user error or a failure: shown in Chinese, never a trace
            show_failure(self, error, "检查结果未保存")
            return False
        self._refresh()
        return True

    def _refresh(self) -> None:
        """Read back what was saved; the list, header and progress show the database's state."""
        assert self._view is not None
        context = self._context
        self._view = inspections.open_inspection(context.database, context.actor, self._view.id)
        self.model.update(self._view)
        self.header.show_view(self._view)
        self.changed.emit(self._view.id)

    def _hazard_saved(self) -> None:
        """The hazard editor saved itself: refresh the rest without reloading the editor."""
        self._refresh()
        item, view = self.current_item(), self._view
        hazard = view.hazards.get(item.id) if view and item else None
        if hazard is not None:
            self.detail.show_level(hazard.level)

    def _next_unanswered(self, after: Item) -> Item | None:
        """The next item without an answer, wrapping round to the top of the checklist."""
        assert self._view is not None
        items, answers = self._view.items, self._view.answers
        start = items.index(after) + 1
        ordered = items[start:] + items[:start]
        return next((item for item in ordered if item.id not in answers), None)

    # --- finishing -----------------------------------------------------------------------

    def finish(self) -> None:
        """Open the 结束检查 dialog; once finished the inspection is shown read-only."""
        if self._view is None or self.read_only:
            return
        self.hazard_form.save_now()
        dialog = FinishInspectionDialog(self._context, self._view, self)
        dialog.accepted.connect(self._finished)
        dialog.rejected.connect(self.focus_items)
        dialog.open()
        self.dialog = dialog

    def open_documents(self) -> None:
        """The 文书 window of the inspection shown (it may stay open beside the checklist)."""
        if self._view is None:
            return
        self.hazard_form.save_now()  # the documents are filled from what is stored
        dialog = InspectionDocumentsDialog(
            self._context, self._view.id, self._view.enterprise_name, self
        )
        dialog.show()
        self.dialog = dialog

    def _finished(self) -> None:
        self.reload()
        self.focus_items()
        if self._view is not None:
            self.changed.emit(self._view.id)

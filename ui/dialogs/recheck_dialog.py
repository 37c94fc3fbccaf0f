"""复查: go back to a venue and record, hazard by hazard, whether it was rectified.

A 复查 is itself an inspection (two certified inspectors, a person in charge on site, times),
so its problems are shown beside the same fields as when an inspection starts. A hazard may be
left out of this visit (本次不复查); only 已整改 and 未整改 are sent to the core.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from fuanjian_desktop.domain.inspection_rules import Answer, SitePerson, check_times
from fuanjian_desktop.domain.roles import Permission
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.services.inspections.evidence import attach_photos
from fuanjian_desktop.services.inspections.hazards import (
    RecheckRecord,
    hazards_to_recheck,
    record_recheck,
)
from fuanjian_desktop.services.inspections.inspections import (
    HazardView,
    InspectionInvalid,
    InspectionView,
    available_inspectors,
    open_inspection,
)
from ui.context import AppContext
from ui.errors import show_failure
from ui.file_dialogs import pictures_folder
from ui.local_time import QT_MINUTE_FORMAT, from_qdatetime, local_text
from ui.widgets.field_errors import FieldErrors
from ui.widgets.form_parts import save_cancel_buttons
from ui.widgets.photo_strip import PHOTO_FILTER

DEFAULT_VISIT_SECONDS = 30 * 60
CHOICES = (
    ("本次不复查", ""),
    ("已整改", Answer.COMPLIANT.value),
    ("未整改", Answer.NON_COMPLIANT.value),
)
HAZARD_LIST_HEIGHT = 200


class RecheckDialog(QDialog):
    """The 复查 form for one inspection's waiting hazards; ``recheck_id`` is set once saved."""

    def __init__(
        self, context: AppContext, inspection_id: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("复查")
        self.setMinimumWidth(760)
        self._context = context
        self._inspection_id = inspection_id
        self.recheck_id: str | None = None
        self.photos: list[Path] = []
        self.errors = FieldErrors()
        self.choices: dict[str, QComboBox] = {}
        self.notes: dict[str, QLineEdit] = {}
        original = open_inspection(context.database, context.actor, inspection_id)
        waiting = hazards_to_recheck(context.database, context.actor, inspection_id)
        self._setup_ui(original, waiting)

    def _setup_ui(self, original: InspectionView, hazards: list[HazardView]) -> None:
        heading = QLabel(
            f"<b>{original.enterprise_name}</b>　原检查：{local_text(original.started_at)}"
        )
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.inspectors = self._inspector_list()
        self.errors.add_row(form, "复查人员：", "inspectors", self.inspectors)
        self._site_person_rows(form, original.site_person)
        self._time_rows(form)
        self.opinion = QPlainTextEdit()
        self.opinion.setPlaceholderText("如：经复查，上述隐患已按要求整改完毕。")
        self.opinion.setFixedHeight(56)
        form.addRow("复查意见：", self.opinion)
        form.addRow("照片：", self._photo_row())

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self._hazard_box(hazards), 1)
        layout.addWidget(self.errors.general)
        buttons = save_cancel_buttons(self.try_save, self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        layout.addWidget(buttons)

    def _inspector_list(self) -> QListWidget:
        actor = self._context.actor
        people = QListWidget()
        people.setMaximumHeight(96)
        for person in available_inspectors(self._context.database, actor, actor.squad_id):
            cert = f"执法证号 {person.cert_no}" if person.cert_no else "未登记执法证号"
            item = QListWidgetItem(f"{person.full_name}（{cert}）")
            item.setData(Qt.ItemDataRole.UserRole, person.user_id)
            mine = person.user_id == actor.user_id and actor.can(Permission.INSPECT)
            item.setCheckState(Qt.CheckState.Checked if mine else Qt.CheckState.Unchecked)
            people.addItem(item)
        return people

    def _site_person_rows(self, form: QFormLayout, known: SitePerson) -> None:
        """Pre-filled with the person met last time; usually the same owner or manager."""
        self.site_name = QLineEdit(known.name)
        self.site_position = QLineEdit(known.position)
        self.site_position.setPlaceholderText("如：店主、店长")
        self.site_phone = QLineEdit(known.phone)
        fields = (("", self.site_name), ("职务", self.site_position), ("电话", self.site_phone))
        names = ("site_person_name", "site_person_phone")
        form.addRow("现场负责人：", self._row_with_errors(fields, names))

    def _time_rows(self, form: QFormLayout) -> None:
        now = QDateTime.currentDateTime()
        self.started = self._time_edit(now.addSecs(-DEFAULT_VISIT_SECONDS))
        self.ended = self._time_edit(now)
        fields = (("", self.started), ("至", self.ended))
        form.addRow("复查时间：", self._row_with_errors(fields, ("started_at", "ended_at")))

    def _row_with_errors(
        self, fields: tuple[tuple[str, QWidget], ...], names: tuple[str, ...]
    ) -> QWidget:
        """Several fields on one line, their red messages under it (keeps the form short)."""
        line = QHBoxLayout()
        for caption, field in fields:
            if caption:
                line.addWidget(QLabel(caption))
            line.addWidget(field, 1)
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addLayout(line)
        for name in names:
            column.addWidget(self.errors.label_for(name))
        return holder

    def _time_edit(self, value: QDateTime) -> QDateTimeEdit:
        edit = QDateTimeEdit(value)
        edit.setDisplayFormat(QT_MINUTE_FORMAT)
        edit.setCalendarPopup(True)
        return edit

    def _photo_row(self) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        button = QPushButton("添加照片…")
        button.clicked.connect(self.choose_photos)
        button.setEnabled(self._context.actor.can(Permission.ATTACH_EVIDENCE))
        self.photo_count = QLabel("未添加照片")
        layout.addWidget(button)
        layout.addWidget(self.photo_count, 1)
        return row

    def _hazard_box(self, hazards: list[HazardView]) -> QGroupBox:
        box = QGroupBox(f"复查结果（待复查隐患 {len(hazards)} 项）")
        grid = QGridLayout()
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(2, 2)
        for row, hazard in enumerate(hazards):
            self._add_hazard(grid, row, hazard)
        if not hazards:
            grid.addWidget(QLabel("该检查没有待复查的隐患。"), 0, 0)
        grid.setRowStretch(len(hazards) + 1, 1)
        body = QWidget()
        body.setLayout(grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setMinimumHeight(HAZARD_LIST_HEIGHT)
        QVBoxLayout(box).addWidget(scroll)
        return box

    def _add_hazard(self, grid: QGridLayout, row: int, hazard: HazardView) -> None:
        text = QLabel(
            f"{row + 1}. {hazard.description}\n"
            f"　　{hazard.level.label}，整改期限 {hazard.due_date.isoformat()}"
        )
        text.setWordWrap(True)
        choice = QComboBox()
        for label, value in CHOICES:
            choice.addItem(label, value)
        note = QLineEdit()
        note.setPlaceholderText("复查情况（选填）")
        self.choices[hazard.id] = choice
        self.notes[hazard.id] = note
        grid.addWidget(text, row, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(choice, row, 1, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(note, row, 2, Qt.AlignmentFlag.AlignTop)

    # --- input ---------------------------------------------------------------------------

    def choose_photos(self) -> None:
        """Ask for photo files; they are attached once the 复查 is saved."""
        names, _ = QFileDialog.getOpenFileNames(
            self, "选择复查照片", pictures_folder(), PHOTO_FILTER
        )
        self.add_photos([Path(name) for name in names])

    def add_photos(self, paths: list[Path]) -> None:
        """Remember photos to attach after saving (the 复查 record must exist first)."""
        self.photos += [path for path in dict.fromkeys(paths) if path not in self.photos]
        if self.photos:
            self.photo_count.setText(f"已选 {len(self.photos)} 张，保存后添加")

    def set_result(self, hazard_id: str, answer: Answer | None) -> None:
        """Choose 已整改 / 未整改 / 本次不复查 for one hazard (``None`` = not this time)."""
        choice = self.choices[hazard_id]
        choice.setCurrentIndex(choice.findData(answer.value if answer else ""))

    def checked_inspectors(self) -> tuple[str, ...]:
        """User ids ticked in the 复查人员 list, in list order."""
        items = (self.inspectors.item(n) for n in range(self.inspectors.count()))
        return tuple(
            item.data(Qt.ItemDataRole.UserRole)
            for item in items
            if item.checkState() == Qt.CheckState.Checked
        )

    def record(self) -> RecheckRecord:
        """The form's content as the core's request."""
        results = {
            hazard_id: Answer(choice.currentData())
            for hazard_id, choice in self.choices.items()
            if choice.currentData()
        }
        return RecheckRecord(
            inspection_id=self._inspection_id,
            inspector_ids=self.checked_inspectors(),
            site_person=SitePerson(
                self.site_name.text(), self.site_position.text(), self.site_phone.text()
            ),
            started_at=from_qdatetime(self.started.dateTime()),
            ended_at=from_qdatetime(self.ended.dateTime()),
            results=results,
            notes={hazard_id: note.text() for hazard_id, note in self.notes.items()},
            opinion=self.opinion.toPlainText(),
        )

    # --- saving --------------------------------------------------------------------------

    def try_save(self) -> None:
        """Record the 复查; problems appear beside their fields and nothing is saved."""
        record = self.record()
        now = dt.datetime.now().astimezone()
        time_issues = check_times(record.started_at, record.ended_at, now)
        if time_issues:  # the core checks the start; the end is checked here (see report)
            self.errors.show(time_issues)
            return
        context = self._context
        try:
            self.recheck_id = record_recheck(context.database, context.actor, record)
        except InspectionInvalid as invalid:
            self.errors.show(invalid.issues)
            return
        except UserError as error:
            self.errors.show_message(error.message)
            return
        self._attach_photos(self.recheck_id)
        self.accept()

    def _attach_photos(self, recheck_id: str) -> None:
        if not self.photos:
            return
        notice_parent = self.parentWidget() or self
        try:
            report = attach_photos(
                self._context.database, self._context.actor, recheck_id, "", self.photos
            )
        except UserError as error:
            show_failure(notice_parent, error, "复查已保存，照片未添加")
            return
        if report.refused:
            details = "\n".join(f"{name}：{reason}" for name, reason in report.refused)
            refused = UserError(f"{report.summary}：\n{details}")
            show_failure(notice_parent, refused, "部分照片未添加")

"""The header of a 询问笔录, laid out like the first lines of the paper.

询问时间 is stamped: the start when the transcript is made, the end by 结束询问 (or at 定稿 when
still open); both stay editable as ``2026-03-05 09:30``. The 身份证号 is checked as it is typed
(GB 11643, the core's own check) and a valid number fills 性别 and 年龄 when they are blank. A
mistyped time or number is named under its line and kept out of the autosave until it is right.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from fuanjian_desktop.domain.codes import check_resident_id
from fuanjian_desktop.domain.resident_ids import age_on, sex_of
from fuanjian_desktop.services.transcripts.transcripts import MOMENT_FORMAT, RELATIONS
from ui.transcripts.header import HeaderForm
from ui.widgets.form_parts import aligned_form, error_label

SEXES = ("", "男", "女")
TIME_PLACEHOLDERS = {"started_at": "年-月-日 时:分", "ended_at": "点“结束询问”记录"}
TIME_PROBLEM = "{label}格式应为“年-月-日 时:分”，例如 2026-03-05 09:30。"
ORDER_PROBLEM = "询问结束时间早于开始时间，请核对。"
ID_DIGITS = 18
# the text fields of the header: name -> (placeholder, minimum width)
LINES = {
    "place": ("询问地点", 0),
    "interviewee_name": ("姓名", 110),
    "interviewee_age": ("岁", 50),
    "interviewee_id_number": ("18位居民身份证号码", 220),
    "interviewee_unit": ("工作单位", 0),
    "interviewee_job": ("职务", 120),
    "interviewee_address": ("住址", 0),
    "interviewee_phone": ("电话", 140),
    "inquirer": ("询问人", 110),
    "inquirer_unit": ("单位及职务", 0),
    "recorder": ("记录人", 110),
    "recorder_unit": ("单位及职务", 0),
    "present": ("在场人（无则不填）", 0),
}
TIMES = {"started_at": "询问开始时间", "ended_at": "询问结束时间"}
INQUIRY_FIELDS = frozenset({*LINES, *TIMES, "sequence", "relation", "interviewee_sex"})


def local_now() -> dt.datetime:
    """The laptop's wall-clock time, to the minute stamped."""
    return dt.datetime.now()


class InquiryHeader(HeaderForm):
    """询问时间, 地点, the person questioned, 询问人 / 记录人 and 在场人."""

    def __init__(self, now: Callable[[], dt.datetime] = local_now) -> None:
        super().__init__()
        self._now = now
        self._loading = False
        self.lines = {name: _line(*shape) for name, shape in LINES.items()}
        self.times = {name: _line(TIME_PLACEHOLDERS[name], 140) for name in TIMES}
        self.sequence = QSpinBox()
        self.sequence.setRange(1, 99)
        self.relation_box = QComboBox()
        self.relation_box.addItems(RELATIONS)
        self.sex = QComboBox()
        self.sex.addItems(SEXES)
        self.end_button = QPushButton("结束询问")
        self.end_button.setAutoDefault(False)
        self.end_button.setToolTip("把询问结束时间记为现在")
        self.end_button.clicked.connect(self.stamp_end)
        self.time_error = error_label(hidden=True)
        self.id_error = error_label(hidden=True)
        self._setup_ui()
        self._connect()

    def _setup_ui(self) -> None:
        line = self.lines
        form = aligned_form()
        form.addRow(
            "询问时间：",
            _row(
                self.times["started_at"],
                "至",
                self.times["ended_at"],
                self.end_button,
                None,
                "第",
                self.sequence,
                "次询问",
            ),
        )
        form.addRow("", self.time_error)
        form.addRow("询问地点：", line["place"])
        form.addRow(
            "被询问人：",
            _row(
                line["interviewee_name"],
                "身份",
                self.relation_box,
                "性别",
                self.sex,
                "年龄",
                line["interviewee_age"],
                None,
            ),
        )
        form.addRow("身份证号：", line["interviewee_id_number"])
        form.addRow("", self.id_error)
        form.addRow("工作单位：", _row(line["interviewee_unit"], "职务", line["interviewee_job"]))
        form.addRow("住址：", _row(line["interviewee_address"], "电话", line["interviewee_phone"]))
        form.addRow("询问人：", _row(line["inquirer"], "单位及职务", line["inquirer_unit"]))
        form.addRow("记录人：", _row(line["recorder"], "单位及职务", line["recorder_unit"]))
        form.addRow("在场人：", line["present"])
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(form)

    def _connect(self) -> None:
        for edit in self.lines.values():
            edit.textChanged.connect(self._changed)
        for edit in self.times.values():
            edit.textChanged.connect(self._times_changed)
        self.lines["interviewee_id_number"].textChanged.connect(self._id_changed)
        self.lines["interviewee_id_number"].editingFinished.connect(lambda: self._check_id(True))
        self.sequence.valueChanged.connect(self._changed)
        self.sex.currentIndexChanged.connect(self._changed)
        self.relation_box.currentTextChanged.connect(self._relation_changed)

    # --- values --------------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        values: dict[str, Any] = {name: edit.text().strip() for name, edit in self.lines.items()}
        values["interviewee_id_number"] = values["interviewee_id_number"].upper()
        values.update(self._good_times())
        values["sequence"] = str(self.sequence.value())
        values["relation"] = self.relation_box.currentText()
        values["interviewee_sex"] = self.sex.currentText()
        return values

    def set_values(self, values: Mapping[str, Any]) -> None:
        self._loading = True
        try:
            for name, edit in (*self.lines.items(), *self.times.items()):
                edit.setText(str(values.get(name) or ""))
                edit.setCursorPosition(0)  # a long 单位及职务 shows its beginning
            self.sequence.setValue(_number(values.get("sequence")))
            self.relation_box.setCurrentText(str(values.get("relation") or RELATIONS[0]))
            self.sex.setCurrentText(str(values.get("interviewee_sex") or ""))
        finally:
            self._loading = False
        self._show_time_problem()
        self._check_id(True)

    def set_read_only(self, read_only: bool) -> None:
        for edit in (*self.lines.values(), *self.times.values()):
            edit.setReadOnly(read_only)
        for widget in (self.sequence, self.relation_box, self.sex, self.end_button):
            widget.setEnabled(not read_only)

    def relation(self) -> str:
        return self.relation_box.currentText()

    # --- times ---------------------------------------------------------------------------

    def stamp_end(self) -> None:
        """结束询问: the end time is now (to the minute); it stays editable."""
        self.times["ended_at"].setText(self._now().strftime(MOMENT_FORMAT))

    def _good_times(self) -> dict[str, str]:
        """The times that are well formed and in order (a half-typed one is not saved)."""
        moments = {name: _moment(edit.text()) for name, edit in self.times.items()}
        good = {
            name: edit.text().strip()
            for name, edit in self.times.items()
            if moments[name] is not None or not edit.text().strip()
        }
        start, end = moments["started_at"], moments["ended_at"]
        if start and end and end < start:
            good.pop("ended_at", None)
        return good

    def _times_changed(self) -> None:
        self._show_time_problem()
        self._changed()

    def _show_time_problem(self) -> None:
        problems = [
            TIME_PROBLEM.format(label=label)
            for name, label in TIMES.items()
            if self.times[name].text().strip() and _moment(self.times[name].text()) is None
        ]
        if not problems and set(self._good_times()) != set(TIMES):
            problems = [ORDER_PROBLEM]
        self.time_error.setText("\n".join(problems))
        self.time_error.setVisible(bool(problems))

    # --- the ID number -------------------------------------------------------------------

    def _id_changed(self, text: str) -> None:
        """Checked once all 18 characters are in (or the field is left), not at every digit."""
        self._check_id(len(text.strip()) >= ID_DIGITS)
        self._changed()

    def _check_id(self, complete: bool) -> None:
        """Name a wrong number under it; a right one fills 性别 and 年龄 when they are blank."""
        text = self.lines["interviewee_id_number"].text().strip()
        check = check_resident_id(text)
        problem = "" if not text or check.ok or not complete else check.reason
        self.id_error.setText(problem)
        self.id_error.setVisible(bool(problem))
        if check.ok and not self._loading:
            self._fill_from_id(check.normalized)

    def _fill_from_id(self, number: str) -> None:
        if not self.sex.currentText():
            self.sex.setCurrentText(sex_of(number))
        age = self.lines["interviewee_age"]
        if not age.text().strip():
            started = _moment(self.times["started_at"].text())
            years = age_on(number, started.date() if started else self._now().date())
            age.setText("" if years is None else str(years))

    # --- plumbing ------------------------------------------------------------------------

    def _relation_changed(self, relation: str) -> None:
        self._changed()
        if not self._loading:
            self.relation_changed.emit(relation)

    def _changed(self) -> None:
        if not self._loading:
            self.edited.emit()


def _line(placeholder: str, width: int) -> QLineEdit:
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    if width:
        edit.setMinimumWidth(width)
    return edit


def _row(*parts: QWidget | str | None) -> QLayout:
    """Widgets and in-line captions side by side; ``None`` is the stretch."""
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    for part in parts:
        if part is None:
            row.addStretch()
        elif isinstance(part, str):
            caption = QLabel(f"{part}")
            caption.setAlignment(Qt.AlignmentFlag.AlignVCenter)
            row.addWidget(caption)
        else:
            row.addWidget(part, 1 if isinstance(part, QLineEdit) else 0)
    return row


def _moment(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(text.strip(), MOMENT_FORMAT)
    except ValueError:
        return None


def _number(value: Any) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 1

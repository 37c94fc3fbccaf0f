"""The top of the checklist view: where, why, with which checklist, by whom, and how far.

Everything the inspectors may be asked on site (执法证号, 现场负责人) is visible without a
click, and the progress line says how many items remain before the inspection can end.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from fuanjian_desktop import reference
from fuanjian_desktop.domain.inspection_rules import InspectionStatus
from fuanjian_desktop.services.inspections.inspections import InspectionView
from ui.local_time import local_text
from ui.widgets.tags import BLUE, GREEN, set_tag, tag_label

WHEN_COMPLETED = ("检查情况", "现场处理措施")  # written by 结束检查, so empty until then
# short facts two to a line, so the checklist under them keeps its height on a 768 px screen
FACT_ROWS = (
    ("地址",),
    ("检查来源", "检查时间"),
    ("检查表", "现场负责人"),
    ("执法人员",),
    *((name,) for name in WHEN_COMPLETED),
)
FACT_COLUMNS = 4  # caption, value, caption, value
# "；" rather than "、": labels such as 责令停止使用相关设施、设备 contain "、" themselves
MEASURE_SEPARATOR = "；"


class InspectionHeader(QWidget):
    """Facts of one inspection and its progress; ``show_view`` refreshes after every save."""

    def __init__(self) -> None:
        super().__init__()
        self.venue = QLabel()
        self.venue.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.venue.setWordWrap(True)
        self.status_tag = tag_label()
        self.facts: dict[str, QLabel] = {}
        self._captions: dict[str, QLabel] = {}
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(10)
        self.progress_label = QLabel()
        self._setup_ui()

    def _setup_ui(self) -> None:
        title = QHBoxLayout()
        title.addWidget(self.venue, 1)
        title.addWidget(self.status_tag, 0, Qt.AlignmentFlag.AlignTop)
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)
        for row, names in enumerate(FACT_ROWS):
            for position, name in enumerate(names):
                caption = QLabel(f"{name}：")
                caption.setStyleSheet("color: #5b6675;")
                value = QLabel()
                value.setWordWrap(True)
                self.facts[name] = value
                self._captions[name] = caption
                span = 1 if len(names) > 1 else FACT_COLUMNS - 1
                grid.addWidget(caption, row, 2 * position)
                grid.addWidget(value, row, 2 * position + 1, 1, span)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        progress = QHBoxLayout()
        progress.addWidget(self.progress, 1)
        progress.addWidget(self.progress_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(title)
        layout.addLayout(grid)
        layout.addLayout(progress)

    def show_view(self, view: InspectionView) -> None:
        """Fill in ``view``."""
        done = view.status is InspectionStatus.COMPLETED
        self.venue.setText(view.enterprise_name)
        set_tag(self.status_tag, view.status.label, GREEN if done else BLUE)
        values = {
            "地址": view.address,
            "检查来源": view.source.label,
            "检查表": _template(view),
            "执法人员": "、".join(
                f"{i.full_name}（执法证号 {i.cert_no}）" for i in view.inspectors
            ),
            "现场负责人": _site_person(view),
            "检查时间": _times(view),
            "检查情况": _outcome(view),
            "现场处理措施": _measures(view),
        }
        for name, text in values.items():
            self.facts[name].setText(text)
        for name in WHEN_COMPLETED:
            shown = done and not (name == "现场处理措施" and view.template is None)
            self._captions[name].setVisible(shown)  # a 复查 takes no on-site measures
            self.facts[name].setVisible(shown)
        self._show_progress(view)

    def _show_progress(self, view: InspectionView) -> None:
        total = len(view.items)
        for part in (self.progress, self.progress_label):
            part.setVisible(total > 0)  # a 复查 has no checklist to count
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(view.answered)
        self.progress_label.setText(
            f"已检查 {view.answered} / {total} 项，隐患 {len(view.hazards)} 处"
        )


def _template(view: InspectionView) -> str:
    template = view.template
    return f"{template.title}　版本 {template.version}" if template else "（复查，无检查表）"


def _site_person(view: InspectionView) -> str:
    person = view.site_person
    details = "，".join(filter(None, [person.position, person.phone]))
    return f"{person.name}（{details}）" if details else person.name


def _times(view: InspectionView) -> str:
    text = f"{local_text(view.started_at)} 开始"
    if view.ended_at:
        text += f"，{local_text(view.ended_at)} 结束"
    place = view.place if view.place != view.address else ""
    return f"{text}　检查场所：{place}" if place else text


def _outcome(view: InspectionView) -> str:
    text = view.summary or "（未填写检查情况）"
    if view.refused_to_sign:
        text += f"\n负责人拒绝签名：{view.refusal_note}"
    return text


def _measures(view: InspectionView) -> str:
    """The measures taken and their note; a code the reference no longer lists shows as itself,
    so nothing recorded is hidden."""
    labels = {measure.code: measure.label for measure in reference.onsite_measures()}
    taken = MEASURE_SEPARATOR.join(labels.get(code, code) for code in view.onsite_measures)
    text = taken or "未采取"
    return f"{text}　说明：{view.onsite_measures_note}" if view.onsite_measures_note else text

"""The top of the case page: who, what, where the case stands, and what the guard finds.

The facts a leader asks about first (案号, 阶段, 当事人, 案由, 承办人, the dates, the fine and
what is paid) are visible without a click. Under them the procedure guard's findings are
always shown — a case-file review (案卷评查) finds the same defects later, when they can no
longer be put right — and a green line says so when there are none.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from fuanjian_desktop.domain.guard.case_guard import Defect
from fuanjian_desktop.domain.procedure import FINAL_STAGES, Stage
from fuanjian_desktop.services.cases.case_queries import CaseView
from ui.widgets.tags import BLUE, GREEN, set_tag, tag_label

ENDED_GREY = "#6b7280"
CAPTION_GREY = "#5b6675"
STAGE_COLOURS = {Stage.CLOSED: GREEN, Stage.ARCHIVED: GREEN}
# the grid's rows; a fact alone on its row gets the whole width
FACT_ROWS = (("当事人",), ("案由",), ("承办人", "法制审核"), ("日期", "罚款"))
NO_DEFECTS = "未发现程序问题"
GUARD_STYLES = {
    True: "QFrame#guardPanel { background: #fdf3f2; border: 1px solid #e8b4ae; }",
    False: "QFrame#guardPanel { background: #eef7f0; border: 1px solid #a9d5b5; }",
}


class CaseHeader(QWidget):
    """The case's facts; ``show_view`` fills them in."""

    def __init__(self) -> None:
        super().__init__()
        self.case_no = QLabel()
        self.case_no.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.case_no.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.stage = tag_label()
        self.procedure = QLabel()
        self.procedure.setStyleSheet(f"color: {CAPTION_GREY};")
        self.facts: dict[str, QLabel] = {}
        title = QHBoxLayout()
        title.addWidget(self.case_no)
        title.addWidget(self.stage)
        title.addWidget(self.procedure, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(title)
        layout.addLayout(self._grid())

    def _grid(self) -> QGridLayout:
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(3)
        for row, names in enumerate(FACT_ROWS):
            for position, name in enumerate(names):
                caption = QLabel(f"{name}：")
                caption.setStyleSheet(f"color: {CAPTION_GREY};")
                caption.setAlignment(Qt.AlignmentFlag.AlignTop)
                self.facts[name] = _value_label()
                span = 3 if len(names) == 1 else 1
                grid.addWidget(caption, row, 2 * position)
                grid.addWidget(self.facts[name], row, 2 * position + 1, 1, span)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(3, 2)
        return grid

    def show_view(self, view: CaseView) -> None:
        """Fill in ``view``."""
        self.case_no.setText(view.case_no)
        ended = ENDED_GREY if view.stage in FINAL_STAGES else BLUE
        set_tag(self.stage, view.stage.label, STAGE_COLOURS.get(view.stage, ended))
        outcome = f"　处理结果：{view.outcome}" if view.outcome else ""
        self.procedure.setText(f"{view.procedure}　案件来源：{view.source}　{view.squad}{outcome}")
        for name, text in _values(view).items():
            self.facts[name].setText(text)


def _value_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _values(view: CaseView) -> dict[str, str]:
    """The grid's texts (rich text: the party's details in grey on a second line)."""
    party_id = f"（{escape(view.party_id_no)}）" if view.party_id_no else ""
    grey_detail = f"<br><span style='color:{CAPTION_GREY}'>{escape(view.party_detail)}</span>"
    detail = grey_detail if view.party_detail else ""
    fine = f"{view.total_fine:,} 元，已缴 {view.paid:,} 元"
    others = f"；其他处罚：{view.other_penalties}" if view.other_penalties else ""
    return {
        "当事人": f"<b>{escape(view.party_name)}</b>{party_id}{detail}",
        "案由": escape(view.cause),
        "承办人": escape(view.handlers),
        "法制审核": escape(view.reviewer) or "（未审核）",
        "日期": "　".join(f"{label} {day:%Y-%m-%d}" for label, day in view.dates),
        "罚款": escape(fine + others),
    }


class GuardPanel(QFrame):
    """程序检查: each defect with its review item, or a green all-clear."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("guardPanel")
        title = QLabel("程序检查")
        title.setStyleSheet("font-weight: bold;")
        self.body = QLabel()
        self.body.setWordWrap(True)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(2)
        layout.addWidget(title)
        layout.addWidget(self.body)

    def show_defects(self, defects: list[Defect]) -> None:
        """List ``defects`` in red, or say in green that none were found."""
        self.setStyleSheet(GUARD_STYLES[bool(defects)])
        if not defects:
            self.body.setText(f"<span style='color:{GREEN}'>✓ {NO_DEFECTS}</span>")
            return
        lines = (f"<b>【{escape(d.review_item)}】</b>{escape(d.message)}" for d in defects)
        self.body.setText(f"<span style='color:#8c1d18'>{'<br>'.join(lines)}</span>")

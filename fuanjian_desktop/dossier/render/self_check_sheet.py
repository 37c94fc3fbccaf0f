"""案卷自查表: the pre-archive check printed — each finding under its 评查 item with the
points it costs, the veto items (一票否决) marked, the self-score out of 100."""

from __future__ import annotations

from fuanjian_desktop.dossier.render.model import SelfCheckInfo
from fuanjian_desktop.dossier.render.page import chinese_date
from fuanjian_desktop.dossier.render.tables import grid, line, render

TITLE = "案卷自查表"
HEADS = ("序号", "评查项目", "发现的问题", "扣分", "一票否决", "影响归档")
SHARES = (26, 96, 170, 38, 56, 56)
FULL_MARKS = 100


def render_self_check(info: SelfCheckInfo) -> bytes:
    """The 案卷自查表 as PDF bytes."""
    rows = [
        (
            str(number),
            finding.item,
            finding.message,
            _points(finding.deduction) if finding.deduction else "",
            "★" if finding.veto else "",
            "是" if finding.blocking else "",
        )
        for number, finding in enumerate(info.findings, start=1)
    ]
    if not rows:
        rows = [("", "", "未发现问题", "", "", "")]
    vetoed = any(finding.veto for finding in info.findings)
    verdict = "存在一票否决项（★），案卷为不合格卷。" if vetoed else "无一票否决项。"
    story = [
        line(f"案件名称：{info.case_name}"),
        line(f"案号：{info.case_no}\u3000\u3000自查日期：{chinese_date(info.checked_on)}"),
        grid(HEADS, rows, SHARES),
        line(f"自查得分：{_points(info.score)}分（满分{FULL_MARKS}分）。{verdict}"),
        line("自查人：\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000复核人：", align="left"),
    ]
    return render(TITLE, story)


def _points(value: float) -> str:
    """3 rather than 3.0; 1.5 as it is."""
    return f"{value:g}"

"""检查情况 written from the answers and hazards: counts, each problem, the measures ordered."""

from __future__ import annotations

import datetime as dt

from fuanjian_desktop.domain.documents.inspection_findings import (
    AnswerCounts,
    FoundProblem,
    findings_text,
)

D = dt.date
LAW = "《中华人民共和国安全生产法》"
FOUND = D(2026, 11, 26)


def test_each_problem_its_rule_and_the_measure_ordered_then_the_visit_measures() -> None:
    """A hand-written record for a fixture visit: 12 items, one problem fixed at once, one the
    inspector worded with its place (the item's requirement then named too) due by a date, the
    visit's measures and what the inspectors wrote."""
    problems = [
        FoundProblem("未做到：疏散通道保持畅通", "疏散通道保持畅通", f"{LAW}第四十四条", 0, FOUND),
        FoundProblem(
            "二楼仓库东侧灭火器压力不足",
            "灭火器定期检查、压力正常",
            f"{LAW}第三十六条",
            5,
            D(2026, 12, 3),
        ),
    ]
    text = findings_text(
        "小型商店检查表",
        AnswerCounts(compliant=9, non_compliant=2, not_applicable=1),
        problems,
        ["责令限期改正", "责令立即排除事故隐患"],
        "现场负责人陪同检查",
    )
    assert text == (
        "本次按照《小型商店检查表》检查12项，其中符合9项，不符合2项，不涉及1项。\n"
        "发现的问题及现场处理：\n"
        "1．未做到：疏散通道保持畅通，不符合《中华人民共和国安全生产法》第四十四条的规定；"
        "已责令立即改正。\n"
        "2．二楼仓库东侧灭火器压力不足（未做到：灭火器定期检查、压力正常），"
        "不符合《中华人民共和国安全生产法》第三十六条的规定；"
        "已责令于2026年12月3日前整改完毕。\n"
        "现场处理措施：责令限期改正、责令立即排除事故隐患。\n"
        "现场负责人陪同检查。"
    )


def test_a_clean_visit_says_no_hazard_was_found() -> None:
    """No problem: the counts and 未发现事故隐患, nothing invented."""
    text = findings_text("", AnswerCounts(10, 0, 2), [], [])
    assert text == "本次检查12项，其中符合10项，不符合0项，不涉及2项。\n未发现事故隐患。"

"""How a hazard's description reads: a new one states the problem; older defaults are reworded."""

from __future__ import annotations

from fuanjian_desktop.domain.inspection_rules import default_description, problem_text


def test_a_new_hazard_states_the_requirement_not_met() -> None:
    """Not 不符合：+ the requirement (issue 14), but a sentence the inspector can edit."""
    assert default_description("疏散通道保持畅通") == "未做到：疏散通道保持畅通"


def test_documents_print_todays_default_and_the_inspectors_wording_as_written() -> None:
    """The default of today and a worded problem are printed unchanged."""
    assert problem_text("未做到：疏散通道保持畅通") == "未做到：疏散通道保持畅通"
    assert problem_text("二楼疏散通道堆放纸箱") == "二楼疏散通道堆放纸箱"


def test_an_older_default_description_is_reworded() -> None:
    """Hazards stored with the former default (不符合：要求) still print 未做到：要求."""
    assert problem_text("不符合：疏散通道保持畅通") == "未做到：疏散通道保持畅通"

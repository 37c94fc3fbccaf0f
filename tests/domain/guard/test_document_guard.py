"""An issued document missing a required printed field is a 文书 defect that keeps the case open."""

from __future__ import annotations

from fuanjian_desktop.documents.spec import document_spec
from fuanjian_desktop.domain.guard.case_guard import DocumentFact, ReviewItem, case_defects
from fuanjian_desktop.domain.guard.document_guard import missing_fields, missing_labels
from fuanjian_desktop.domain.procedure import find_action
from tests.domain.guard.test_case_guard import facts

NOTICE = {
    "party_name": "深圳市某某有限公司",
    "case_name": "深圳市某某有限公司未按照规定对从业人员进行安全生产教育和培训案",
    "hearing_on": "2026年10月30日",
    "hearing_clock": "9时30分",
    "publicity": "公开",
    "presider": "林国栋",
    "clerk": "陈思远",
}


def test_a_served_hearing_notice_without_a_place_is_a_documents_defect() -> None:
    """The review's 听证会通知书 with no 听证地点 (行政处罚法第六十四条第二项): 【文书】, naming the
    field and the fix, blocking 结案 but not the hearing itself."""
    missing = missing_labels("hearing_meeting_notice", None, NOTICE)
    assert missing == ("听证地点",)
    notice = DocumentFact(
        "hearing_meeting_notice", "应急听通〔2026〕3号", "served", missing=missing
    )
    defects = case_defects(facts(documents=(notice,)))
    assert [(d.code, d.review_item, d.message) for d in defects] == [
        (
            "document_incomplete",
            ReviewItem.DOCUMENTS,
            "《行政处罚听证会通知书》应急听通〔2026〕3号已签发，但缺少听证地点。"
            "请“更正”该文书，补写后重新签发。",
        )
    ]
    assert defects[0].blocks == {"submit_closing", "approve_closing", "archive"}
    assert find_action("hold_hearing").code not in defects[0].blocks


def test_a_complete_notice_and_a_draft_are_not_defects() -> None:
    """With the place written nothing is missing; a draft is not judged (it is not issued)."""
    assert missing_labels("hearing_meeting_notice", None, {**NOTICE, "hearing_place": "三楼"}) == ()
    draft = DocumentFact("hearing_meeting_notice", None, "draft", missing=("听证地点",))
    assert case_defects(facts(documents=(draft,))) == []


def test_a_field_the_variant_does_not_print_is_not_required() -> None:
    """A 单位 decision needs no 身份证号: only the fields the variant prints are required."""
    spec = document_spec("penalty_decision")
    person_only = spec.printed_fields("person") - spec.printed_fields("unit")
    unit_missing = missing_fields(spec, "unit", {})
    assert person_only and not set(unit_missing) & person_only

"""The inspection's documents: an order's deadlines checked at issue; a note never in legal text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import select

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.documents.sheet import sheet_from_json, sheet_text
from fuanjian_desktop.domain.inspection_rules import Answer
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.models import Hazard
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.cases import cases
from fuanjian_desktop.services.documents.document_context import inspection_context
from fuanjian_desktop.services.documents.documents import create_draft, issue_document, save_draft
from fuanjian_desktop.services.inspections import inspections
from tests.cases import ensure_number_block

D = dt.date
ISSUED_ON = D(2026, 11, 26)
NOTE = "负责人称下周整改，私下说明"


def test_an_order_issues_with_each_problems_own_date_and_no_order_date(
    demo_database: Database, inspector: Actor, finished_inspection: tuple[str, list[str]]
) -> None:
    """Hazards due 12月1日, 12月3日, 12月3日: each problem carries its date; the order's
    sentence names none, so no two deadlines of the printed order disagree."""
    inspection_id, _ = finished_inspection
    ensure_number_block(demo_database, inspector, 2026)
    draft = create_draft(
        demo_database, inspector, type_key="rectification_order", inspection_id=inspection_id
    )
    view = issue_document(demo_database, inspector, draft, ISSUED_ON)
    assert view.sheet is not None
    text = sheet_text(sheet_from_json(view.sheet))
    assert "疏散通道保持畅通（整改期限：2026年12月1日）" in text
    assert "现责令你单位对上述第1、2、3项问题分别于各项所列整改期限前整改完毕" in text
    assert "前整改完毕" not in text.replace("分别于各项所列整改期限前整改完毕", "")


def test_an_order_whose_typed_date_contradicts_a_problem_is_refused_with_the_right_value(
    demo_database: Database, inspector: Actor, finished_inspection: tuple[str, list[str]]
) -> None:
    """The review's order: one date for items with different deadlines is refused, saying
    each item's date and what to write instead; nothing is issued."""
    inspection_id, _ = finished_inspection
    ensure_number_block(demo_database, inspector, 2026)
    draft = create_draft(
        demo_database, inspector, type_key="rectification_order", inspection_id=inspection_id
    )
    save_draft(
        demo_database, inspector, draft, {"rectify_due": "2026年12月3日", "rectify_by_item": ""}
    )
    with pytest.raises(UserError) as refused:
        issue_document(demo_database, inspector, draft, ISSUED_ON)
    assert refused.value.message == (
        "《责令限期整改指令书》不能签发：\n"
        "· 各项隐患的整改期限不同（第1项2026年12月1日、第2项2026年12月3日、第3项2026年12月3日），"
        "指令书不能另写一个整改期限“2026年12月3日”。"
        "请删去整改期限，改为“分别于各项所列整改期限前”，并在各项问题后写明各自期限。"
    )


def test_an_inspectors_note_never_reaches_legal_text(
    demo_database: Database,
    inspector: Actor,
    start_inspection: Callable[..., str],
) -> None:
    """The 备注 typed with a 不符合 answer stays on the answer: not in the hazard's description,
    the order's problems, the 检查情况, nor the facts of a case opened from the hazard."""
    inspection_id = start_inspection()
    item = inspections.open_inspection(demo_database, inspector, inspection_id).items[0]
    inspections.answer_item(
        demo_database, inspector, inspection_id, item, Answer.NON_COMPLIANT, NOTE
    )
    with demo_database.read() as session:
        hazard = session.scalars(select(Hazard).where(Hazard.inspection_id == inspection_id)).one()
        context = inspection_context(session, inspection_id, ISSUED_ON)
        prefill = cases.hazard_prefill(session, hazard.id)
    view = inspections.open_inspection(demo_database, inspector, inspection_id)
    assert view.answers[item.id].note == NOTE  # kept where the inspector wrote it
    legal = [
        hazard.description,
        *map(str, context["inspection.problems"]),  # type: ignore[call-overload]
        str(context["inspection.findings"]),
        prefill.draft.facts,
        prefill.draft.cause,
    ]
    assert all("负责人称" not in text for text in legal), legal
    assert f"未做到：{item.check}" in str(context["inspection.findings"])

"""Opening a case: the form's checks, and a case pre-filled from a hazard that was not rectified."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

import pytest
from sqlalchemy import select

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.penalties.discretion import Circumstance, Tier
from fuanjian_desktop.domain.procedure import Procedure, Stage
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.models import Case, CaseLink, Hazard
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.cases import cases
from tests.cases import aq_hazard_id, ensure_number_block

TODAY = dt.date(2026, 11, 26)
SignIn = Callable[[str], Actor]


def test_hazard_prefills_party_violation_and_evidence(
    demo_database: Database, sign_in: SignIn
) -> None:
    """The draft names the venue, the item's violation, the inspection, the hazard and facts."""
    zhang = sign_in("zhangwei")
    hazard_id = aq_hazard_id(demo_database, zhang.squad_id, TODAY)
    prefill = cases.prefill_from_hazard(demo_database, zhang, hazard_id)
    with demo_database.read() as session:
        hazard = session.get(Hazard, hazard_id)
        assert hazard is not None
        assert prefill.draft.violations[0].code == hazard.violation_code
        assert prefill.draft.party.enterprise_id == hazard.enterprise_id
        assert prefill.draft.inspection_ids == (hazard.inspection_id,)
    assert prefill.draft.hazard_ids == (hazard_id,) and "逾期未整改" in prefill.draft.facts
    assert prefill.evidence[0].startswith("现场检查")


def test_opening_from_a_hazard_links_evidence_and_transfers_it(
    demo_database: Database, sign_in: SignIn
) -> None:
    """The case takes its 案号, waits for 立案 approval, and the hazard becomes 移交立案."""
    zhang, li = sign_in("zhangwei"), sign_in("lina")
    ensure_number_block(demo_database, zhang, TODAY.year)
    hazard_id = aq_hazard_id(demo_database, zhang.squad_id, TODAY)
    draft = cases.prefill_from_hazard(demo_database, zhang, hazard_id).draft
    draft = replace(cases.with_handlers(draft, [zhang.user_id or "", li.user_id or ""]))
    case_id = cases.open_case(demo_database, zhang, replace(draft, opened_on=TODAY))
    with demo_database.read() as session:
        case = session.get(Case, case_id)
        hazard = session.get(Hazard, hazard_id)
        assert case is not None and hazard is not None
        assert case.case_no.startswith("（深福）应急立〔2026〕")
        assert Stage(case.stage) is Stage.FILING_APPROVAL and case.filed_on is None
        assert hazard.status == "transferred"
        kinds = set(session.scalars(select(CaseLink.kind).where(CaseLink.case_id == case_id)))
        assert {"inspection", "hazard"} <= kinds


def test_form_problems_are_listed_by_field(demo_database: Database, sign_in: SignIn) -> None:
    """No cause, one handler and a bad ID number are all reported at once, in Chinese."""
    zhang = sign_in("zhangwei")
    draft = cases.NewCase(
        procedure=Procedure.GENERAL,
        source="complaint",
        party=cases.Party("person", name="王五", id_no="440304198001011230"),
        cause=" ",
        handler_ids=(zhang.user_id or "",),
    )
    with pytest.raises(cases.CaseInvalid) as invalid:
        cases.open_case(demo_database, zhang, draft)
    fields = {issue.field for issue in invalid.value.issues}
    assert fields == {"cause", "party_id_no", "handlers"}
    assert "校验位" in invalid.value.message


def test_only_inspectors_open_cases(demo_database: Database, sign_in: SignIn) -> None:
    """A clerk without the inspector role may not open a case."""
    draft = cases.NewCase(Procedure.GENERAL, "other", cases.Party("person"), "x", ())
    with pytest.raises(UserError, match="承办案件"):
        cases.open_case(demo_database, sign_in("wuxia"), draft)


def test_a_rectified_hazard_cannot_start_a_case(demo_database: Database, inspector: Actor) -> None:
    """A hazard already rectified is refused with a Chinese reason."""
    with demo_database.read() as session:
        rectified = session.scalars(select(Hazard.id).where(Hazard.status == "rectified")).first()
    assert rectified is not None
    with pytest.raises(UserError, match="已整改"):
        cases.prefill_from_hazard(demo_database, inspector, rectified)


def test_charged_violations_come_back_as_saved(demo_database: Database, sign_in: SignIn) -> None:
    """The 裁量 form reads back each violation's tier, circumstances, fine, reason and stage;
    the linked hazard is another violation's, so 逾期 is chosen with a reason, which is kept."""
    zhang, li = sign_in("zhangwei"), sign_in("lina")
    ensure_number_block(demo_database, zhang, TODAY.year)
    draft = cases.prefill_from_hazard(
        demo_database, zhang, aq_hazard_id(demo_database, zhang.squad_id, TODAY)
    ).draft
    draft = cases.with_handlers(draft, [zhang.user_id or "", li.user_id or ""])
    case_id = cases.open_case(demo_database, zhang, replace(draft, opened_on=TODAY))
    choice = cases.ViolationChoice(
        "AQ-97-3",
        Tier.LENIENT,
        116_700,
        "从轻",
        (Circumstance.CONFESSED,),
        target="unit",
        overdue=True,
        basis_reason="整改指令书同时责令组织从业人员安全培训，逾期未改正",
    )
    cases.set_violations(demo_database, zhang, case_id, [choice])
    charged = cases.charged_violations(demo_database, zhang, case_id)
    assert charged.choices == (choice,) and charged.party_kind == "unit"

"""认定违法行为与裁量: the suggestion follows the circumstances ticked; edits are kept and saved."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QCheckBox
from sqlalchemy import select

from fuanjian_desktop.domain.penalties.discretion import Circumstance
from fuanjian_desktop.domain.procedure import Procedure
from fuanjian_desktop.models import Enterprise, EnterpriseCategory, Hazard
from fuanjian_desktop.services.cases import cases
from fuanjian_desktop.services.cases.case_queries import case_view
from tests.cases import ensure_number_block, open_hazard_case
from tests.ui.case_support import OPENED_ON, TO_INVESTIGATION, CaseTeam, case_team, make_case
from tests.ui.conftest import type_text
from ui.dialogs.discretion_dialog import DiscretionDialog


def open_dialog(qtbot, make_context, actor, case_id, wait_idle) -> DiscretionDialog:
    dialog = DiscretionDialog(make_context(actor), case_id, OPENED_ON)
    qtbot.addWidget(dialog)
    dialog.show()
    wait_idle()  # the violations charged and the catalogue
    return dialog


def tick(qtbot, box: QCheckBox) -> None:
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def save(qtbot, dialog: DiscretionDialog) -> None:
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)


def case_against(database, team: CaseTeam, hazchem: bool) -> str:
    """A case charging AQ-97-3 against a unit of the squad that is (or is not) a 危险化学品
    生产、经营、储存单位."""
    hazchem_ids = select(EnterpriseCategory.enterprise_id).where(
        EnterpriseCategory.category.in_(cases.HAZCHEM_CATEGORIES)
    )
    chosen = Enterprise.id.in_(hazchem_ids) if hazchem else Enterprise.id.not_in(hazchem_ids)
    query = select(Enterprise.id).where(Enterprise.squad_id == team.handler.squad_id, chosen)
    with database.read() as session:
        enterprise_id = session.scalars(query.order_by(Enterprise.name)).first()
    ensure_number_block(database, team.handler, OPENED_ON.year)
    draft = cases.NewCase(
        procedure=Procedure.GENERAL,
        source="complaint",
        party=cases.Party("enterprise", enterprise_id),
        cause="未按规定对从业人员进行安全生产教育和培训",
        handler_ids=(team.handler.user_id or "", team.partner_id),
        violations=(cases.ViolationChoice("AQ-97-3"),),
        opened_on=OPENED_ON,
    )
    return cases.open_case(database, team.handler, draft)


def test_a_mitigating_circumstance_lowers_the_tier_and_the_saved_fine(
    qtbot, make_context, sign_in, demo_database, wait_idle
):
    """Ticking 主动供述 turns 一般 into 从轻: fine and 裁量理由 follow, and are saved."""
    team = case_team(sign_in)
    case_id = make_case(demo_database, team, TO_INVESTIGATION)
    dialog = open_dialog(qtbot, make_context, team.handler, case_id, wait_idle)
    assert "裁量阶次：<b>一般</b>" in dialog.suggestion.text()
    assert "法定 10万元以下" in dialog.suggestion.text()
    assert dialog.fine.value() == 50_000
    assert "适用“一般”裁量阶次" in dialog.reason.toPlainText()
    tick(qtbot, dialog.circumstances[Circumstance.CONFESSED])
    assert "裁量阶次：<b>从轻</b>" in dialog.suggestion.text()
    assert dialog.fine.value() == 16_700
    assert "主动供述行政机关尚未掌握的违法行为" in dialog.reason.toPlainText()
    save(qtbot, dialog)
    title, _, _, tier, fine, reason = case_view(
        demo_database, team.handler, case_id, OPENED_ON
    ).violations[0]
    assert (title, tier, fine) == ("未按照规定对从业人员进行安全生产教育和培训", "从轻", 16_700)
    assert "对当事人从轻处罚" in reason


def test_an_edited_fine_is_kept_and_checked_against_the_article(
    qtbot, make_context, sign_in, demo_database, wait_idle
):
    """A typed 15万 stays when 从重 is ticked, and is flagged as above the legal maximum."""
    team = case_team(sign_in)
    case_id = make_case(demo_database, team, TO_INVESTIGATION)
    dialog = open_dialog(qtbot, make_context, team.handler, case_id, wait_idle)
    assert dialog.fine_problem.isHidden()
    dialog.fine.lineEdit().selectAll()
    qtbot.keyClicks(dialog.fine, "150000")
    assert dialog.fine_problem.isVisible()
    assert "超过《中华人民共和国安全生产法》第九十七条第（三）项" in dialog.fine_problem.text()
    tick(qtbot, dialog.circumstances[Circumstance.OBSTRUCTED])
    assert dialog.fine.value() == 150_000
    assert "对当事人从重处罚" in dialog.reason.toPlainText()
    # no order to rectify on record: 首次发现, shown with why, and no other stage to choose
    assert "处罚阶段：首次发现（责令改正阶段）" in dialog.basis_text()
    assert "属生产经营单位" in dialog.basis_text()
    assert dialog.other_stage.isHidden() and dialog.basis_reason.isHidden()
    assert dialog.fine_problem.isVisible()


def test_another_stage_is_chosen_only_with_a_reason_where_the_records_allow(
    qtbot, make_context, sign_in, demo_database, wait_idle
):
    """A case from a hazard: its own violation is 逾期未改正 (fixed, 停产停业整顿 ticked and
    locked); a second violation may be put at that stage only with a reason, which is saved."""
    team = case_team(sign_in)
    case_id = open_hazard_case(demo_database, team.handler, team.partner_id, OPENED_ON)
    dialog = open_dialog(qtbot, make_context, team.handler, case_id, wait_idle)
    assert "处罚阶段：逾期未改正阶段" in dialog.basis_text()
    assert dialog.other_stage.isHidden()
    own = cases.charged_violations(demo_database, sign_in("zhangwei"), case_id).choices[0].code
    other = "AQ-97-4" if own != "AQ-97-4" else "AQ-97-3"
    dialog.add_violation(other)
    assert "不是本项违法行为" in dialog.basis_text() and dialog.other_stage.isVisible()
    assert "法定 10万元以下" in dialog.suggestion.text()
    tick(qtbot, dialog.other_stage)
    assert "法定 10万元以上20万元以下" in dialog.suggestion.text()
    stop = dialog.penalties.findItems("责令停产停业整顿", Qt.MatchFlag.MatchExactly)[0]
    assert stop.checkState() == Qt.CheckState.Checked
    assert not stop.flags() & Qt.ItemFlag.ItemIsUserCheckable
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialog.message.text()))
    assert "应按首次发现（责令改正阶段）裁量" in dialog.message.text()
    type_text(qtbot, dialog.basis_reason, "整改指令书同时责令如实记录培训情况")
    save(qtbot, dialog)
    saved = cases.charged_violations(demo_database, sign_in("zhangwei"), case_id).choices[1]
    assert saved.overdue and saved.basis_reason == "整改指令书同时责令如实记录培训情况"


def test_first_offence_is_not_excused_for_a_hazchem_business(
    qtbot, make_context, sign_in, demo_database, wait_idle
):
    """首违不罚 excuses an ordinary unit, but not a 危险化学品经营 business, which is warned."""
    team = case_team(sign_in)
    ordinary = case_against(demo_database, team, hazchem=False)
    dialog = open_dialog(qtbot, make_context, team.handler, ordinary, wait_idle)
    tick(qtbot, dialog.circumstances[Circumstance.FIRST_OFFENCE])
    assert "裁量阶次：<b>不予处罚</b>" in dialog.suggestion.text()
    assert dialog.fine.value() == 0

    business = case_against(demo_database, team, hazchem=True)
    hazchem = open_dialog(qtbot, make_context, team.handler, business, wait_idle)
    tick(qtbot, hazchem.circumstances[Circumstance.FIRST_OFFENCE])
    assert "裁量阶次：<b>一般</b>" in hazchem.suggestion.text()
    assert "免罚不适用于危险化学品生产、经营、储存单位" in hazchem.warnings.text()
    assert hazchem.warnings.isVisible()


def test_a_violation_added_is_saved_with_its_suggested_fine(
    qtbot, make_context, sign_in, demo_database, wait_idle
):
    """A second violation found by its title is charged with the suggested 裁量 when saved."""
    team = case_team(sign_in)
    case_id = make_case(demo_database, team, TO_INVESTIGATION)
    dialog = open_dialog(qtbot, make_context, team.handler, case_id, wait_idle)
    type_text(qtbot, dialog.picker.combo.lineEdit(), "如实记录安全生产教育")
    qtbot.mouseClick(dialog.picker.add_button, Qt.MouseButton.LeftButton)
    assert dialog.violations.count() == 2 and dialog.violations.currentRow() == 1
    assert dialog.title.text().startswith("AQ-97-4")
    save(qtbot, dialog)
    charged = case_view(demo_database, team.handler, case_id, OPENED_ON).violations
    assert [(row[0], row[3], row[4]) for row in charged] == [
        ("未按照规定对从业人员进行安全生产教育和培训", "一般", 50_000),
        ("未如实记录安全生产教育和培训情况", "一般", 50_000),
    ]


def test_a_ticked_other_penalty_is_proposed_and_calls_for_a_hearing(
    qtbot, make_context, sign_in, demo_database, wait_idle
):
    """Only what the article provides at the derived stage is offered: nothing on a first
    finding under 第九十七条; after 逾期 under 第九十九条 the conditional 情节严重的，责令停产停业
    整顿, which, ticked, makes a hearing due."""
    team = case_team(sign_in)
    first = open_dialog(
        qtbot, make_context, team.handler, case_against(demo_database, team, False), wait_idle
    )
    assert first.penalties.count() == 0
    with demo_database.read() as session:
        query = select(Hazard.id).where(
            Hazard.violation_code == "AQ-99-8", Hazard.status == "not_rectified"
        )
        hazard_id = session.scalars(query).first()
    draft = cases.prefill_from_hazard(demo_database, sign_in("zhangwei"), hazard_id).draft
    handlers = (team.handler.user_id or "", team.partner_id)
    draft = replace(draft, handler_ids=handlers, opened_on=OPENED_ON)
    case_id = cases.open_case(demo_database, team.handler, draft)
    dialog = open_dialog(qtbot, make_context, team.handler, case_id, wait_idle)
    offered = [dialog.penalties.item(row).text() for row in range(dialog.penalties.count())]
    assert offered == ["情节严重的，责令停产停业整顿"]
    dialog.penalties.item(0).setCheckState(Qt.CheckState.Checked)
    save(qtbot, dialog)
    assert cases.charged_violations(
        demo_database, sign_in("zhangwei"), case_id
    ).other_penalties == tuple(offered)
    with demo_database.read() as session:
        from fuanjian_desktop.models import Case
        from fuanjian_desktop.services.cases.case_facts import facts_of
        from fuanjian_desktop.services.procedure_settings import current_settings

        case = session.get(Case, case_id)
        facts = facts_of(session, case, current_settings(session), OPENED_ON)
    assert facts.hearing_required and facts.collective_required

"""The procedure's state machine: every step allowed where it is, refused everywhere else."""

from __future__ import annotations

import pytest

from fuanjian_desktop.domain.procedure import (
    ACTIONS,
    FIELD_LABELS,
    Action,
    Procedure,
    Stage,
    actions_from,
    find_action,
    refusal_for_stage,
    target_stage,
)
from fuanjian_desktop.errors import UserError

PAIRS = [(a, p, s) for a in ACTIONS for p in Procedure for s in Stage]


def _allowed(action: Action, procedure: Procedure, stage: Stage) -> bool:
    return procedure in action.procedures and stage in action.from_stages


@pytest.mark.parametrize(
    ("action", "procedure", "stage"),
    [pair for pair in PAIRS if _allowed(*pair)],
    ids=lambda value: getattr(value, "code", str(value)),
)
def test_allowed_transition(action: Action, procedure: Procedure, stage: Stage) -> None:
    """A step is offered in each stage it starts from, and leads where the table says."""
    assert refusal_for_stage(action, procedure, stage) is None
    assert action in actions_from(procedure, stage)
    expected = action.to_stage or stage
    assert target_stage(action, stage, collective_required=False) == expected


@pytest.mark.parametrize(
    ("action", "procedure", "stage"),
    [pair for pair in PAIRS if not _allowed(*pair)],
    ids=lambda value: getattr(value, "code", str(value)),
)
def test_refused_transition(action: Action, procedure: Procedure, stage: Stage) -> None:
    """Everywhere else the step is refused with a Chinese reason naming the stage or procedure."""
    reason = refusal_for_stage(action, procedure, stage)
    assert reason is not None
    assert action.label in reason
    assert (stage.label in reason) or (procedure.label in reason)
    assert action not in actions_from(procedure, stage)


def test_serious_case_goes_to_collective_discussion_after_review() -> None:
    """法制审核 leads to 集体讨论 for a 重大 case, straight to 告知 otherwise."""
    review = find_action("pass_review")
    assert target_stage(review, Stage.LEGAL_REVIEW, True) is Stage.COLLECTIVE
    assert target_stage(review, Stage.LEGAL_REVIEW, False) is Stage.NOTICE


def test_every_stage_is_reachable_and_final_stages_have_no_way_out() -> None:
    """The graph has no orphan stage, and only 归档 leaves 已结案; final stages end the case."""
    reached = {Stage.FILING_APPROVAL, Stage.ONSITE}
    reached |= {a.to_stage for a in ACTIONS if a.to_stage is not None}
    reached.add(Stage.COLLECTIVE)  # via pass_review on a 重大 case
    assert reached == set(Stage)
    for stage in (Stage.NOT_FILED, Stage.REVOKED, Stage.TRANSFERRED):
        moving = [a for a in ACTIONS if stage in a.from_stages and a.to_stage is not None]
        assert moving == []
    assert [a.code for a in actions_from(Procedure.GENERAL, Stage.CLOSED) if a.to_stage] == [
        "archive"
    ]


def test_steps_name_their_legal_basis_and_known_fields() -> None:
    """Every step cites a source, and every field it asks for has a Chinese label."""
    for action in ACTIONS:
        assert action.source.startswith("《") or "〔" in action.source
        assert set(action.fields) <= set(FIELD_LABELS)


def test_unknown_step_is_a_chinese_error() -> None:
    """A step code that does not exist is refused in Chinese."""
    with pytest.raises(UserError, match="未知的办案操作"):
        find_action("shortcut_to_fine")


def test_simplified_procedure_has_only_its_own_path() -> None:
    """简易程序: 当场处罚 → 执行 → 结案; no 立案审批 or 告知 steps."""
    onsite = {a.code for a in actions_from(Procedure.SIMPLE, Stage.ONSITE)}
    assert onsite == {"decide_onsite"}
    assert actions_from(Procedure.SIMPLE, Stage.FILING_APPROVAL) == ()
    assert actions_from(Procedure.SIMPLE, Stage.NOTICE) == ()

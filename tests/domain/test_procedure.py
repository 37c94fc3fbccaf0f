"""The procedure's state machine: steps, their sources and fields (the lawful transitions are
checked against a hand-written table in ``test_procedure_table.py``)."""

from __future__ import annotations

import pytest

from fuanjian_desktop.domain.procedure import (
    ACTIONS,
    FIELD_LABELS,
    Procedure,
    Stage,
    actions_from,
    find_action,
    target_stage,
)
from fuanjian_desktop.errors import UserError


def test_serious_case_goes_to_collective_discussion_after_review() -> None:
    """法制审核 leads to 集体讨论 for a 重大 case, straight to 告知 otherwise."""
    review = find_action("pass_review")
    assert target_stage(review, Stage.LEGAL_REVIEW, True) is Stage.COLLECTIVE
    assert target_stage(review, Stage.LEGAL_REVIEW, False) is Stage.NOTICE


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

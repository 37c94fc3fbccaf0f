"""Amounts in Chinese capitals (大写金额) as printed on decisions and reminders."""

from __future__ import annotations

import pytest

from fuanjian_desktop.domain.penalties.amounts import yuan_in_words


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "零元整"),
        (1, "壹元整"),
        (10, "壹拾元整"),
        (15, "壹拾伍元整"),
        (105, "壹佰零伍元整"),
        (110, "壹佰壹拾元整"),
        (1000, "壹仟元整"),
        (1001, "壹仟零壹元整"),
        (1010, "壹仟零壹拾元整"),
        (5000, "伍仟元整"),
        (10001, "壹万零壹元整"),
        (10010, "壹万零壹拾元整"),
        (20500, "贰万零伍佰元整"),
        (35000, "叁万伍仟元整"),
        (100000, "壹拾万元整"),
        (1001000, "壹佰万壹仟元整"),
        (1000100, "壹佰万零壹佰元整"),
        (1234567, "壹佰贰拾叁万肆仟伍佰陆拾柒元整"),
        (10000000, "壹仟万元整"),
        (100000000, "壹亿元整"),
        (100000001, "壹亿零壹元整"),
        (100010000, "壹亿零壹万元整"),
        (100001000, "壹亿零壹仟元整"),
        (110000000, "壹亿壹仟万元整"),
        (1000000000000, "壹万亿元整"),
        (1000100000000, "壹万零壹亿元整"),
        (9999999999999999, "玖仟玖佰玖拾玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元整"),
    ],
)
def test_amounts_are_written_in_capitals(amount: int, words: str) -> None:
    """Digits, places, one 零 per run of zeros (also across 万 and 亿), no trailing zeros."""
    assert yuan_in_words(amount) == words


@pytest.mark.parametrize("amount", [-1, 10**16])
def test_amounts_out_of_range_are_refused(amount: int) -> None:
    """Negative amounts and amounts beyond 万亿 have no capital form here."""
    with pytest.raises(ValueError, match="amount"):
        yuan_in_words(amount)

"""Amounts in Chinese capital numerals (大写金额), as decisions and reminders print fines.

A fine is written twice on a 行政处罚决定书: ``5000`` and ``伍仟元整``. The capital form cannot be
altered by adding a stroke, which is why financial and legal documents use it. Fines are whole
yuan, so there are no 角 and 分.
"""

from __future__ import annotations

from collections.abc import Callable

DIGITS = "零壹贰叁肆伍陆柒捌玖"
PLACES = ("仟", "佰", "拾", "")  # within a group of four digits, highest first
WAN = 10_000
YI = WAN * WAN
LIMIT = YI * YI  # up to 9999万9999亿…, far beyond any fine


def yuan_in_words(amount: int) -> str:
    """``amount`` yuan in capitals: 105 → 壹佰零伍元整, 100000 → 壹拾万元整, 0 → 零元整.

    One 零 stands for any run of zeros between two non-zero digits, also across a 万 or 亿
    boundary (10001 → 壹万零壹元整); trailing zeros are not written.
    """
    if amount < 0 or amount >= LIMIT:
        raise ValueError(f"amount must be between 0 and {LIMIT - 1} yuan, not {amount}")
    if amount == 0:
        return f"{DIGITS[0]}元整"
    return f"{_joined(amount, YI, '亿', _below_yi)}元整"


def _below_yi(amount: int) -> str:
    """1 to 99999999 in capitals: the 万 part, then the rest."""
    return _joined(amount, WAN, "万", _group_words)


def _joined(amount: int, unit: int, name: str, below: Callable[[int], str]) -> str:
    """``amount`` as (count of ``unit``) ``name`` (rest), with 零 where the rest starts with a
    zero digit; ``below`` writes each part."""
    high, low = divmod(amount, unit)
    if not high:
        return below(low)
    words = below(high) + name
    if not low:
        return words
    return words + (DIGITS[0] if low < unit // 10 else "") + below(low)


def _group_words(group: int) -> str:
    """A group of up to four digits (1–9999) without leading zeros: 105 → 壹佰零伍."""
    words = ""
    zero = False
    for digit, place in zip(f"{group:04d}", PLACES, strict=True):
        if digit == "0":
            zero = bool(words)
            continue
        if zero:
            words += DIGITS[0]
            zero = False
        words += DIGITS[int(digit)] + place
    return words

"""Canonical JSON: one byte string for one value, whatever wrote it and whatever reads it.

The audit chain hashes these bytes, and headquarters re-computes them in its own code, so the
encoding is written out here rather than borrowed from ``json.dumps`` (whose spacing, escaping and
float formatting are Python's choices). It is RFC 8785 (JSON Canonicalization Scheme):

- objects: members sorted by their keys' UTF-16 code units, no whitespace anywhere;
- strings: UTF-8, only ``"`` ``\\`` and the control characters U+0000–U+001F escaped
  (``\\b \\t \\n \\f \\r`` by name, the rest as ``\\u00xx`` in lower-case hex);
- integers: decimal digits (the same as RFC 8785 for every integer below 2**53);
- other numbers: ECMAScript's shortest round-trip form (``0.5``, ``1e+21``, ``1.5e-7``);
- ``null``, ``true``, ``false``. NaN and infinities are refused (JSON has none).

``docs/audit-chain.md`` states the same rules for a receiver written in another language.
"""

from __future__ import annotations

import json
import math
import re
from decimal import Decimal
from typing import Any

_NAMED_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f]')
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def canonical_bytes(value: Any) -> bytes:
    """The RFC 8785 encoding of a JSON value (dicts, lists, str, int, float, bool, None)."""
    return canonical_text(value).encode("utf-8")


def canonical_text(value: Any) -> str:
    """:func:`canonical_bytes` before UTF-8 encoding.

    Where it gives the same text, ``json.dumps`` writes it (in C, several times faster than
    :func:`reference_text`): a value that reads back equal, holds no float and no character
    outside the Basic Multilingual Plane (where code-point order is UTF-16 order). Anything else
    is written by the reference. A property test holds the two equal.
    """
    try:
        fast = json.dumps(
            value, ensure_ascii=False, separators=(",", ":"), sort_keys=True, allow_nan=False
        )
        plain = json.loads(fast, parse_float=_refuse_float) == value
    except (_HasFloat, TypeError, ValueError):
        plain = False
    if plain and not _ASTRAL.search(fast):
        return fast
    return reference_text(value)


class _HasFloat(Exception):
    """A float was met: ``json.dumps`` writes floats in Python's form, not ECMAScript's."""


def _refuse_float(_text: str) -> float:
    raise _HasFloat


def reference_text(value: Any) -> str:
    """The encoding written out rule by rule: the definition, and the path for any float."""
    parts: list[str] = []
    _write(value, parts)
    return "".join(parts)


def _write(value: Any, parts: list[str]) -> None:
    if value is None:
        parts.append("null")
    elif value is True:
        parts.append("true")
    elif value is False:
        parts.append("false")
    elif isinstance(value, int):
        parts.append(int.__repr__(value))
    elif isinstance(value, float):
        parts.append(number_text(value))
    elif isinstance(value, str):
        parts.append(string_text(value))
    elif isinstance(value, list | tuple):
        _write_array(value, parts)
    elif isinstance(value, dict):
        _write_object(value, parts)
    else:
        raise TypeError(f"not a JSON value: {type(value).__name__}")


def _write_array(items: list[Any] | tuple[Any, ...], parts: list[str]) -> None:
    parts.append("[")
    for index, item in enumerate(items):
        if index:
            parts.append(",")
        _write(item, parts)
    parts.append("]")


def _write_object(members: dict[Any, Any], parts: list[str]) -> None:
    if not all(isinstance(key, str) for key in members):
        raise TypeError("JSON object keys must be strings")
    parts.append("{")
    for index, key in enumerate(sorted(members, key=_utf16_order)):
        if index:
            parts.append(",")
        parts.append(string_text(key))
        parts.append(":")
        _write(members[key], parts)
    parts.append("}")


def _utf16_order(key: str) -> bytes:
    """Sort key comparing UTF-16 code units (big-endian bytes compare the same way)."""
    return key.encode("utf-16-be", "surrogatepass")


def string_text(text: str) -> str:
    """A JSON string literal with only the escapes RFC 8785 requires."""
    return '"' + _NEEDS_ESCAPE.sub(_escape, text) + '"'


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _NAMED_ESCAPES.get(char) or f"\\u{ord(char):04x}"


def number_text(value: float) -> str:
    """ECMAScript Number::toString of ``value`` (RFC 8785 §3.2.2.3)."""
    if not math.isfinite(value):
        raise ValueError("NaN and infinities have no JSON form")
    if value == 0:
        return "0"
    if value < 0:
        return "-" + number_text(-value)
    digits, point = _shortest_digits(value)
    count = len(digits)
    if count <= point <= 21:
        return digits + "0" * (point - count)
    if 0 < point <= 21:
        return digits[:point] + "." + digits[point:]
    if -6 < point <= 0:
        return "0." + "0" * -point + digits
    exponent = point - 1
    mantissa = digits[0] + ("." + digits[1:] if count > 1 else "")
    return f"{mantissa}e{'+' if exponent >= 0 else '-'}{abs(exponent)}"


def _shortest_digits(value: float) -> tuple[str, int]:
    """(digits, point): value = 0.<digits> × 10**point with the fewest digits that round-trip.

    Python's ``repr`` of a float is the shortest round-trip form on every platform since 3.1.
    """
    sign, numerals, exponent = Decimal(repr(value)).as_tuple()
    assert isinstance(exponent, int) and sign == 0
    coefficient = "".join(map(str, numerals))  # an integer's digits: no leading zeros
    digits = coefficient.rstrip("0")
    exponent += len(coefficient) - len(digits)
    return digits, len(digits) + exponent

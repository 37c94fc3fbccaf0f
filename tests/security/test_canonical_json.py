"""Canonical JSON (RFC 8785): the expected texts are the RFC's own examples, written by hand."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fuanjian_desktop.security.canonical_json import (
    canonical_bytes,
    canonical_text,
    number_text,
    reference_text,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # RFC 8785 §3.2.2.3 / appendix B
        (0.0, "0"),
        (-0.0, "0"),
        (1e30, "1e+30"),
        (4.50, "4.5"),
        (2e-3, "0.002"),
        (0.000000000000000000000000001, "1e-27"),
        (333333333.33333329, "333333333.3333333"),
        (1e21, "1e+21"),
        (1e20, "100000000000000000000"),
        (5e-324, "5e-324"),
        (1.7976931348623157e308, "1.7976931348623157e+308"),
        (-1.5e-7, "-1.5e-7"),
        (0.000001, "0.000001"),
        (85.0, "85"),
    ],
)
def test_numbers_are_written_as_ecmascript_does(value: float, expected: str) -> None:
    """A float is written in ECMAScript's shortest form, as RFC 8785 requires."""
    assert number_text(value) == expected


def test_members_sort_by_utf16_code_units() -> None:
    """RFC 8785 §3.2.3's sorting example: keys ordered by UTF-16 code units, not code points."""
    keys = ["\u20ac", "\r", "\ufb33", "1", "\U0001f600", "\u0080", "\u00f6"]
    value = {key: index for index, key in enumerate(keys)}
    assert canonical_text(value) == (
        '{"\\r":1,"1":3,"\u0080":5,"\u00f6":6,"\u20ac":0,"\U0001f600":4,"\ufb33":2}'
    )


def test_strings_escape_only_what_json_requires() -> None:
    """Quotes, backslashes and control characters are escaped; Chinese stays UTF-8 as it is."""
    text = canonical_text(['引号"\\', "行\n表\t回\r退\b页\f", "\x01\x1f", "/\u2028\x7f"])
    assert text == '["引号\\"\\\\","行\\n表\\t回\\r退\\b页\\f","\\u0001\\u001f","/\u2028\x7f"]'
    assert canonical_bytes("中") == '"中"'.encode()


def test_no_whitespace_and_literals() -> None:
    """Nested values are written without any whitespace; null, true and false as words."""
    assert canonical_text({"b": [1, None, True, False], "a": {}}) == (
        '{"a":{},"b":[1,null,true,false]}'
    )


@pytest.mark.parametrize("value", [float("nan"), float("inf"), {1: "x"}, {"x": object()}])
def test_values_json_cannot_hold_are_refused(value: object) -> None:
    """NaN, infinities, non-text keys and other objects have no canonical form."""
    with pytest.raises((TypeError, ValueError)):
        canonical_text(value)


JSON_WITHOUT_FLOATS = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=20,
)


@given(JSON_WITHOUT_FLOATS)
def test_the_fast_path_writes_the_reference_text(value: object) -> None:
    """The C-accelerated path (no floats) gives the rule-by-rule text for any value, astral-plane
    keys, control characters and big integers included."""
    assert canonical_text(value) == reference_text(value)


def test_the_fast_path_is_not_taken_where_it_would_differ() -> None:
    """A float, or keys whose code-point order is not their UTF-16 order, use the reference."""
    assert canonical_text({"a": 85.0}) == '{"a":85}'
    assert canonical_text({"\ufb33": 1, "\U0001f600": 2}) == '{"\U0001f600":2,"\ufb33":1}'

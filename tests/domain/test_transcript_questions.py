"""Question templates for the 询问笔录: the order sets are offered in, the shipped file's links to
the violation catalogue, and refusal of a broken file with a Chinese message naming it."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from fuanjian_desktop.domain.penalties.violations import catalogue_by_code
from fuanjian_desktop.domain.transcript_questions import (
    QuestionTemplateError,
    parse_question_book,
    question_book,
    question_sets,
    read_question_book,
)
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.resources import resource_path

SHIPPED = resource_path("transcripts", "questions.json")


def shipped() -> dict[str, Any]:
    """A fresh copy of the shipped file, to break in a test."""
    return copy.deepcopy(json.loads(SHIPPED.read_text(encoding="utf-8")))


def titles(relation: str, codes: list[str]) -> list[str]:
    return [found.title for found in question_sets(relation, codes)]


def test_order_is_opening_role_violations_closing() -> None:
    """A 负责人 in a training case gets the opening, the unit's facts, training, then closing."""
    assert titles("负责人", ["AQ-97-3"]) == [
        "基本情况",
        "单位基本情况",
        "从业人员安全生产教育和培训",
        "结束询问",
    ]


def test_violation_sets_follow_the_given_order_once_each() -> None:
    """Codes sharing a set (AQ-97-3 and AQ-97-4) give it once, in the order the case lists them."""
    assert titles("从业人员", ["XF-60-3", "AQ-97-4", "AQ-97-3", "XF-60-3"]) == [
        "基本情况",
        "从业人员岗位情况",
        "安全出口和疏散通道",
        "从业人员安全生产教育和培训",
        "结束询问",
    ]


def test_legal_representative_shares_the_unit_set() -> None:
    """法定代表人 and 负责人 are asked the same questions about the unit."""
    assert question_sets("法定代表人", [])[1] == question_sets("负责人", [])[1]


def test_unknown_relation_and_codes_get_only_common_sets() -> None:
    """其他, an unknown relation, or codes without a set: just the opening and the closing."""
    for relation in ("其他", "路人"):
        assert titles(relation, ["AQ-109", "XX-1"]) == ["基本情况", "结束询问"]


def test_every_code_named_is_in_the_violation_catalogue() -> None:
    """A set that serves a code the catalogue does not know would never be offered."""
    catalogue = catalogue_by_code()
    unknown = sorted(code for code in question_book().violations if code not in catalogue)
    assert unknown == []


def test_common_violations_have_sets_with_sources() -> None:
    """The violations most common in 三小 and 危化 enforcement have a set citing its article."""
    common = ("AQ-97-3", "AQ-97-7", "AQ-105-2", "XF-60-1", "AQ-97-1", "AQ-102", "WHTL-80-4")
    for code in common:
        found = question_book().violations[code]
        assert found.source.startswith("《"), code
        assert len(found.questions) >= 5, code


def test_relations_are_those_a_transcript_can_record() -> None:
    """Every role set is keyed by a relation the transcript service accepts."""
    from fuanjian_desktop.services.transcripts.transcripts import RELATIONS

    assert set(question_book().roles) <= set(RELATIONS)
    assert {"负责人", "法定代表人", "从业人员", "证人", "当事人"} <= set(question_book().roles)


def test_questions_are_asked_as_questions() -> None:
    """Each shipped question is one Chinese question, ending with a full-width question mark."""
    book = question_book()
    every = (book.opening, book.closing, *book.roles.values(), *book.violations.values())
    for found in every:
        for question in found.questions:
            assert question.endswith("？") and question.count("？") == 1, question


def test_broken_file_is_refused_naming_file_set_and_field(tmp_path: Path) -> None:
    """Every defect is listed, and the message names the file."""
    document = shipped()
    document["opening"]["questions"].append("问：你叫什么名字？")
    document["roles"][0]["title"] = ""
    document["violations"][0]["codes"].append("AQ-97-X")
    document["violations"][1]["codes"] = ["AQ-97-3"]
    path = tmp_path / "questions.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(QuestionTemplateError) as raised:
        read_question_book(path)
    message = raised.value.message
    assert isinstance(raised.value, UserError)
    assert message.startswith("询问笔录问题模板“questions.json”有误，已拒绝加载")
    assert "opening（开场） 第 11 问 不要以“问：”开头" in message
    assert "roles 第 1 组 缺少 title" in message
    assert "“AQ-97-X”格式不对" in message
    assert "violations 第 2 组：“AQ-97-3”已在其他组中出现" in message


def test_file_that_is_not_json_is_refused(tmp_path: Path) -> None:
    """A truncated file is refused with the same message, not a traceback."""
    path = tmp_path / "questions.json"
    path.write_text('{"schema_version": 1, "opening": {', encoding="utf-8")
    with pytest.raises(QuestionTemplateError) as raised:
        read_question_book(path)
    assert "“questions.json”有误" in raised.value.message


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.update(schema_version=2), "schema_version 为 1"),
        (lambda d: d.pop("closing"), "closing（结束） 应为 JSON 对象"),
        (lambda d: d.update(roles=[]), "缺少 roles"),
        (lambda d: d["roles"][0].update(relations=[]), "roles 第 1 组 的 relations"),
        (lambda d: d["violations"][0].update(questions=[]), "questions 应为非空列表"),
        (lambda d: d["opening"]["questions"].append("你叫什么名字？"), "有重复的问题"),
        (lambda d: d["closing"].update(source=3), "source 应为文字"),
    ],
)
def test_each_kind_of_defect_is_named(change: Any, expected: str) -> None:
    """Each kind of defect gets its own message."""
    document = shipped()
    change(document)
    with pytest.raises(QuestionTemplateError, match=expected):
        parse_question_book(document, "questions.json")

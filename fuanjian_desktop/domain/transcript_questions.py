"""Question templates for the 询问笔录 (inquiry transcript), from
``resources/transcripts/questions.json`` (format and sources: its README).

An inspector types the record while the person talks; ready questions let them keep pace. The
questions are data, not code: which facts each violation needs is a legal matter the bureau
reviews and changes, so every violation set names the catalogue codes it serves and the article
its answers establish. A broken file is refused whole, with a Chinese message naming it.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeGuard

from fuanjian_desktop.domain.penalties.violations import CODE_PATTERN
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.resources import resource_path

SCHEMA_VERSION = 1
QUESTIONS_FILE = "questions.json"
QUESTION_PREFIXES = ("问：", "问:")  # the renderer prints 问： itself


@dataclass(frozen=True)
class QuestionSet:
    """A titled group of questions inserted together; ``source`` names the article they prove."""

    title: str
    questions: tuple[str, ...]
    source: str = ""


@dataclass(frozen=True)
class QuestionBook:
    """Every set of the file: opening and closing, one per relation, one per violation code."""

    opening: QuestionSet
    closing: QuestionSet
    roles: Mapping[str, QuestionSet]
    violations: Mapping[str, QuestionSet]


class QuestionTemplateError(UserError):
    """The template file cannot be used; ``problems`` names each set and field at fault."""

    def __init__(self, source: str, problems: list[str]) -> None:
        lines = "\n".join(f"· {problem}" for problem in problems)
        super().__init__(f"询问笔录问题模板“{source}”有误，已拒绝加载：\n{lines}")
        self.source = source
        self.problems = problems


def question_sets(relation: str, violation_codes: Iterable[str]) -> tuple[QuestionSet, ...]:
    """The sets offered for one transcript, in the order an inquiry runs.

    Opening first, then the set for the person's relation to the case (none for a relation
    without one, e.g. 其他), then one set per violation of the case that has one, in the
    order given and each set once, then the closing questions.
    """
    book = question_book()
    middle: list[QuestionSet] = []
    role = book.roles.get(relation)
    if role is not None:
        middle.append(role)
    for code in violation_codes:
        found = book.violations.get(code)
        if found is not None and found not in middle:
            middle.append(found)
    return (book.opening, *middle, book.closing)


@functools.cache
def question_book() -> QuestionBook:
    """The shipped templates, read and validated once per run."""
    return read_question_book(resource_path("transcripts", QUESTIONS_FILE))


def read_question_book(path: Path) -> QuestionBook:
    """Read and validate a template file; any defect refuses the whole file."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise QuestionTemplateError(path.name, [f"无法读取或不是有效的 JSON：{error}"]) from error
    return parse_question_book(document, path.name)


def parse_question_book(document: Any, source: str) -> QuestionBook:
    """Validate a parsed template document; ``source`` names it in the error message."""
    if not isinstance(document, dict) or document.get("schema_version") != SCHEMA_VERSION:
        raise QuestionTemplateError(
            source, [f"应为 schema_version 为 {SCHEMA_VERSION} 的 JSON 对象"]
        )
    problems: list[str] = []
    opening = _question_set(document.get("opening"), "opening（开场）", problems)
    closing = _question_set(document.get("closing"), "closing（结束）", problems)
    roles = _keyed_sets(document.get("roles"), "roles", "relations", problems)
    violations = _keyed_sets(document.get("violations"), "violations", "codes", problems)
    for code in violations:
        if not CODE_PATTERN.match(code):
            problems.append(f"violations 中的代码“{code}”格式不对，应形如 AQ-97-3")
    if problems or opening is None or closing is None:
        raise QuestionTemplateError(source, problems)
    return QuestionBook(opening, closing, MappingProxyType(roles), MappingProxyType(violations))


def _keyed_sets(
    raw: Any, section: str, key_field: str, problems: list[str]
) -> dict[str, QuestionSet]:
    """Sets that apply by key (relation or violation code); a key may name one set only."""
    if not isinstance(raw, list) or not raw:
        problems.append(f"缺少 {section}（非空列表）")
        return {}
    keyed: dict[str, QuestionSet] = {}
    for position, item in enumerate(raw, start=1):
        where = f"{section} 第 {position} 组"
        found = _question_set(item, where, problems)
        keys = item.get(key_field) if isinstance(item, dict) else None
        if not isinstance(keys, list) or not keys or not all(_text(key) for key in keys):
            problems.append(f"{where} 的 {key_field} 应为非空的文字列表")
            continue
        for key in keys:
            if key in keyed:
                problems.append(f"{where}：“{key}”已在其他组中出现")
            elif found is not None:
                keyed[key] = found
    return keyed


def _question_set(raw: Any, where: str, problems: list[str]) -> QuestionSet | None:
    """One set: a title, an optional source and at least one distinct, unprefixed question."""
    if not isinstance(raw, dict):
        problems.append(f"{where} 应为 JSON 对象")
        return None
    count = len(problems)
    title, source, questions = raw.get("title"), raw.get("source", ""), raw.get("questions")
    if not _text(title):
        problems.append(f"{where} 缺少 title（标题）")
    if not isinstance(source, str):
        problems.append(f"{where} 的 source 应为文字")
    if not isinstance(questions, list) or not questions:
        problems.append(f"{where} 的 questions 应为非空列表")
        return None
    for number, question in enumerate(questions, start=1):
        problems.extend(_question_problems(question, f"{where} 第 {number} 问"))
    if len(set(map(str, questions))) != len(questions):
        problems.append(f"{where} 有重复的问题")
    if len(problems) > count:
        return None
    return QuestionSet(str(title).strip(), tuple(q.strip() for q in questions), source.strip())


def _question_problems(question: Any, where: str) -> list[str]:
    """What is wrong with one question, if anything."""
    if not _text(question):
        return [f"{where} 应为非空文字"]
    if question.strip().startswith(QUESTION_PREFIXES):
        return [f"{where} 不要以“问：”开头，打印时会自动加上"]
    return []


def _text(value: Any) -> TypeGuard[str]:
    """A non-blank string."""
    return isinstance(value, str) and bool(value.strip())

"""Load and validate checklist templates from ``resources/checklists`` (schema: its README).

Every defect is collected, named by file and item, and the template is refused as a whole: an
inspector must never walk a venue with half a checklist. Includes are resolved first, so the
database can store the resolved document of each version an inspection ran
(:func:`parse_resolved`) and read it back with the same validation.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeGuard

from fuanjian_desktop import reference
from fuanjian_desktop.checklists.model import (
    Basis,
    Condition,
    Fact,
    HazardLevel,
    Item,
    Template,
)
from fuanjian_desktop.domain.deadlines import MAX_RECTIFICATION_DAYS
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.resources import resource_path

SCHEMA_VERSION = 1
CONFIDENCE_LABELS = frozenset({"V", "V-excerpt", "U", "I"})
ID_PATTERN = re.compile(r"^[A-Za-z0-9_.]+$")
VERSION_PATTERN = re.compile(r"^\d{4}\.\d+$")
VIOLATION_PATTERN = re.compile(r"^(AQ|XF|GDXF|SZ|WHTL)-\d{1,3}(-\d{1,2})?$")
ITEM_KEYS = frozenset(
    {
        "id",
        "check",
        "hint",
        "basis",
        "confidence",
        "hazard_level",
        "violation_code",
        "rectification",
        "days",
        "when",
        "note",
    }
)
REQUIRED_ITEM_TEXT = ("check", "hint", "rectification")


class TemplateError(UserError):
    """A template file that cannot be used; ``problems`` lists every defect found."""

    def __init__(self, source: str, problems: list[str]) -> None:
        lines = "\n".join(f"· {problem}" for problem in problems)
        super().__init__(f"检查表模板“{source}”有误，已拒绝加载：\n{lines}")
        self.source = source
        self.problems = problems


@dataclass(frozen=True)
class Catalogue:
    """The usable templates, and the files refused with their errors."""

    templates: tuple[Template, ...]
    errors: tuple[TemplateError, ...]

    def get(self, template_id: str) -> Template:
        """The current version of a template."""
        for template in self.templates:
            if template.id == template_id:
                return template
        raise UserError(f"找不到检查表模板“{template_id}”，请确认模板文件存在且没有错误。")

    def suggested_for(self, venue_categories: frozenset[str]) -> tuple[Template, ...]:
        """Templates meant for a venue with these categories, best matches first."""
        return tuple(
            sorted(
                (t for t in self.templates if venue_categories.intersection(t.venue_categories)),
                key=lambda t: -len(venue_categories.intersection(t.venue_categories)),
            )
        )


def default_folder() -> Path:
    """``resources/checklists`` of this installation."""
    return resource_path("checklists")


def load_catalogue(folder: Path | None = None) -> Catalogue:
    """Every template file of ``folder``; broken ones are reported, not half-loaded."""
    folder = folder or default_folder()
    templates: list[Template] = []
    errors: list[TemplateError] = []
    for path in sorted(folder.glob("*.json")):
        try:
            templates.append(load_template_file(path))
        except TemplateError as error:
            errors.append(error)
    return Catalogue(tuple(templates), tuple(errors))


def load_templates(folder: Path | None = None) -> tuple[Template, ...]:
    """All templates, or :class:`TemplateError` for the first broken file."""
    catalogue = load_catalogue(folder)
    if catalogue.errors:
        raise catalogue.errors[0]
    return catalogue.templates


def load_template_file(path: Path) -> Template:
    """Read, resolve and validate one template file."""
    document = template_document(path)
    if document.get("id") != path.stem:
        mismatch = f"模板 id“{document.get('id')}”应与文件名“{path.stem}”一致"
        raise TemplateError(path.name, [mismatch])
    return parse_resolved(document, path.name)


def resolve_includes(document: Any, sections_folder: Path, source: str) -> dict[str, Any]:
    """The template document with every ``{"include": name}`` replaced by the shared section."""
    if not isinstance(document, dict):
        raise TemplateError(source, ["文件内容应为一个 JSON 对象"])
    sections = document.get("sections")
    if not isinstance(sections, list):
        raise TemplateError(source, ["缺少 sections（分组列表）"])
    resolved = []
    for section in sections:
        if isinstance(section, dict) and set(section) == {"include"}:
            name = str(section["include"])
            resolved.append(_read_json(sections_folder / f"{name}.json", f"{source} → {name}"))
        else:
            resolved.append(section)
    return {**document, "sections": resolved}


def parse_resolved(document: dict[str, Any], source: str) -> Template:
    """Validate a resolved template document; raise with every defect found."""
    problems = _Problems()
    facts = _facts(document.get("facts", []), problems)
    fact_ids = frozenset(fact.id for fact in facts)
    items = tuple(_items(document.get("sections"), fact_ids, problems))
    problems.check_header(document)
    if problems:
        raise TemplateError(source, problems.lines)
    return Template(
        id=document["id"],
        version=document["version"],
        title=document["title"],
        description=str(document.get("description", "")),
        venue_categories=tuple(document["venue_categories"]),
        facts=facts,
        items=items,
    )


def template_document(path: Path) -> dict[str, Any]:
    """The resolved document of a template file, as the database stores each version used."""
    return resolve_includes(_read_json(path, path.name), path.parent / "sections", path.name)


def _read_json(path: Path, source: str) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return json.load(handle)
    except FileNotFoundError as error:
        raise TemplateError(source, [f"找不到文件 {path.name}"]) from error
    except json.JSONDecodeError as error:
        where = f"第 {error.lineno} 行第 {error.colno} 列"
        raise TemplateError(source, [f"JSON 格式错误（{where}）：{error.msg}"]) from error
    except UnicodeDecodeError as error:
        raise TemplateError(source, ["文件不是 UTF-8 编码"]) from error


class _Problems:
    """Collects defects so one run of the validator reports all of them."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def __bool__(self) -> bool:
        return bool(self.lines)

    def add(self, where: str, message: str) -> None:
        self.lines.append(f"{where}：{message}")

    def check_header(self, document: dict[str, Any]) -> None:
        if document.get("schema_version") != SCHEMA_VERSION:
            self.add("模板", f"schema_version 应为 {SCHEMA_VERSION}")
        if not _text(document.get("id")) or not ID_PATTERN.match(document["id"]):
            self.add("模板", "id 缺失，或含字母、数字、点、下划线以外的字符")
        if not _text(document.get("version")) or not VERSION_PATTERN.match(document["version"]):
            self.add("模板", "version 应形如 2026.1")
        if not _text(document.get("title")):
            self.add("模板", "缺少 title（模板名称）")
        categories = document.get("venue_categories")
        if not isinstance(categories, list) or not categories:
            self.add("模板", "venue_categories 应为非空列表")
        else:
            self.check_categories("模板", categories)

    def check_categories(self, where: str, categories: list[Any]) -> None:
        known = reference.category_labels()
        for code in categories:
            if code not in known:
                self.add(where, f"场所类别“{code}”不在 registry/categories.json 中")


def _facts(raw: Any, problems: _Problems) -> tuple[Fact, ...]:
    if not isinstance(raw, list):
        problems.add("facts", "应为列表")
        return ()
    facts: list[Fact] = []
    for position, entry in enumerate(raw, start=1):
        where = f"第 {position} 个现场情况问题"
        if (
            not isinstance(entry, dict)
            or not _text(entry.get("id"))
            or not _text(entry.get("question"))
        ):
            problems.add(where, "需要 id 和 question")
        elif any(fact.id == entry["id"] for fact in facts):
            problems.add(where, f"id“{entry['id']}”重复")
        else:
            facts.append(Fact(entry["id"], entry["question"]))
    return tuple(facts)


def _items(sections: Any, fact_ids: frozenset[str], problems: _Problems) -> Iterator[Item]:
    if not isinstance(sections, list) or not sections:
        problems.add("sections", "至少需要一个分组")
        return
    seen: set[str] = set()
    for number, section in enumerate(sections, start=1):
        where = f"第 {number} 个分组"
        if not isinstance(section, dict) or not _text(section.get("title")):
            problems.add(where, "需要 title（分组名称）")
            continue
        section_condition = _condition(section.get("when"), fact_ids, where, problems)
        raw_items = section.get("items")
        if not isinstance(raw_items, list) or not raw_items:
            problems.add(f"分组“{section['title']}”", "items 应为非空列表")
            continue
        for position, raw in enumerate(raw_items, start=1):
            item = _item(raw, section, position, fact_ids, problems, seen)
            if item is not None:
                yield _with_section_condition(item, section_condition)


def _item(
    raw: Any,
    section: dict[str, Any],
    position: int,
    fact_ids: frozenset[str],
    problems: _Problems,
    seen: set[str],
) -> Item | None:
    item_id = raw.get("id") if isinstance(raw, dict) else None
    where = f"检查项“{item_id}”" if _text(item_id) else f"分组“{section['title']}”第 {position} 项"
    if not isinstance(raw, dict):
        problems.add(where, "应为 JSON 对象")
        return None
    count = len(problems.lines)
    _check_item_fields(raw, where, problems, seen)
    basis = _basis(raw.get("basis"), where, problems)
    condition = _condition(raw.get("when"), fact_ids, where, problems)
    if len(problems.lines) > count:
        return None
    return Item(
        id=raw["id"],
        section_title=section["title"],
        check=raw["check"],
        hint=raw["hint"],
        basis=basis,
        confidence=raw["confidence"],
        hazard_level=HazardLevel(raw["hazard_level"]),
        violation_code=raw.get("violation_code"),
        rectification=raw["rectification"],
        days=raw["days"],
        condition=condition,
        note=str(raw.get("note", "")),
    )


def _check_item_fields(
    raw: dict[str, Any], where: str, problems: _Problems, seen: set[str]
) -> None:
    unknown = sorted(set(raw) - ITEM_KEYS)
    if unknown:
        problems.add(where, f"未知字段 {'、'.join(unknown)}（拼写错误？）")
    item_id = raw.get("id")
    if not _text(item_id) or not ID_PATTERN.match(item_id):
        problems.add(where, "id 缺失，或含字母、数字、点、下划线以外的字符")
    elif item_id in seen:
        problems.add(where, "id 在模板中重复")
    else:
        seen.add(item_id)
    for key in REQUIRED_ITEM_TEXT:
        if not _text(raw.get(key)):
            problems.add(where, f"缺少 {key}")
    if raw.get("confidence") not in CONFIDENCE_LABELS:
        problems.add(where, "confidence 应为 V、V-excerpt、U 或 I")
    if raw.get("hazard_level") not in {level.value for level in HazardLevel}:
        problems.add(where, "hazard_level 应为 general（一般）或 major（重大）")
    code = raw.get("violation_code")
    if code is not None and (not isinstance(code, str) or not VIOLATION_PATTERN.match(code)):
        problems.add(where, f"violation_code“{code}”格式应形如 AQ-99-8")
    days = raw.get("days")
    if (
        not isinstance(days, int)
        or isinstance(days, bool)
        or not 0 <= days <= MAX_RECTIFICATION_DAYS
    ):
        problems.add(where, f"days 应为 0 到 {MAX_RECTIFICATION_DAYS} 的整数（整改工作日数）")


def _basis(raw: Any, where: str, problems: _Problems) -> tuple[Basis, ...]:
    if not isinstance(raw, list) or not raw:
        problems.add(where, "缺少 basis（法律或标准依据）")
        return ()
    entries = []
    for entry in raw:
        complete = isinstance(entry, dict) and all(
            _text(entry.get(key)) for key in ("instrument", "article")
        )
        if complete:
            entries.append(Basis(entry["instrument"], entry["article"]))
        else:
            problems.add(where, "basis 的每一条都需要 instrument（法规名称）和 article（条款）")
    return tuple(entries)


def _condition(raw: Any, fact_ids: frozenset[str], where: str, problems: _Problems) -> Condition:
    if raw is None:
        return Condition()
    if not isinstance(raw, dict) or set(raw) - {"facts", "categories"}:
        problems.add(where, "when 只能包含 facts 和 categories")
        return Condition()
    facts = raw.get("facts", [])
    categories = raw.get("categories", [])
    if not isinstance(facts, list) or not isinstance(categories, list):
        problems.add(where, "when 的 facts 和 categories 应为列表")
        return Condition()
    for fact in facts:
        if fact not in fact_ids:
            problems.add(where, f"适用条件引用了未在 facts 中声明的问题“{fact}”")
    problems.check_categories(where, categories)
    return Condition(tuple(facts), tuple(categories))


def _with_section_condition(item: Item, section: Condition) -> Item:
    if section == Condition():
        return item
    merged = Condition(
        item.condition.facts + section.facts, item.condition.categories or section.categories
    )
    return replace(item, condition=merged)


def _text(value: Any) -> TypeGuard[str]:
    return isinstance(value, str) and bool(value.strip())

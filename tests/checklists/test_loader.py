"""Template files are validated whole: a defect names the file, the item and what is wrong."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fuanjian_desktop.checklists.loader import (
    TemplateError,
    load_catalogue,
    load_template_file,
)
from fuanjian_desktop.demo.synthetic import synthetic_checklist


def write(folder: Path, document: Any, name: str = "syn.t") -> Path:
    path = folder / f"{name}.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def first_item(document: dict[str, Any]) -> dict[str, Any]:
    item: dict[str, Any] = document["sections"][0]["items"][0]
    return item


def problems_of(path: Path) -> str:
    with pytest.raises(TemplateError) as caught:
        load_template_file(path)
    return caught.value.message


def test_a_valid_template_loads_with_sections_resolved(tmp_path: Path) -> None:
    template = load_template_file(write(tmp_path, synthetic_checklist("syn.t", 25)))
    assert len(template.items) == 25
    assert template.items[10].section_title == "第2组"
    assert template.item("syn.3").basis_text == "《中华人民共和国消防法》第二十八条"


def test_broken_json_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "syn.t.json"
    path.write_text('{"id": "syn.t",\n "sections": [}', encoding="utf-8")
    message = problems_of(path)
    assert "syn.t.json" in message
    assert "JSON 格式错误（第 2 行" in message


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda item: item.pop("basis"), "检查项“syn.1”：缺少 basis"),
        (lambda item: item.update(basis=[{"instrument": "消防法"}]), "需要 instrument"),
        (lambda item: item.update(confidence="maybe"), "confidence 应为"),
        (lambda item: item.update(hazard_level="严重"), "hazard_level 应为"),
        (lambda item: item.update(days=-1), "days 应为 0 到 365"),
        (lambda item: item.update(days=True), "days 应为 0 到 365"),
        (lambda item: item.update(violation_code="安全法99"), "格式应形如 AQ-99-8"),
        (lambda item: item.update(chekc="typo"), "未知字段 chekc"),
        (lambda item: item.update(when={"facts": ["has_lodging"]}), "未在 facts 中声明"),
        (lambda item: item.update(when={"categories": ["mall"]}), "场所类别“mall”"),
        (lambda item: item.update(id="syn.2"), "id 在模板中重复"),
        (lambda item: item.update(check=""), "缺少 check"),
    ],
)
def test_item_defects_are_named(tmp_path: Path, change: Any, expected: str) -> None:
    document = synthetic_checklist("syn.t", 3)
    change(first_item(document))
    assert expected in problems_of(write(tmp_path, document))


def test_every_defect_is_reported_at_once(tmp_path: Path) -> None:
    document = synthetic_checklist("syn.t", 3)
    document["version"] = "v2"
    first_item(document)["confidence"] = "?"
    document["sections"][0]["items"][2]["hint"] = ""
    message = problems_of(write(tmp_path, document))
    assert "version 应形如 2026.1" in message
    assert "confidence 应为" in message
    assert "检查项“syn.3”：缺少 hint" in message


def test_file_name_must_match_the_id(tmp_path: Path) -> None:
    assert "应与文件名" in problems_of(write(tmp_path, synthetic_checklist("syn.other", 2)))


def test_a_missing_shared_section_is_named(tmp_path: Path) -> None:
    document = synthetic_checklist("syn.t", 2)
    document["sections"].append({"include": "fire_missing"})
    message = problems_of(write(tmp_path, document))
    assert "fire_missing" in message
    assert "找不到文件" in message


def test_shared_sections_are_included(tmp_path: Path) -> None:
    shared = synthetic_checklist("unused", 2)["sections"][0]
    for item in shared["items"]:
        item["id"] = item["id"].replace("syn", "shared")
    (tmp_path / "sections").mkdir()
    (tmp_path / "sections" / "common.json").write_text(json.dumps(shared), encoding="utf-8")
    document = synthetic_checklist("syn.t", 2)
    document["sections"].append({"include": "common"})
    template = load_template_file(write(tmp_path, document))
    assert [item.id for item in template.items] == ["syn.1", "syn.2", "shared.1", "shared.2"]


def test_a_broken_template_is_refused_whole_and_the_others_still_load(tmp_path: Path) -> None:
    write(tmp_path, synthetic_checklist("syn.good", 4), "syn.good")
    broken = synthetic_checklist("syn.bad", 30)
    broken["sections"][2]["items"][5]["basis"] = []
    write(tmp_path, broken, "syn.bad")
    catalogue = load_catalogue(tmp_path)
    assert [template.id for template in catalogue.templates] == ["syn.good"]
    assert len(catalogue.errors) == 1
    assert catalogue.errors[0].source == "syn.bad.json"
    assert "检查项“syn.26”" in catalogue.errors[0].message


def test_section_conditions_apply_to_their_items(tmp_path: Path) -> None:
    document = synthetic_checklist("syn.t", 4, ("uses_gas", "has_lodging"))
    document["sections"][0]["when"] = {"facts": ["has_lodging"]}
    template = load_template_file(write(tmp_path, document))
    venue = frozenset({"three_small.shop"})
    assert template.applicable_items({"uses_gas": True}, venue) == ()
    shown = template.applicable_items({"uses_gas": False, "has_lodging": True}, venue)
    assert [item.id for item in shown] == ["syn.1", "syn.2", "syn.4"]

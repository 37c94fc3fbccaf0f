"""0006 turns a 陈述申辩笔录 typed as one text into question-and-answer pairs, and back."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import fuanjian_desktop

VERSIONS = Path(fuanjian_desktop.__file__).parent / "db" / "migrations" / "versions"


def migration() -> ModuleType:
    spec = importlib.util.spec_from_file_location("m0006", VERSIONS / "0006_transcripts.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_typed_record_becomes_pairs_and_back() -> None:
    m0006 = migration()
    text = "当事人称不服。\n问：你有什么意见？\n答：罚款太重。\n我们是小作坊。\n问：还有吗？"
    pairs = m0006.qa_pairs(text)
    assert [(p["q"], p["a"]) for p in pairs] == [
        ("", "当事人称不服。"),
        ("你有什么意见？", "罚款太重。\n我们是小作坊。"),
        ("还有吗？", ""),
    ]
    assert len({p["id"] for p in pairs}) == 3
    assert m0006.qa_text(pairs) == (
        "答：当事人称不服。\n问：你有什么意见？\n答：罚款太重。\n我们是小作坊。\n问：还有吗？"
    )

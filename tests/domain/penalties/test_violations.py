"""The violation catalogue covers the templates, is internally consistent, and refuses bad data
with a Chinese message naming file, code and field."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from fuanjian_desktop.checklists.loader import load_templates
from fuanjian_desktop.domain.penalties.violations import (
    SCHEMES_FILE,
    CatalogueError,
    FineRange,
    Tier,
    catalogue_by_code,
    default_folder,
    find_violation,
    load_catalogue,
    parse_catalogue,
)
from fuanjian_desktop.errors import UserError

Document = dict[str, Any]


def shipped_documents() -> tuple[dict[str, Document], Document]:
    """The shipped law files (name → JSON) and the tier schemes, as fresh copies to break."""
    folder = default_folder()
    laws = {
        path.name: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(folder.glob("*.json"))
        if path.name != SCHEMES_FILE
    }
    schemes = json.loads((folder / SCHEMES_FILE).read_text(encoding="utf-8"))
    return laws, schemes


def entry_of(document: Document, code: str) -> Document:
    """The raw entry with ``code`` in a law file."""
    found: Document = next(e for e in document["entries"] if e["code"] == code)
    return found


def refusal(laws: dict[str, Document], schemes: Document) -> str:
    """The Chinese message of the error the parser raises for these documents."""
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(laws, schemes)
    return caught.value.message


def test_catalogue_has_at_least_40_entries() -> None:
    """The shipped catalogue has at least 40 entries, each from one of the six laws."""
    entries = load_catalogue()
    assert len(entries) >= 40
    assert {entry.law for entry in entries} == {"AQ", "XF", "GDXF", "SZ", "WHTL", "GZ"}


def test_every_template_violation_code_is_in_the_catalogue() -> None:
    """Every violation_code a shipped checklist template uses resolves to a catalogue entry."""
    used = {
        item.violation_code for t in load_templates() for item in t.items if item.violation_code
    }
    assert len(used) >= 44
    assert used - set(catalogue_by_code()) == set()


def test_codes_are_unique_across_files() -> None:
    """No code appears twice in the shipped files, and the lookup holds every entry."""
    laws, _ = shipped_documents()
    codes = [entry["code"] for document in laws.values() for entry in document["entries"]]
    assert len(codes) == len(set(codes)) == len(catalogue_by_code())


def test_every_range_has_min_not_above_max() -> None:
    """Every fine range of every entry, unit and person, both stages, has min ≤ max."""
    for entry in load_catalogue():
        for target in ("unit", "person"):
            for overdue in (False, True):
                fine = entry.fine_range(target, overdue)
                assert fine is None or 0 <= fine.min_fine <= fine.max_fine, entry.code


def test_every_entry_can_fine_someone() -> None:
    """Each entry has at least one range, so the calculator always has something to place."""
    for entry in load_catalogue():
        ranges = [entry.fine_range(t, o) for t in ("unit", "person") for o in (False, True)]
        assert any(ranges), entry.code


def test_hazchem_regulation_entries_end_before_the_new_law() -> None:
    """危化条例 entries apply on 2026-04-30 and not from 2026-05-01, when the 危化安全法 starts."""
    hazchem = [entry for entry in load_catalogue() if entry.law == "WHTL"]
    assert hazchem
    for entry in hazchem:
        assert entry.valid_on(dt.date(2026, 4, 30)), entry.code
        assert not entry.valid_on(dt.date(2026, 5, 1)), entry.code


def test_hazchem_regulation_entries_exclude_first_offence_exemption() -> None:
    """No 危化条例 entry allows 首违不罚 (粤应急规〔2023〕1号 excludes 危化 businesses)."""
    assert not any(e.exemption_allowed for e in load_catalogue() if e.law == "WHTL")


def test_validity_dates_of_the_local_regulations() -> None:
    """The Shenzhen regulation applies from 2022-09-01 and the 2021 安全生产法 from 2021-09-01."""
    assert find_violation("SZ-52").valid_from == dt.date(2022, 9, 1)
    assert not find_violation("SZ-52").valid_on(dt.date(2022, 8, 31))
    assert find_violation("AQ-97-3").valid_from == dt.date(2021, 9, 1)
    assert find_violation("AQ-97-3").valid_to is None


def test_entry_reads_defaults_clause_and_own_fields() -> None:
    """AQ-97-3 takes its ranges from the shared 第九十七条 clause and prints full citations."""
    entry = find_violation("AQ-97-3")
    assert entry.title == "未按照规定对从业人员进行安全生产教育和培训"
    assert entry.violated_article == "《中华人民共和国安全生产法》第二十八条第一款"
    assert entry.penalty_article == "《中华人民共和国安全生产法》第九十七条第（三）项"
    assert (entry.min_fine, entry.max_fine) == (0, 100_000)
    assert entry.overdue_fine == FineRange(100_000, 200_000)
    assert entry.overdue_person_fine == FineRange(20_000, 50_000)
    assert entry.overdue_other_penalties == ("责令停产停业整顿",)
    assert entry.authority == "应急管理部门"
    assert entry.tier_scheme == "thirds"


def test_fine_range_picks_target_and_stage() -> None:
    """fine_range answers unit/person × stage 1/stage 2, None where the law sets no fine."""
    entry = find_violation("GDXF-49")
    assert entry.fine_range("unit") is None
    assert entry.fine_range("unit", overdue=True) == FineRange(1000, 5000)
    assert entry.fine_range("person", overdue=True) == FineRange(500, 1000)
    assert find_violation("AQ-94").fine_range("person") == FineRange(20_000, 50_000)
    with pytest.raises(ValueError):
        entry.fine_range("company")


def test_nested_law_title_is_quoted_with_angle_brackets() -> None:
    """A law title containing 《》 is cited with 〈〉 inside the outer 《》."""
    entry = find_violation("GDXF-49")
    assert entry.penalty_article == "《广东省实施〈中华人民共和国消防法〉办法》第四十九条"


def test_authorities_follow_the_law() -> None:
    """Fire entries are 消防救援机构's, WHTL-81 is 公安's and WHTL-83 is 市场监管's."""
    assert find_violation("XF-60-3").authority == "消防救援机构"
    assert find_violation("GDXF-49").authority == "消防救援机构"
    assert find_violation("WHTL-81").authority == "公安机关"
    assert find_violation("WHTL-83").authority == "市场监督管理部门"


def test_every_entry_has_a_row_for_every_tier() -> None:
    """Each entry's discretion table has one row per tier, 减轻 below the legal minimum."""
    for entry in load_catalogue():
        assert sorted(row.tier for row in entry.tiers) == sorted(Tier), entry.code
        assert entry.tier(Tier.MITIGATED).sub_range(FineRange(5000, 50000)).max_fine < 5000


def test_unknown_code_gives_a_chinese_error() -> None:
    """Looking up a code the catalogue lacks raises a UserError naming the code."""
    with pytest.raises(UserError, match="没有代码“AQ-999”"):
        find_violation("AQ-999")


def test_loading_is_cached() -> None:
    """The shipped catalogue is read once per process."""
    assert load_catalogue() is load_catalogue()


def test_the_loader_reads_a_folder(tmp_path: Path) -> None:
    """load_catalogue reads any folder with tiers.json and law files, e.g. an HQ update."""
    laws, schemes = shipped_documents()
    (tmp_path / SCHEMES_FILE).write_text(json.dumps(schemes), encoding="utf-8")
    (tmp_path / "gdxf.json").write_text(json.dumps(laws["gdxf.json"]), encoding="utf-8")
    assert [entry.code for entry in load_catalogue(tmp_path)] == ["GDXF-49"]


def test_broken_json_names_the_file_and_line(tmp_path: Path) -> None:
    """A syntax error is reported with the file name and position, in Chinese."""
    (tmp_path / SCHEMES_FILE).write_text("{}", encoding="utf-8")
    (tmp_path / "aq.json").write_text('{"law": "AQ",\n "entries": [}', encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"aq\.json：JSON 格式错误（第 2 行"):
        load_catalogue(tmp_path)


Breakage = Callable[[Document], None]


def drop_all_ranges(entry: Document) -> None:
    """Remove both ranges of AQ-109, leaving it with nothing to fine."""
    del entry["fine"], entry["overdue_fine"]


@pytest.mark.parametrize(
    ("code", "change", "expected"),
    [
        ("AQ-109", lambda e: e.update(fine={"min": 9, "max": 5}), "“AQ-109” 字段 fine：min（9）"),
        ("AQ-109", lambda e: e.update(fine={"min": -1, "max": 5}), "“AQ-109” 字段 fine：应为"),
        ("AQ-109", lambda e: e.update(fine={"min": 0, "max": "5万"}), "“AQ-109” 字段 fine：应为"),
        ("AQ-109", lambda e: e.update(valid_from="2021/09/01"), "“AQ-109” 字段 valid_from："),
        ("AQ-109", lambda e: e.update(valid_to="2020-01-01"), "“AQ-109” 字段 valid_to：早于"),
        ("AQ-109", lambda e: e.update(authority="街道办"), "“AQ-109” 字段 authority：应为"),
        ("AQ-109", lambda e: e.update(confidence="maybe"), "“AQ-109” 字段 confidence：应为"),
        ("AQ-109", lambda e: e.update(exemption_allowed="no"), "“AQ-109” 字段 exemption_allowed"),
        ("AQ-109", lambda e: e.update(tier_scheme="fifths"), "“AQ-109” 字段 tier_scheme：裁量阶次"),
        ("AQ-109", lambda e: e.update(title=" "), "“AQ-109” 字段 title：缺少文字内容"),
        ("AQ-109", lambda e: e.update(penalti_text="x"), "“AQ-109” 字段 penalti_text：未知字段"),
        ("AQ-109", lambda e: e.update(other_penalties="罚款"), "“AQ-109” 字段 other_penalties"),
        ("AQ-109", lambda e: e.update(code="XF-109"), "“XF-109” 字段 code：前缀与文件的 law"),
        ("AQ-109", lambda e: e.update(code="AQ109"), "“AQ109” 字段 code：格式应形如"),
        ("AQ-97-3", lambda e: e.update(clause="AQ-98"), "“AQ-97-3” 字段 clause：文件中没有罚则"),
        ("AQ-109", drop_all_ranges, "“AQ-109” 字段 fine：至少需要一个罚款幅度"),
    ],
)
def test_broken_entry_names_file_code_and_field(code: str, change: Breakage, expected: str) -> None:
    """A defective entry is refused with a Chinese message naming file, code and field."""
    laws, schemes = shipped_documents()
    change(entry_of(laws["aq.json"], code))
    message = refusal(laws, schemes)
    assert message.startswith("违法行为目录有误，已拒绝加载")
    assert f"aq.json 违法行为{expected}" in message


def test_every_defect_is_reported_at_once() -> None:
    """Two broken entries in two files are both listed in one error."""
    laws, schemes = shipped_documents()
    entry_of(laws["aq.json"], "AQ-109").update(authority="街道办")
    entry_of(laws["sz.json"], "SZ-52").update(fine={"min": 5, "max": 1})
    message = refusal(laws, schemes)
    assert "aq.json 违法行为“AQ-109” 字段 authority" in message
    assert "sz.json 违法行为“SZ-52” 字段 fine" in message


def test_duplicate_codes_are_refused() -> None:
    """The same code in two files is refused, naming both files."""
    laws, schemes = shipped_documents()
    laws["zz.json"] = copy.deepcopy(laws["gdxf.json"])
    assert "zz.json 违法行为“GDXF-49”：代码与 gdxf.json 重复" in refusal(laws, schemes)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda rows: rows.pop(), "rows 应恰好包含"),
        (
            lambda rows: rows[1].update({"to": {"minimum": 1}}),
            "减轻的幅度应以法定最低罚款的份额表示",
        ),
        (lambda rows: rows[0].update({"to": {"yuan": 100}}), "不予处罚的幅度应为 0 元至 0 元"),
        (lambda rows: rows[2].update({"to": {"range": "4/3"}}), "数值“4/3”无效"),
        (lambda rows: rows[3].update({"from": {"share": 0.2}}), "字段 from：应为"),
        (lambda rows: rows[4].update({"from": {"minimum": 0.5}}), "只有减轻可以使用 minimum"),
        (lambda rows: rows[3].update({"condition": ""}), "缺少 condition"),
    ],
)
def test_broken_tier_scheme_is_refused(change: Callable[[list[Any]], Any], expected: str) -> None:
    """A scheme whose rows do not mean what the tiers mean in law is refused, naming the scheme."""
    laws, schemes = shipped_documents()
    change(schemes["schemes"]["thirds"]["rows"])
    message = refusal(laws, schemes)
    assert "tiers.json 方案“thirds”" in message
    assert expected in message


def test_entry_own_tier_rows_override_the_scheme() -> None:
    """An entry with its own tiers uses them instead of the shared scheme (HQ's 基准 rows)."""
    laws, schemes = shipped_documents()
    own = copy.deepcopy(schemes["schemes"]["thirds"])
    own["rows"][3].update(
        {"condition": "基准第3档", "from": {"yuan": 60000}, "to": {"yuan": 80000}}
    )
    entry_of(laws["aq.json"], "AQ-109")["tiers"] = own
    entry = next(e for e in parse_catalogue(laws, schemes) if e.code == "AQ-109")
    assert entry.tier_scheme == "条目自定义"
    row = entry.tier(Tier.ORDINARY)
    assert row.condition == "基准第3档"
    assert row.sub_range(FineRange(50000, 100000)) == FineRange(60000, 80000)


def test_broken_own_tier_rows_name_the_entry() -> None:
    """A defect in an entry's own tier rows names the file, the code and the tiers field."""
    laws, schemes = shipped_documents()
    entry_of(laws["aq.json"], "AQ-109")["tiers"] = {"confidence": "V", "rows": []}
    assert "aq.json 违法行为“AQ-109” 字段 tiers：rows 应恰好包含" in refusal(laws, schemes)


def test_thirds_split_the_legal_range_rounded_to_100_yuan() -> None:
    """The thirds scheme splits 0–10万 at 33300 and 66700 and stays within the legal range."""
    entry = find_violation("AQ-97-3")
    legal = FineRange(0, 100_000)
    assert entry.tier(Tier.LENIENT).sub_range(legal) == FineRange(0, 33300)
    assert entry.tier(Tier.ORDINARY).sub_range(legal) == FineRange(33300, 66700)
    assert entry.tier(Tier.SEVERE).sub_range(legal) == FineRange(66700, 100_000)
    assert entry.tier(Tier.EXEMPT).sub_range(legal) == FineRange(0, 0)


def test_small_ranges_round_to_10_yuan() -> None:
    """Below 1万 the bands are rounded to 10 yuan (GDXF-49 对个人 500–1000)."""
    entry = find_violation("GDXF-49")
    legal = FineRange(500, 1000)
    assert entry.tier(Tier.LENIENT).sub_range(legal) == FineRange(500, 750)
    assert entry.tier(Tier.MITIGATED).sub_range(legal) == FineRange(250, 450)

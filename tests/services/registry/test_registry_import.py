"""企业台账Excel导入: the template, per-row problems, duplicates, and all-or-nothing writes."""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from fuanjian_desktop import reference
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.codes import USCC_CHARSET, id_check_char, uscc_check_char
from fuanjian_desktop.domain.registry_rules import FIELD_LABELS
from fuanjian_desktop.errors import PermissionDenied, UserError
from fuanjian_desktop.models import AuditEvent, Enterprise, OutboxEntry
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.registry import registry
from fuanjian_desktop.services.registry.registry_import import (
    ImportProblem,
    ImportReport,
    import_enterprises,
)
from fuanjian_desktop.services.registry.registry_template import (
    TEMPLATE_FIELDS,
    write_import_template,
)

SignIn = Callable[[str], Actor]
LABELS = [FIELD_LABELS[name] for name in TEMPLATE_FIELDS]


def uscc(serial: int) -> str:
    """A valid USCC the demo data never uses (the demo's never have Y in position 12)."""
    first17 = f"91440304MA5Y{serial:05d}"
    return first17 + uscc_check_char(first17)


def with_wrong_check_char(code: str) -> str:
    """``code`` with a check character that fails but is otherwise well formed."""
    wrong = next(char for char in USCC_CHARSET if char != code[17])
    return code[:17] + wrong


def resident_id() -> str:
    """A valid resident ID number."""
    first17 = "44030419850612123"
    return first17 + id_check_char(first17)


def entry(serial: int, **values: Any) -> dict[str, Any]:
    """One good row as field name → cell value, with ``values`` overriding."""
    row: dict[str, Any] = {
        "name": f"深圳市福田区测试便利店{serial}",
        "uscc": uscc(serial),
        "address": f"深圳市福田区园岭街道百花路{serial}号",
        "street": "园岭街道",
        "categories": "三小场所·小档口",
    }
    return row | values


def write_sheet(
    path: Path, rows: Sequence[dict[str, Any] | None], header: Sequence[str] = LABELS
) -> Path:
    """A workbook with ``header`` then one row per entry (``None`` leaves a blank row)."""
    by_label = {label: name for name, label in FIELD_LABELS.items()}
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        values = row or {}
        sheet.append([values.get(by_label.get(label, ""), None) for label in header])
    workbook.save(path)
    return path


def counts(database: Database) -> tuple[int, int, int]:
    """How many enterprises, audit events and outbox rows the database holds."""
    with database.read() as session:
        enterprises, events, outbox = (
            session.scalar(select(func.count()).select_from(table)) or 0
            for table in (Enterprise, AuditEvent, OutboxEntry)
        )
    return enterprises, events, outbox


def stored(database: Database, code: str) -> dict[str, Any] | None:
    """The audit snapshot (plus id) of the registered enterprise with USCC ``code``."""
    with database.read() as session:
        enterprise = session.scalar(select(Enterprise).where(Enterprise.uscc == code))
        return None if enterprise is None else {**enterprise.audit_snapshot(), "id": enterprise.id}


def places(report: ImportReport) -> list[tuple[int, str]]:
    """The (row, column) of every problem, in report order."""
    return [(problem.row, problem.column) for problem in report.problems]


def test_filled_template_imports_with_audit_and_outbox(
    demo_database: Database, sign_in: SignIn, tmp_path: Path
) -> None:
    """Two good rows typed into the template are imported, each with audit event and outbox row."""
    clerk = sign_in("wangfang")
    template = tmp_path / "模板.xlsx"
    write_import_template(template)
    workbook = load_workbook(template)
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    for serial in (1, 2):
        values = entry(serial, contact_phone="13812345678", key_supervision="是")
        sheet.append([values.get(name) for name in TEMPLATE_FIELDS])
    workbook.save(template)

    report = import_enterprises(demo_database, clerk, template)

    assert header == LABELS
    assert (report.imported, report.total_rows, report.problems) == (2, 2, [])
    for serial in (1, 2):
        enterprise = stored(demo_database, uscc(serial))
        assert enterprise is not None
        assert enterprise["squad_id"] == clerk.squad_id
        assert enterprise["key_supervision"] is True
        assert enterprise["categories"] == ["three_small.shop"]
        with demo_database.read() as session:
            event = session.scalar(
                select(AuditEvent).where(AuditEvent.entity_id == enterprise["id"])
            )
            outbox = session.scalar(
                select(OutboxEntry).where(OutboxEntry.entity_id == enterprise["id"])
            )
            assert event is not None and outbox is not None
            assert (event.action, event.actor_id) == ("导入企业", clerk.user_id)
            assert outbox.audit_event_id == event.id


def test_template_explains_columns_and_keeps_codes_as_text(tmp_path: Path) -> None:
    """The template has a bold header, text-formatted code columns and a 填写说明 sheet."""
    template = tmp_path / "模板.xlsx"
    write_import_template(template)
    workbook = load_workbook(template)
    sheet, guide = workbook.worksheets
    letters = {
        name: cell.column_letter for name, cell in zip(TEMPLATE_FIELDS, sheet[1], strict=True)
    }
    guide_text = "\n".join(str(cell) for row in guide.iter_rows(values_only=True) for cell in row)

    assert all(cell.font.bold for cell in sheet[1])
    for name in ("uscc", "operator_id_no", "contact_phone"):
        assert sheet.column_dimensions[letters[name]].number_format == "@"
    assert sheet.column_dimensions[letters["name"]].width > 20
    assert guide.title == "填写说明"
    assert all(label in guide_text for label in LABELS)
    assert all(street in guide_text for street in reference.street_names())
    assert all(category.label in guide_text for category in reference.categories())


def test_bad_rows_are_reported_and_only_good_rows_imported(
    demo_database: Database, sign_in: SignIn, tmp_path: Path
) -> None:
    """Each bad row is reported at its Excel row and column; the good rows still go in."""
    with demo_database.read() as session:
        existing_name, existing_code = session.execute(
            select(Enterprise.name, Enterprise.uscc).where(Enterprise.uscc.is_not(None)).limit(1)
        ).one()
    rows = [
        entry(1),  # row 2
        entry(2, uscc="91440304MA5YOOO01X"),  # row 3: letters O are never used in a USCC
        entry(3, uscc=with_wrong_check_char(uscc(3))),  # row 4: no reason given
        entry(4, uscc=with_wrong_check_char(uscc(4)), uscc_override_reason="已核对营业执照原件"),
        entry(5, operator_name="李四", operator_id_no="4403041985061212"),  # row 6
        entry(6, contact_phone="12345"),  # row 7
        entry(7, street="火星街道"),  # row 8
        entry(8, categories="三小场所·小卖部"),  # row 9
        entry(9, name=""),  # row 10
        entry(10, uscc=uscc(1)),  # row 11: same as row 2
        entry(11, uscc=existing_code),  # row 12
        None,  # row 13: blank, skipped silently
        entry(  # row 14: numbers as Excel stores them, two categories, a flag
            14,
            contact_phone=13812345678,
            floor_area=85.5,
            key_supervision="是",
            categories="三小场所·小档口，危险化学品经营",
        ),
    ]
    path = write_sheet(tmp_path / "台账.xlsx", rows)

    report = import_enterprises(demo_database, sign_in("wangfang"), path)

    code, phone, id_no = "统一社会信用代码", "联系电话", "经营者身份证号"
    assert places(report) == [
        (3, code),
        (4, code),
        (6, id_no),
        (7, phone),
        (8, "街道"),
        (9, "类别"),
        (10, "名称"),
        (11, code),
        (12, code),
    ]
    reasons = {problem.row: problem.reason for problem in report.problems}
    assert "小卖部" in reasons[9]
    assert "第2行" in reasons[11]
    assert existing_name in reasons[12]
    assert (report.imported, report.total_rows, report.rejected_rows) == (3, 12, 9)
    assert stored(demo_database, with_wrong_check_char(uscc(4))) is not None
    numeric = stored(demo_database, uscc(14))
    assert numeric is not None
    assert (numeric["contact_phone"], numeric["floor_area"]) == ("13812345678", Decimal("85.5"))
    assert numeric["categories"] == ["hazchem.business", "three_small.shop"]
    assert all(stored(demo_database, uscc(serial)) is None for serial in (3, 5, 6, 7, 8, 10))


def test_code_typed_as_number_gets_an_excel_hint(
    demo_database: Database, sign_in: SignIn, tmp_path: Path
) -> None:
    """An 18-digit ID Excel stored as a number (last digits lost) is rejected with the cause."""
    mangled = float(resident_id()[:15] + "000")
    path = write_sheet(
        tmp_path / "台账.xlsx", [entry(1, operator_name="李四", operator_id_no=mangled)]
    )

    report = import_enterprises(demo_database, sign_in("wangfang"), path)

    assert places(report) == [(2, "经营者身份证号")]
    assert "文本" in report.problems[0].reason


def test_header_tolerates_title_row_order_spaces_and_units(
    demo_database: Database, sign_in: SignIn, tmp_path: Path
) -> None:
    """A title row, reordered and spaced labels, 面积(㎡) and extra columns are all accepted."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["园岭街道企业台账"])
    sheet.append(["序号", " 类别 ", "街道", "地址", "统一社会信用代码", "名称 ", "面积(㎡)"])
    sheet.append(
        [1, "工贸企业", "园岭街道", "深圳市福田区园岭街道红荔路1号", uscc(1), "甲公司", 120]
    )
    path = tmp_path / "台账.xlsx"
    workbook.save(path)

    report = import_enterprises(demo_database, sign_in("wangfang"), path)

    assert (report.imported, report.problems) == (1, [])
    enterprise = stored(demo_database, uscc(1))
    assert enterprise is not None and enterprise["floor_area"] == Decimal("120")


def test_missing_required_columns_are_named(
    demo_database: Database, sign_in: SignIn, tmp_path: Path
) -> None:
    """A sheet lacking the 街道 and 类别 columns is refused with a message naming just those."""
    header = ["名称", "统一社会信用代码", "地址", "备注"]
    path = write_sheet(tmp_path / "台账.xlsx", [entry(1)], header)

    with pytest.raises(UserError) as raised:
        import_enterprises(demo_database, sign_in("wangfang"), path)

    assert raised.value.message.startswith("表格缺少必需的列：街道、类别。")
    assert "模板" in raised.value.message


def test_inspector_may_not_import(sign_in: SignIn, demo_database: Database, tmp_path: Path) -> None:
    """An inspector without the import permission is refused before the file is read."""
    path = write_sheet(tmp_path / "台账.xlsx", [entry(1)])

    with pytest.raises(PermissionDenied):
        import_enterprises(demo_database, sign_in("zhangwei"), path)

    assert stored(demo_database, uscc(1)) is None


@pytest.mark.parametrize(
    ("name", "content"),
    [("台账.xlsx", b"not a workbook"), ("台账.csv", "名称,地址\n".encode()), ("不存在.xlsx", None)],
)
def test_unreadable_file_gives_chinese_error(
    demo_database: Database, sign_in: SignIn, tmp_path: Path, name: str, content: bytes | None
) -> None:
    """A corrupt, non-xlsx or missing file is a Chinese UserError, not a traceback."""
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)

    with pytest.raises(UserError) as raised:
        import_enterprises(demo_database, sign_in("wangfang"), path)

    assert raised.value.message.startswith(f"无法读取文件“{name}”")


def test_failure_during_write_leaves_nothing_behind(
    demo_database: Database, sign_in: SignIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the write fails after some rows were added, no enterprise, audit or outbox row remains."""
    clerk = sign_in("wangfang")
    path = write_sheet(tmp_path / "台账.xlsx", [entry(serial) for serial in (1, 2, 3)])
    real_add = registry.add_enterprise
    added: list[str] = []

    def add_then_fail(*args: Any) -> str:
        if len(added) == 2:
            raise RuntimeError("disk full")
        added.append(real_add(*args))
        return added[-1]

    monkeypatch.setattr(registry, "add_enterprise", add_then_fail)
    before = counts(demo_database)

    with pytest.raises(RuntimeError):
        import_enterprises(demo_database, clerk, path)

    assert len(added) == 2
    assert counts(demo_database) == before


def test_report_file_lists_problems_for_excel(tmp_path: Path) -> None:
    """The saved report lists 行号/列/原因: a BOM-marked CSV, or an .xlsx."""
    report = ImportReport(
        imported=1,
        problems=[ImportProblem(3, "街道", "街道“火星街道”不在本区街道名单中")],
        total_rows=2,
    )
    report.write_report(tmp_path / "问题.csv")
    report.write_report(tmp_path / "问题.xlsx")

    raw = (tmp_path / "问题.csv").read_bytes()
    with (tmp_path / "问题.csv").open(encoding="utf-8-sig", newline="") as file:
        assert list(csv.reader(file)) == [
            ["行号", "列", "原因"],
            ["3", "街道", "街道“火星街道”不在本区街道名单中"],
        ]
    sheet = load_workbook(tmp_path / "问题.xlsx").worksheets[0]
    assert raw.startswith(b"\xef\xbb\xbf")
    assert list(sheet.iter_rows(values_only=True))[1] == (
        3,
        "街道",
        "街道“火星街道”不在本区街道名单中",
    )
    assert report.rejected_rows == 1

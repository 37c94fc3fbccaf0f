"""企业台账Excel导入: importing a filled-in template (``registry_template``) into the registry.

Squads hold their registers in spreadsheets; importing one is how a new laptop gets its
enterprises. Every row goes through the same validation as the edit dialog (so the rules live in
one place), problems are reported per row and column in Chinese for the clerk to fix in Excel,
and the valid rows go in as one user action: all of them, each with its audit event and outbox
row, or — if the write fails — none.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from fuanjian_desktop import reference
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.codes import normalize_code
from fuanjian_desktop.domain.registry_rules import (
    FIELD_LABELS,
    CleanEnterprise,
    EnterpriseDraft,
    FieldIssue,
)
from fuanjian_desktop.domain.roles import Permission
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.models import Enterprise
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.registry import registry
from fuanjian_desktop.services.registry.registry_template import (
    CODE_FIELDS,
    FLAG_FIELDS,
    save_workbook,
    style_header,
    unsaved_message,
)
from fuanjian_desktop.services.unit_of_work import ActionScope, user_action

REQUIRED_FIELDS = ("name", "uscc", "address", "street", "categories")
HEADER_SEARCH_ROWS = 10
"""Rows scanned for the header: clerks often put a title such as “园岭街道企业台账” above it."""

EXCEL_DIGITS = 15
"""Excel keeps 15 significant digits of a number; longer codes typed as numbers end in zeros."""

DB_LOOKUP_CHUNK = 500
YES = frozenset({"是", "Y", "YES", "TRUE", "1", "√", "✓", "✔"})
NO = frozenset({"", "否", "N", "NO", "FALSE", "0", "×", "✗", "无"})
_LIST_SEPARATORS = re.compile(r"[、，,;；\s]+")
_MIDDLE_DOTS = str.maketrans(dict.fromkeys("・•‧∙．.", "·"))
_HEADER_NOISE = re.compile(r"[\s*＊]+")
_HEADER_UNIT = re.compile(r"[（(][^（()）]*[）)]$")


@dataclass(frozen=True)
class ImportProblem:
    """Why one cell kept its row out: ``row`` as Excel numbers it, ``column`` its Chinese label."""

    row: int
    column: str
    reason: str


@dataclass(frozen=True)
class ImportReport:
    """What an import did: how many rows went in, and every problem of the rows that did not."""

    imported: int
    problems: list[ImportProblem]
    total_rows: int

    @property
    def rejected_rows(self) -> int:
        """How many rows were left out (a row with several problems counts once)."""
        return len({problem.row for problem in self.problems})

    def write_report(self, path: Path) -> None:
        """Save the problems for the clerk to work through: .csv if so named, else .xlsx."""
        lines = [(problem.row, problem.column, problem.reason) for problem in self.problems]
        if path.suffix.lower() == ".csv":
            _write_csv(path, lines)
        else:
            _write_report_workbook(path, lines)


@dataclass
class CheckedRow:
    """One data row on its way in: its draft, its problems, and the validated values."""

    number: int
    draft: EnterpriseDraft
    problems: list[ImportProblem] = field(default_factory=list)
    clean: CleanEnterprise | None = None

    @property
    def uscc_key(self) -> str:
        """The code as stored, for duplicate checks ('' when the row has none)."""
        return normalize_code(self.draft.uscc)

    def problem(self, field_name: str, reason: str) -> None:
        """Record a problem in the column of ``field_name``."""
        self.problems.append(ImportProblem(self.number, FIELD_LABELS[field_name], reason))


# --- the template -------------------------------------------------------------------------------


# --- the import ---------------------------------------------------------------------------------


def import_enterprises(database: Database, actor: Actor, path: Path) -> ImportReport:
    """Import the enterprises of a filled-in template into the actor's squad.

    Invalid rows are left out and reported; the valid ones are added together in one action.
    Raises :class:`UserError` if the file cannot be read or lacks a required column.
    """
    actor.require(Permission.IMPORT_REGISTRY)
    checked = checked_rows(path)
    with user_action(database, actor, "导入企业") as scope:
        scope.actor.require(Permission.IMPORT_REGISTRY)
        if scope.actor.squad_id is None:
            raise UserError("当前账号未归属任何中队，无法导入企业。请联系管理员。")
        flag_registered(scope.session, checked)
        imported = _add_valid(scope, checked, scope.actor.squad_id)
        problems = [problem for row in checked for problem in row.problems]
        if imported:
            scope.log(_summary(path, imported, len(checked)))
    return ImportReport(imported=imported, problems=problems, total_rows=len(checked))


def checked_rows(path: Path) -> list[CheckedRow]:
    """Every data row of a filled-in template, validated by the registry's rules and checked
    for repeats within the file; no database is read (HQ's ``hq init --registry`` uses it too).

    Raises :class:`UserError` if the file cannot be read or lacks a required column.
    """
    rows = _read_rows(path)
    header_number, columns = _locate_columns(rows)
    checked = [
        _check_row(number, cells, columns) for number, cells in rows if number > header_number
    ]
    _flag_repeats_in_file(checked)
    return checked


def _read_rows(path: Path) -> list[tuple[int, tuple[Any, ...]]]:
    """The non-empty rows of the first sheet as (Excel row number, cell values).

    openpyxl raises many kinds of errors for a file that is not a valid workbook (zip, XML, key,
    value errors…), and read-only sheets parse lazily, so the whole read is guarded and any
    failure becomes one Chinese message.
    """
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:
        raise UserError(_unreadable_message(path, error)) from error
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some programs write a wrong size; read every row there is
        numbered = enumerate(sheet.iter_rows(values_only=True), start=1)
        return [(number, tuple(cells)) for number, cells in numbered if not _is_blank(cells)]
    except Exception as error:
        raise UserError(_unreadable_message(path, error)) from error
    finally:
        workbook.close()


def _unreadable_message(path: Path, error: Exception) -> str:
    """Why ``path`` could not be read, in words a clerk can act on."""
    if isinstance(error, FileNotFoundError):
        return f"无法读取文件“{path.name}”：文件不存在，可能已被移动或删除。"
    if isinstance(error, PermissionError):
        return f"无法读取文件“{path.name}”：文件正被其他程序占用，请关闭 Excel 后重试。"
    return (
        f"无法读取文件“{path.name}”：请确认是 .xlsx 格式的 Excel 文件且未损坏。"
        "如是 .xls、.et 或 .csv 文件，请先在 Excel 或 WPS 中“另存为” .xlsx 再导入。"
    )


def _is_blank(cells: Iterable[Any]) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def _locate_columns(rows: Sequence[tuple[int, tuple[Any, ...]]]) -> tuple[int, dict[str, int]]:
    """The header's row number and each known field's column index (order and extras are free).

    The header is the row among the first few that names the most known columns.
    """
    best_number = 0
    best: dict[str, int] = {}
    for number, cells in rows[:HEADER_SEARCH_ROWS]:
        columns = _columns_of(cells)
        if len(columns) > len(best):
            best_number, best = number, columns
    missing = [FIELD_LABELS[name] for name in REQUIRED_FIELDS if name not in best]
    if missing:
        raise UserError(
            f"表格缺少必需的列：{'、'.join(missing)}。请按导入模板填写，不要修改表头的列名。"
        )
    return best_number, best


def _columns_of(cells: Sequence[Any]) -> dict[str, int]:
    """Field name → column index for the cells of a candidate header row (first wins)."""
    by_key = {_header_key(label): name for name, label in FIELD_LABELS.items()}
    columns: dict[str, int] = {}
    for index, cell in enumerate(cells):
        name = by_key.get(_header_key(cell)) if cell is not None else None
        if name is not None and name not in columns:
            columns[name] = index
    return columns


def _header_key(label: object) -> str:
    """A column label without spaces, required-marks or a unit: 面积（㎡）, 面积(㎡) → 面积."""
    return _HEADER_UNIT.sub("", _HEADER_NOISE.sub("", str(label)))


def _check_row(number: int, cells: Sequence[Any], columns: dict[str, int]) -> CheckedRow:
    """Read one row into a draft and validate it with the registry's own rules."""
    values = {name: cells[index] if index < len(cells) else None for name, index in columns.items()}
    row = CheckedRow(number, EnterpriseDraft())
    fields: dict[str, Any] = {name: _cell_text(value) for name, value in values.items()}
    fields["categories"] = _category_codes(row, fields.get("categories", ""))
    fields.update({name: _flag(row, name, values.get(name)) for name in FLAG_FIELDS})
    row.draft = EnterpriseDraft(**fields)
    _validate(row, {name for name in CODE_FIELDS if _too_long_for_excel(values.get(name))})
    return row


def _cell_text(value: Any) -> str:
    """A cell as the text the clerk saw: 13812345678.0 → 13812345678, 4.4E+17 → 440000000000000000.

    Whole floats go through their shortest repr, not ``int()``, so a long number reads as Excel
    showed it rather than with the binary float's spurious trailing digits.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return format(Decimal(repr(value)).to_integral_value(), "f")
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def _too_long_for_excel(value: Any) -> bool:
    """Whether a cell is a number with more digits than Excel keeps (a code typed as a number)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return len(_cell_text(value).lstrip("-")) > EXCEL_DIGITS


def _category_codes(row: CheckedRow, text: str) -> tuple[str, ...]:
    """The category codes of the labels in ``text``; unknown labels become a row problem."""
    by_label = {_label_key(label): code for code, label in reference.category_labels().items()}
    labels = [label for label in _LIST_SEPARATORS.split(text) if label]
    unknown = [label for label in labels if _label_key(label) not in by_label]
    if unknown:
        known = "、".join(reference.category_labels().values())
        row.problem(
            "categories", f"未知的监管类别“{'、'.join(unknown)}”，请从以下类别中选择：{known}。"
        )
    return tuple(by_label[_label_key(label)] for label in labels if label not in unknown)


def _label_key(label: str) -> str:
    """A category label with its middle dot in any of the ways people type it (· ・ . •)."""
    return label.translate(_MIDDLE_DOTS)


def _flag(row: CheckedRow, field_name: str, value: Any) -> bool:
    """A 是/否 cell as a bool (also Y/N, TRUE/FALSE, 1/0, √); anything else is a problem."""
    if isinstance(value, bool):
        return value
    text = normalize_code(_cell_text(value))
    if text in YES or text in NO:
        return text in YES
    row.problem(field_name, f"“{_cell_text(value)}”无法识别，请填写“是”或“否”。")
    return False


def _validate(row: CheckedRow, long_numbers: set[str]) -> None:
    """Run the registry's checks; keep the clean values, or turn each issue into a problem."""
    try:
        row.clean = registry.check_draft(row.draft)
    except registry.EnterpriseInvalid as invalid:
        for issue in _without_repeats(invalid.issues, row):
            row.problem(issue.field, _reason(issue, long_numbers))


def _without_repeats(issues: Sequence[FieldIssue], row: CheckedRow) -> Iterator[FieldIssue]:
    """Issues minus a categories complaint when an unknown label was already reported."""
    reported = {problem.column for problem in row.problems}
    for issue in issues:
        if not (issue.field == "categories" and issue.label in reported):
            yield issue


def _reason(issue: FieldIssue, long_numbers: set[str]) -> str:
    """The issue's message, with the likely cause when Excel had mangled a long number."""
    if issue.field not in long_numbers:
        return issue.message
    return (
        f"{issue.message}（该单元格是数字格式，Excel只保留15位数字，其余位数已变为0；"
        "请将该列设为“文本”格式后重新录入。）"
    )


def _flag_repeats_in_file(rows: Sequence[CheckedRow]) -> None:
    """Report the second and later rows carrying a code already used by an earlier row."""
    first_row: dict[str, int] = {}
    for row in rows:
        if not row.uscc_key:
            continue
        first = first_row.setdefault(row.uscc_key, row.number)
        if first != row.number:
            row.problem("uscc", f"与第{first}行的统一社会信用代码相同，同一企业只能导入一次。")


def flag_registered(session: Session, rows: Sequence[CheckedRow]) -> None:
    """Report rows whose code the registry already holds, naming the enterprise registered."""
    registered = _registered_names(session, {row.uscc_key for row in rows if row.uscc_key})
    for row in rows:
        name = registered.get(row.uscc_key)
        if name is not None:
            row.problem("uscc", f"该统一社会信用代码已登记为“{name}”，请勿重复导入。")


def _registered_names(session: Session, codes: set[str]) -> dict[str, str]:
    """Code → name of the registered enterprises among ``codes`` (queried in chunks)."""
    ordered = sorted(codes)
    found: dict[str, str] = {}
    for start in range(0, len(ordered), DB_LOOKUP_CHUNK):
        chunk = ordered[start : start + DB_LOOKUP_CHUNK]
        query = select(Enterprise.uscc, Enterprise.name).where(Enterprise.uscc.in_(chunk))
        found.update({code: name for code, name in session.execute(query) if code})
    return found


def _add_valid(scope: ActionScope, rows: Sequence[CheckedRow], squad_id: str) -> int:
    """Add every row without problems inside the open action; return how many were added."""
    added = 0
    for row in rows:
        if row.clean is not None and not row.problems:
            registry.add_enterprise(scope, row.clean, squad_id)
            added += 1
    return added


def _summary(path: Path, imported: int, total: int) -> str:
    """The audit line tying the imported enterprises to their source file."""
    return (
        f"从Excel文件“{path.name}”导入企业{imported}家（共{total}行，{total - imported}行未导入）"
    )


# --- saving -------------------------------------------------------------------------------------

_REPORT_HEADER = ("行号", "列", "原因")


def _write_csv(path: Path, lines: Sequence[tuple[int, str, str]]) -> None:
    """UTF-8 with a BOM, which is what makes Excel on Windows show the Chinese correctly."""
    try:
        with path.open("w", encoding="utf-8-sig", newline="") as file:
            writer = csv.writer(file)
            writer.writerow(_REPORT_HEADER)
            writer.writerows(lines)
    except OSError as error:
        raise UserError(unsaved_message(path)) from error


def _write_report_workbook(path: Path, lines: Sequence[tuple[int, str, str]]) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "导入问题"
    sheet.append(_REPORT_HEADER)
    style_header(sheet)
    for line in lines:
        sheet.append(line)
    for letter, width in zip("ABC", (8, 18, 90), strict=True):
        sheet.column_dimensions[letter].width = width
    save_workbook(workbook, path)

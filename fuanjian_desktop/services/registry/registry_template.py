"""The Excel template a clerk fills in to import enterprises (企业台账导入模板).

The columns are the registry's fields under their Chinese labels; code columns are formatted as
text so Excel keeps all 18 characters; a second sheet says how to fill each column.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from fuanjian_desktop import reference
from fuanjian_desktop.domain.registry_rules import FIELD_LABELS
from fuanjian_desktop.errors import UserError

DATA_SHEET = "企业台账"
GUIDE_SHEET = "填写说明"

# The template's column order: identity first, then location, then supervision details.
TEMPLATE_FIELDS = (
    "name",
    "uscc",
    "uscc_override_reason",
    "operator_name",
    "operator_id_no",
    "address",
    "street",
    "community",
    "grid",
    "categories",
    "contact_name",
    "contact_phone",
    "floor_area",
    "key_supervision",
    "blacklisted",
    "notes",
)
CODE_FIELDS = ("uscc", "operator_id_no", "contact_phone")
FLAG_FIELDS = ("key_supervision", "blacklisted")
COLUMN_WIDTHS = {
    "name": 32,
    "uscc": 24,
    "uscc_override_reason": 20,
    "operator_id_no": 22,
    "address": 40,
    "categories": 30,
    "contact_phone": 16,
    "notes": 30,
}
DEFAULT_WIDTH = 12

_GUIDE: dict[str, tuple[str, str]] = {
    "name": ("必填", "营业执照上的名称；无字号的个体户可填写“经营者姓名+经营项目”。"),
    "uscc": (
        "条件必填",
        "18位统一社会信用代码。无代码的个体工商户可留空，但须填写经营者姓名和身份证号。",
    ),
    "uscc_override_reason": (
        "选填",
        "代码校验位不符、但核对营业执照确认无误时，在此写明理由（至少4个字），该行才会导入。",
    ),
    "operator_name": ("选填", "个体工商户的经营者姓名。"),
    "operator_id_no": ("选填", "经营者的18位居民身份证号码。"),
    "address": ("必填", "经营场所地址。"),
    "street": ("必填", "所属街道全称，可选：{streets}。"),
    "community": ("选填", "所属社区，如 百花社区。"),
    "grid": ("选填", "所属网格。"),
    "categories": (
        "必填",
        "监管类别，可填多个，用“、”或“，”或英文逗号分隔。可选：{categories}。",
    ),
    "contact_name": ("选填", "现场负责人姓名。"),
    "contact_phone": ("选填", "手机号（11位）或固定电话（如 0755-83331234）。"),
    "floor_area": ("选填", "经营面积，单位平方米，最多两位小数，如 85.5。"),
    "key_supervision": ("选填", "填“是”或“否”，留空视为“否”。"),
    "blacklisted": ("选填", "填“是”或“否”，留空视为“否”。"),
    "notes": ("选填", "其他需要说明的情况。"),
}


def write_import_template(path: Path) -> None:
    """Save the .xlsx a clerk fills in: the columns the import reads, and how to fill each."""
    workbook = Workbook()
    _fill_data_sheet(workbook.active)
    _fill_guide_sheet(workbook.create_sheet(GUIDE_SHEET))
    save_workbook(workbook, path)


def _fill_data_sheet(sheet: Any) -> None:
    """Header, widths, text-formatted code columns (so Excel keeps all 18 digits), drop-downs."""
    sheet.title = DATA_SHEET
    sheet.append([FIELD_LABELS[name] for name in TEMPLATE_FIELDS])
    style_header(sheet)
    for index, name in enumerate(TEMPLATE_FIELDS, start=1):
        dimension = sheet.column_dimensions[get_column_letter(index)]
        dimension.width = COLUMN_WIDTHS.get(name, DEFAULT_WIDTH)
        if name in CODE_FIELDS:
            dimension.number_format = "@"
    sheet.freeze_panes = "A2"
    _add_choice_list(sheet, "street", reference.street_names())
    for name in FLAG_FIELDS:
        _add_choice_list(sheet, name, ("是", "否"))


def style_header(sheet: Any) -> None:
    """Bold, shaded, wrapped header cells."""
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _add_choice_list(sheet: Any, field_name: str, choices: Sequence[str]) -> None:
    """A drop-down on a column; skipped if the list exceeds Excel's 255-character limit."""
    formula = f'"{",".join(choices)}"'
    if len(formula) > 255:
        return
    validation = DataValidation(type="list", formula1=formula, allow_blank=True)
    validation.error = f"请从下拉列表中选择{FIELD_LABELS[field_name]}。"
    validation.showErrorMessage = True
    letter = get_column_letter(TEMPLATE_FIELDS.index(field_name) + 1)
    validation.add(f"{letter}2:{letter}100000")
    sheet.add_data_validation(validation)


def _fill_guide_sheet(sheet: Any) -> None:
    """One line per column: its label, whether it is required, and what to write in it."""
    sheet.append(["列名", "是否必填", "填写说明"])
    style_header(sheet)
    values = {
        "streets": "、".join(reference.street_names()),
        "categories": "、".join(category.label for category in reference.categories()),
    }
    for name in TEMPLATE_FIELDS:
        need, text = _GUIDE[name]
        sheet.append([FIELD_LABELS[name], need, text.format(**values)])
    sheet.append([])
    sheet.append(["", "", "表头（第一行）请勿修改；每行一家企业，空行会被跳过。"])
    for letter, width in zip("ABC", (18, 10, 90), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=2):
        row[2].alignment = Alignment(wrap_text=True, vertical="top")


def save_workbook(workbook: Any, path: Path) -> None:
    """Save, turning a locked file or an unwritable folder into a message the clerk can act on."""
    try:
        workbook.save(path)
    except OSError as error:
        raise UserError(unsaved_message(path)) from error


def unsaved_message(path: Path) -> str:
    return f"无法保存文件“{path.name}”：请确认同名文件未在 Excel 中打开，且该文件夹可以写入。"

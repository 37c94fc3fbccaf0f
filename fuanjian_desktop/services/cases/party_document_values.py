"""The ``party.*`` keys of a document's context: the 当事人 or the inspected enterprise.

A case prints its party as recorded on 立案 day (the case's own columns), an inspection the
enterprise as the registry holds it; both come as the same party columns
(:func:`~fuanjian_desktop.services.cases.cases.enterprise_party_columns`). A unit is
identified by its 统一社会信用代码, a person (or an 个体工商户 without one) by a resident ID,
from which a person's sex, age and 出生年月 are read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from fuanjian_desktop.domain.resident_ids import age_on, birth_date, sex_of

# the party columns a case copies on 立案 day
PARTY_COLUMNS = (
    "party_kind",
    "party_name",
    "party_id_type",
    "party_id_no",
    "party_representative",
    "party_phone",
    "party_address",
)
# labelled parts of 当事人及基本情况, after the name (and a person's sex and age)
UNIT_SUMMARY = (
    ("party.credit_code", "统一社会信用代码"),
    ("party.id_number", "经营者身份证号"),
    ("party.representative", "法定代表人/负责人"),
    ("party.address", "地址"),
    ("party.phone", "电话"),
)
PERSON_SUMMARY = (
    ("party.id_number", "身份证号"),
    ("party.address", "住址"),
    ("party.phone", "电话"),
)


def party_values(columns: Mapping[str, str | None], contact: str, on: dt.date) -> dict[str, object]:
    """The party from its columns, with the registry's 联系人 and ages counted on ``on``."""
    id_no = columns["party_id_no"] or ""
    resident = columns["party_id_type"] == "resident_id"
    person = columns["party_kind"] == "person"
    values = {
        "party.kind": columns["party_kind"] or "",
        "party.name": columns["party_name"] or "",
        "party.address": columns["party_address"] or "",
        "party.phone": columns["party_phone"] or "",
        "party.representative": columns["party_representative"] or "",
        "party.credit_code": "" if resident else id_no,
        "party.id_number": id_no if resident else "",
        "party.contact": contact,
        **(_personal(id_no, on) if person else {}),
    }
    return {**values, "party.summary": _summary(values, person)}


def _personal(id_no: str, on: dt.date) -> dict[str, str]:
    """性别, 年龄 and 出生年月 of a person, as the ID number states them."""
    age, born = age_on(id_no, on), birth_date(id_no)
    return {
        "party.sex": sex_of(id_no),
        "party.age": "" if age is None else str(age),
        "party.birth_month": f"{born.year}年{born.month}月" if born else "",
    }


def _summary(values: Mapping[str, str], person: bool) -> str:
    """当事人及基本情况 in one sentence: 王某，女，35岁，身份证号：…，住址：…，电话：…。"""
    age = values.get("party.age", "")
    head = [values["party.name"], values.get("party.sex", ""), f"{age}岁" if age else ""]
    labelled = PERSON_SUMMARY if person else UNIT_SUMMARY
    parts = head + [f"{label}：{values[key]}" for key, label in labelled if values[key]]
    return "，".join(part for part in parts if part) + "。" if values["party.name"] else ""

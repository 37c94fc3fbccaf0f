"""Fictional but realistic enterprises, for demo data and for scale benchmarks.

Deterministic for a given seed, so demo data and benchmark runs are repeatable. Every
generated code passes the real checks (USCC check character, resident ID check digit).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from fuanjian_desktop import reference
from fuanjian_desktop.domain.codes import USCC_CHARSET, id_check_char, uscc_check_char
from fuanjian_desktop.domain.registry_rules import EnterpriseDraft
from fuanjian_desktop.resources import load_json_resource

FUTIAN_REGION = "440304"
ORG_CODE_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

# (category codes, weight, kind of name) — the mix a 街道 squad's register roughly shows.
PROFILES: tuple[tuple[tuple[str, ...], int, str], ...] = (
    (("three_small.shop",), 30, "shop"),
    (("three_small.shop", "hazchem.business"), 5, "shop"),
    (("three_small.workshop",), 14, "workshop"),
    (("three_small.workshop", "confined_space"), 3, "workshop"),
    (("three_small.entertainment",), 12, "entertainment"),
    (("hazchem.business", "hazchem.storage"), 6, "hazchem"),
    (("hazchem.business",), 4, "hazchem"),
    (("hazchem.use", "industry_trade"), 5, "industry"),
    (("industry_trade",), 8, "industry"),
    (("industry_trade", "dust_explosion"), 3, "industry"),
    (("industry_trade", "labour_intensive"), 6, "industry"),
    (("industry_trade", "confined_space"), 4, "industry"),
)


def org_code_check_char(first8: str) -> str:
    """GB 11714 check character of a 9-character 组织机构代码 (positions 9-17 of a USCC)."""
    total = sum(ORG_CODE_CHARS.index(c) * w for c, w in zip(first8, ORG_CODE_WEIGHTS, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


@dataclass
class EnterpriseFactory:
    """Makes enterprise drafts; ``streets`` limits where they are (default: the whole district)."""

    seed: int
    streets: tuple[str, ...]

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)
        self._parts: dict[str, Any] = load_json_resource("demo", "name_parts.json")
        self._used_codes: set[str] = set()
        self._used_names: set[str] = set()
        self._communities_by_street = {item.name: item.communities for item in reference.streets()}

    def drafts(self, count: int) -> Iterator[EnterpriseDraft]:
        """``count`` distinct enterprises."""
        for _ in range(count):
            yield self.draft()

    def draft(self) -> EnterpriseDraft:
        """One enterprise with a unique name and code."""
        rng = self._rng
        categories, kind = self._profile()
        street = rng.choice(self.streets)
        individual = kind in {"shop", "workshop"} and rng.random() < 0.7
        operator = self.person_name()
        has_code = not individual or rng.random() < 0.85
        return EnterpriseDraft(
            name=self._unique_name(kind, street),
            uscc=self.uscc("92" if individual else "91") if has_code else "",
            operator_name=operator if individual else "",
            operator_id_no=self.resident_id() if individual else "",
            address=self._address(street),
            street=street,
            community=self._community(street),
            grid=f"{street[:-2]}{rng.randint(1, 30):02d}网格",
            contact_name=operator if individual else self.person_name(),
            contact_phone=self.phone(),
            floor_area=self._area(kind),
            categories=categories,
            key_supervision=rng.random() < 0.15,
            blacklisted=rng.random() < 0.03,
        )

    def person_name(self) -> str:
        """A fictional Chinese name (two or three characters, some rare ones)."""
        surname: str = self._rng.choice(self._parts["surnames"])
        given: str = self._rng.choice(self._parts["given_names"])
        return surname + given

    def uscc(self, prefix: str) -> str:
        """A unique, valid 统一社会信用代码 registered in 福田区."""
        while True:
            body = "".join(self._rng.choice("0123456789") for _ in range(8))
            if self._rng.random() < 0.5:
                body = "MA5" + "".join(self._rng.choice(USCC_CHARSET[:20]) for _ in range(5))
            first17 = prefix + FUTIAN_REGION + body + org_code_check_char(body)
            code = first17 + uscc_check_char(first17)
            if code not in self._used_codes:
                self._used_codes.add(code)
                return code

    def resident_id(self) -> str:
        """A valid 18-digit resident ID of someone born 1960–2000 in 福田区."""
        born = dt.date(1960, 1, 1) + dt.timedelta(days=self._rng.randint(0, 365 * 40))
        first17 = f"{FUTIAN_REGION}{born:%Y%m%d}{self._rng.randint(0, 999):03d}"
        return first17 + id_check_char(first17)

    def phone(self) -> str:
        """A mobile or 0755 landline number of valid shape."""
        if self._rng.random() < 0.8:
            return f"1{self._rng.choice('3589')}{self._rng.randint(0, 999_999_999):09d}"
        return f"0755-8{self._rng.randint(0, 9_999_999):07d}"

    def _profile(self) -> tuple[tuple[str, ...], str]:
        weights = [weight for _, weight, _ in PROFILES]
        categories, _, kind = self._rng.choices(PROFILES, weights)[0]
        return categories, kind

    def _unique_name(self, kind: str, street: str) -> str:
        for attempt in range(1000):
            name = self._name(kind, street)
            if attempt > 20:
                name = f"{name[:-2]}{attempt}{name[-2:]}"
            if name not in self._used_names:
                self._used_names.add(name)
                return name
        raise RuntimeError("name space exhausted")

    def _name(self, kind: str, street: str) -> str:
        pick = self._rng.choice
        parts = self._parts
        brand = pick(parts["brands"])
        area = f"深圳市福田区{street[:-2]}"
        if kind == "shop":
            return f"{area}{brand}{pick(parts['shop_goods'])}{pick(parts['shop_suffixes'])}"
        if kind == "workshop":
            return (
                f"{area}{brand}{pick(parts['workshop_products'])}{pick(parts['workshop_suffixes'])}"
            )
        if kind == "entertainment":
            return f"深圳市{brand}{pick(parts['entertainment_kinds'])}有限公司"
        kinds = parts["hazchem_kinds"] if kind == "hazchem" else parts["industry_kinds"]
        return f"深圳市{brand}{pick(kinds)}有限公司"

    def _address(self, street: str) -> str:
        rng = self._rng
        road = rng.choice(self._parts["roads"][street])
        building = rng.choice(self._parts["buildings"])
        number, floor, room = rng.randint(1, 300), rng.randint(1, 12), rng.randint(101, 120)
        return f"深圳市福田区{street}{road}{number}号{building}{floor}楼{room}"

    def _community(self, street: str) -> str:
        communities = self._communities_by_street.get(street, ())
        return self._rng.choice(communities) if communities else ""

    def _area(self, kind: str) -> str:
        low, high = {"shop": (12, 150), "workshop": (60, 800), "entertainment": (80, 1200)}.get(
            kind, (300, 9000)
        )
        return f"{self._rng.uniform(low, high):.1f}"


def synthetic_checklist(template_id: str, item_count: int, facts: tuple[str, ...] = ()) -> Any:
    """A valid template document with ``item_count`` items in sections of ten.

    For tests and benchmarks that need a template of a given size; every third item depends on
    the first fact when ``facts`` are given, so applicability has something to hide.
    """
    items = [
        {
            "id": f"syn.{number}",
            "check": f"第{number}项检查要求：疏散通道保持畅通",
            "hint": "现场查看",
            "basis": [{"instrument": "中华人民共和国消防法", "article": "第二十八条"}],
            "confidence": "V",
            "hazard_level": "major" if number % 10 == 0 else "general",
            "violation_code": "XF-60-3",
            "rectification": "立即清理",
            "days": number % 15,
            **({"when": {"facts": [facts[0]]}} if facts and number % 3 == 0 else {}),
        }
        for number in range(1, item_count + 1)
    ]
    return {
        "schema_version": 1,
        "id": template_id,
        "version": "2026.1",
        "title": f"测试检查表（{item_count}项）",
        "venue_categories": ["three_small.shop"],
        "facts": [{"id": fact, "question": f"是否{fact}？"} for fact in facts],
        "sections": [
            {
                "id": f"S{start // 10 + 1}",
                "title": f"第{start // 10 + 1}组",
                "items": items[start : start + 10],
            }
            for start in range(0, item_count, 10)
        ],
    }

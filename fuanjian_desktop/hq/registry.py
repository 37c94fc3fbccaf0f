"""``hq init --registry FILE --squad S``: a squad's enterprise register loaded at HQ.

The bureau may hold a squad's register (企业台账) before any of its laptops syncs; loading it at
HQ makes it part of the registry master every laptop receives in its first sync. The file is the
laptop's import template and is checked by the laptop's own rules
(``services.registry.registry_import.checked_rows``): rows with a problem stay out and are listed
by row and column, rows whose 统一社会信用代码 HQ already holds are refused as already
registered, and the valid rows are published as ``enterprise`` records of the squad (to every
device, as the registry master is).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from fuanjian_desktop import reference
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.hq.publish import publish_many
from fuanjian_desktop.ids import new_id
from fuanjian_desktop.models import Enterprise
from fuanjian_desktop.services.registry.registry import apply_clean
from fuanjian_desktop.services.registry.registry_import import (
    CheckedRow,
    ImportProblem,
    checked_rows,
    flag_registered,
)
from fuanjian_desktop.sync_protocol.codec import encode_row

COLUMNS = Enterprise.__table__.columns
COLUMNS = Enterprise.__table__.columns
SHOWN_PROBLEMS = 20
"""Problems printed by ``hq init``; the rest are counted (the laptop's import writes a report)."""


@dataclass(frozen=True)
class RegistryFile:
    """A register file checked before anything is written, and the squad it belongs to."""

    path: Path
    squad: reference.SquadSpec
    rows: list[CheckedRow]


@dataclass(frozen=True)
class RegistryLoaded:
    """What loading a register did."""

    path: Path
    squad_name: str
    imported: int
    total_rows: int
    problems: list[ImportProblem]

    def lines(self) -> list[str]:
        """The Chinese lines ``hq init`` prints for the register."""
        left_out = len({problem.row for problem in self.problems})
        lines = [
            f"企业台账“{self.path.name}”（{self.squad_name}）：导入 {self.imported} 家，"
            f"共 {self.total_rows} 行，{left_out} 行未导入"
        ]
        shown = self.problems[:SHOWN_PROBLEMS]
        lines += [f"  第{p.row}行 {p.column}：{p.reason}" for p in shown]
        if len(self.problems) > len(shown):
            lines.append(f"  ……另有 {len(self.problems) - len(shown)} 处问题未列出")
        return lines


def check_registry_file(path: Path, squad_name: str) -> RegistryFile:
    """Read and check ``path`` for the squad ``squad_name`` (short or full name), before any
    write: an unreadable file or an unknown squad stops ``hq init`` with nothing changed."""
    squads = [unit for unit in reference.org_units() if unit.street]
    wanted = squad_name.strip()
    squad = next((unit for unit in squads if wanted in (unit.short_name, unit.name)), None)
    if squad is None:
        known = "、".join(unit.short_name for unit in squads)
        raise UserError(f"没有名为“{wanted}”的街道执法中队。请填写中队简称或全称，如：{known}。")
    return RegistryFile(path, squad, checked_rows(path))


def load_registry(session: Session, checked: RegistryFile) -> RegistryLoaded:
    """Publish the valid, not yet registered rows of ``checked`` (inside the caller's
    transaction: all of them or, if the write fails, none)."""
    flag_registered(session, checked.rows)
    valid = [row for row in checked.rows if row.clean is not None and not row.problems]
    publish_many(session, enterprise_envelopes(valid, checked.squad.id), checked.squad.id)
    problems = [problem for row in checked.rows for problem in row.problems]
    return RegistryLoaded(
        checked.path, checked.squad.short_name, len(valid), len(checked.rows), problems
    )


def enterprise_envelopes(rows: Sequence[CheckedRow], squad_id: str) -> list[dict[str, Any]]:
    """The rows as new ``enterprise`` envelopes, built by the registry's own ``apply_clean``
    (the laptop's dialog and import store an enterprise the same way)."""
    moment = dt.datetime.now(dt.UTC)
    envelopes = []
    for row in rows:
        assert row.clean is not None
        enterprise = Enterprise(
            id=new_id(), version=1, squad_id=squad_id, created_at=moment, updated_at=moment
        )
        apply_clean(enterprise, row.clean)
        values = {column.key: getattr(enterprise, column.key) for column in COLUMNS}
        categories: list[Mapping[str, Any]] = [{"category": code} for code in enterprise.categories]
        envelopes.append(encode_row("enterprise", values, {"enterprise_category": categories}))
    return envelopes

"""What a person decides about a volume: 备注, order overrides with their reason, the 备考表.

Only these are typed; everything else in the volume comes from the records. Each change is one
audited user action on the case's ``CaseDossier`` (made on first use). An archived case's
dossier is refused by the archive lock like any other record of the case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.roles import Permission
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.models import Case, CaseDossier
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.dossiers.case_photos import case_photo_rows
from fuanjian_desktop.services.dossiers.volume_compile import dossier_of
from fuanjian_desktop.services.dossiers.volume_items import collect_items
from fuanjian_desktop.services.lookup import fetch_own
from fuanjian_desktop.services.unit_of_work import ActionScope, user_action

REMARK_LIMIT = 100  # 备注 is a narrow column of the 目录
NAME_LIMIT = 50  # CaseDossier.filed_by / checked_by


@contextmanager
def dossier_change(
    database: Database, actor: Actor, case_id: str, label: str
) -> Iterator[tuple[ActionScope, Case, CaseDossier]]:
    """An audited change of the case's dossier record (created if the case has none yet)."""
    with user_action(database, actor, label) as scope:
        scope.actor.require(Permission.KEEP_CASE_RECORDS)
        case = fetch_own(scope, Case, case_id)
        dossier = dossier_of(scope.session, case.id)
        if dossier is None:
            dossier = CaseDossier(case_id=case.id, remarks={}, order_overrides=[])
            scope.session.add(dossier)
            before = None
        else:
            before = dossier.audit_snapshot()
        yield scope, case, dossier
        scope.record(dossier, f"{case.case_no} {label}", before)


def _item_keys(scope: ActionScope, case_id: str) -> list[str]:
    photos = case_photo_rows(scope.session, case_id)
    return [item.key for item in collect_items(scope.session, case_id, len(photos), None)]


def _check_item(scope: ActionScope, case: Case, item_key: str) -> int:
    """The number of items of the volume; refuse an item key it does not hold."""
    keys = _item_keys(scope, case.id)
    if item_key not in keys:
        raise UserError(f"案件“{case.case_no}”的案卷中没有这份材料，请刷新卷内目录后重试。")
    return len(keys)


def set_remark(database: Database, actor: Actor, case_id: str, item_key: str, text: str) -> None:
    """Set (or, with empty ``text``, clear) the person's 备注 of one item of the 目录."""
    text = " ".join(text.split())
    if len(text) > REMARK_LIMIT:
        raise UserError(f"备注最多 {REMARK_LIMIT} 个字（现有 {len(text)} 个），请精简。")
    with dossier_change(database, actor, case_id, "修改卷内目录备注") as (scope, case, dossier):
        _check_item(scope, case, item_key)
        remarks = {key: value for key, value in (dossier.remarks or {}).items() if key != item_key}
        if text:
            remarks[item_key] = text
        dossier.remarks = remarks


def set_order_override(
    database: Database,
    actor: Actor,
    case_id: str,
    item_key: str,
    position: int | None,
    reason: str,
) -> None:
    """Put one item at 1-based ``position`` of the 目录, with the reason why; ``None`` clears.

    A later override of the same item replaces its earlier one.
    """
    reason = reason.strip()
    with dossier_change(database, actor, case_id, "调整卷内顺序") as (scope, case, dossier):
        count = _check_item(scope, case, item_key)
        kept: list[dict[str, Any]] = [
            row for row in (dossier.order_overrides or []) if row.get("item") != item_key
        ]
        if position is not None:
            if not 1 <= position <= count:
                raise UserError(f"位置应在 1 到 {count} 之间（本卷共 {count} 件材料）。")
            if not reason:
                raise UserError("调整卷内材料的顺序须写明理由（评查时核对）。")
            kept.append({"item": item_key, "position": position, "reason": reason})
        dossier.order_overrides = kept


def set_backnotes(
    database: Database,
    actor: Actor,
    case_id: str,
    notes: str,
    filed_by: str,
    checked_by: str,
    filed_on: dt.date | None = None,
) -> None:
    """The 备考表: 本卷情况说明, 立卷人, 检查人 (and 立卷时间; default the 结案 date)."""
    names = {"立卷人": filed_by.strip(), "检查人": checked_by.strip()}
    for label, name in names.items():
        if len(name) > NAME_LIMIT:
            raise UserError(f"{label}最多 {NAME_LIMIT} 个字，请核对。")
    with dossier_change(database, actor, case_id, "填写卷内备考表") as (_scope, _case, dossier):
        dossier.notes = notes.strip() or None
        dossier.filed_by = names["立卷人"] or None
        dossier.checked_by = names["检查人"] or None
        dossier.filed_on = filed_on

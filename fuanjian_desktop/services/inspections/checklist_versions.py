"""Pin the template version an inspection runs, and read a pinned version back.

The database keeps the resolved document of every (template, version) used. A past inspection
is always shown and printed from its own copy, however the files in ``resources/`` change later.
A version stored for the first time is audited and queued for HQ like any new record, so the
squad's other laptops can show the inspection too.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from fuanjian_desktop.checklists.loader import default_folder, parse_resolved, template_document
from fuanjian_desktop.checklists.model import Template
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.models import ChecklistVersion
from fuanjian_desktop.services.unit_of_work import ActionScope
from fuanjian_desktop.sync_protocol.codec import entity_key
from fuanjian_desktop.sync_protocol.policy import policy_of


def pin_current(scope: ActionScope, template_id: str, folder: Path | None = None) -> Template:
    """The current version of a template, stored in the database if this is its first use."""
    session = scope.session
    path = (folder or default_folder()) / f"{template_id}.json"
    if not path.is_file():
        raise UserError(f"找不到检查表模板“{template_id}”，请确认模板文件已安装。")
    document = template_document(path)
    template = parse_resolved(document, path.name)
    digest = _digest(document)
    stored = session.get(ChecklistVersion, (template.id, template.version))
    if stored is None:
        pinned = ChecklistVersion(
            template_id=template.id,
            version=template.version,
            content_sha256=digest,
            document=document,
        )
        session.add(pinned)
        _record_first_use(scope, pinned, template.title)
    elif stored.content_sha256 != digest:
        raise UserError(
            f"检查表模板“{template.title}”的内容已改动，但版本号仍为 {template.version}。"
            "请由区局为修改后的模板发布新版本号后再使用；已开展的检查不受影响。"
        )
    return template


def _record_first_use(scope: ActionScope, pinned: ChecklistVersion, title: str) -> None:
    """The audit event and outbox row of a version stored now (its key is two columns)."""
    columns = {"template_id": pinned.template_id, "version": pinned.version}
    key = entity_key(policy_of(ChecklistVersion.__tablename__), columns)
    summary = f"启用检查表“{title}”第 {pinned.version} 版"
    after = {
        "template_id": pinned.template_id,
        "version": pinned.version,
        "content_sha256": pinned.content_sha256,
    }
    scope.record_immutable(ChecklistVersion.__tablename__, key, summary, after)


def pinned_template(session: Session, template_id: str, version: str) -> Template:
    """The template exactly as the inspection ran it."""
    stored = session.get(ChecklistVersion, (template_id, version))
    if stored is None:
        raise UserError(f"数据库中缺少检查表模板“{template_id}”第 {version} 版，无法显示该检查。")
    return _parse(json.dumps(stored.document, ensure_ascii=False, sort_keys=True))


@functools.lru_cache(maxsize=32)
def _parse(document_json: str) -> Template:
    """Parsing is pure; memoised so reopening an inspection does not re-validate its template."""
    document = json.loads(document_json)
    return parse_resolved(document, f"{document['id']} {document['version']}")


def _digest(document: dict[str, Any]) -> str:
    canonical = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

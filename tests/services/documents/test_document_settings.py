"""The authority's particulars printed on documents: shipped defaults, local overrides, wording."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import select

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.errors import PermissionDenied, UserError
from fuanjian_desktop.models import AuditEvent
from fuanjian_desktop.resources import load_json_resource
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.documents.document_settings import (
    organisation,
    organisation_in_force,
    save_organisation,
    wording_for,
)
from fuanjian_desktop.services.procedure_settings import save_settings

SignIn = Callable[[str], Actor]


def test_defaults_come_from_the_shipped_file(database: Database) -> None:
    """Without local values every particular is the one in organisation.json."""
    shipped = load_json_resource("documents", "organisation.json")["values"]
    assert organisation_in_force(database) == {key: row["value"] for key, row in shipped.items()}


def test_an_administrator_overrides_a_particular(demo_database: Database, sign_in: SignIn) -> None:
    """The saved court replaces the default, the rest stay, and the change is in the audit log."""
    save_organisation(
        demo_database, sign_in("zhaolei"), {"court": " 深圳市福田区人民法院（集中管辖） "}
    )
    values = organisation_in_force(demo_database)
    assert values["court"] == "深圳市福田区人民法院（集中管辖）"
    assert values["bureau_name"] == "深圳市福田区应急管理局"
    with demo_database.read() as session:
        summaries = session.scalars(
            select(AuditEvent.summary).where(AuditEvent.action == "修改文书设置")
        )
        assert any("管辖法院" in summary for summary in summaries)


def test_unknown_keys_and_non_administrators_are_refused(
    demo_database: Database, sign_in: SignIn
) -> None:
    """A mistyped key names itself in Chinese; an inspector may not change the particulars."""
    with pytest.raises(UserError, match="未知的文书设置项：cuort"):
        save_organisation(demo_database, sign_in("zhaolei"), {"cuort": "某法院"})
    with pytest.raises(PermissionDenied):
        save_organisation(demo_database, sign_in("zhangwei"), {"court": "某法院"})
    assert organisation_in_force(demo_database)["court"] == "深圳市福田区人民法院"


def test_wording_carries_the_law_of_the_day_the_particulars_and_the_statement_days(
    demo_database: Database, sign_in: SignIn
) -> None:
    """The 陈述申辩 period is the bureau's setting; the 复议机关 follows the law of the date."""
    admin = sign_in("zhaolei")
    save_settings(demo_database, admin, {"statement_days": 3})
    save_organisation(demo_database, admin, {"government": "深圳市福田区人民政府（测试）"})
    with demo_database.read() as session:
        wording = wording_for(session, dt.date(2026, 11, 26))
        assert wording.org["statement_days"] == "3"
        assert wording.org == {**organisation(session), "statement_days": "3"}
        assert wording.law["reconsideration_body"] == "{org.government}"
        assert (
            "{org.superior}"
            in wording_for(session, dt.date(2023, 6, 1)).law["reconsideration_body"]
        )

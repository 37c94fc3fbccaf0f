"""案卷设置: the shipped defaults (resources/dossier/settings.json), an administrator's choice
stored and audited, unknown values and non-administrators refused, 保管期限 by procedure."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.procedure import Procedure
from fuanjian_desktop.domain.roles import Role
from fuanjian_desktop.dossier.pagination import CORNERS
from fuanjian_desktop.errors import PermissionDenied, UserError
from fuanjian_desktop.models import AuditEvent, LocalSetting
from fuanjian_desktop.services import auth
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.dossiers.dossier_settings import (
    DossierSettings,
    choices,
    default_settings,
    dossier_settings_in_force,
    field_label,
    retention,
    save_dossier_settings,
    source_of,
)
from fuanjian_desktop.services.setup import go_live
from fuanjian_desktop.services.users import NewUser, create_user

SHIPPED = DossierSettings("result_first", "top_right", "replace")
PASSWORD = "dossier-test-1"


@pytest.fixture
def people(database: Database) -> tuple[Actor, Actor]:
    """A laptop gone live for 园岭: its administrator, and a clerk the administrator added."""
    go_live(database, "园岭", NewUser("admin1", "赵磊", "", (Role.ADMIN,), PASSWORD))
    admin = auth.sign_in(database, "admin1", PASSWORD)
    assert admin.squad_id is not None
    create_user(database, admin, NewUser("clerk1", "内勤", admin.squad_id, (Role.CLERK,), PASSWORD))
    return admin, auth.sign_in(database, "clerk1", PASSWORD)


def test_a_fresh_laptop_uses_the_shipped_defaults(database: Database) -> None:
    assert default_settings() == SHIPPED
    assert dossier_settings_in_force(database) == SHIPPED


def test_the_choices_are_the_conventions_and_the_corners_the_plan_knows() -> None:
    assert list(choices("convention")) == ["result_first", "chronological"]
    assert set(choices("page_number_position")) == set(CORNERS)
    assert list(choices("scan_placement")) == ["replace", "behind"]
    assert field_label("page_number_position") == "页号位置"
    assert "津安监管法字〔2009〕28号" in source_of("convention", "result_first")
    assert "GB/T 9705" in source_of("page_number_position", "bottom_right")


def test_an_administrator_changes_the_settings_and_the_change_is_audited(
    database: Database, people: tuple[Actor, Actor]
) -> None:
    admin = people[0]
    chosen = DossierSettings("chronological", "bottom_right", "behind")
    save_dossier_settings(database, admin, chosen)
    assert dossier_settings_in_force(database) == chosen
    with database.read() as session:
        stored = session.get(LocalSetting, "dossier.page_number_position")
        assert stored is not None and stored.value == "bottom_right"
        summaries = list(
            session.scalars(select(AuditEvent.summary).where(AuditEvent.action == "修改案卷设置"))
        )
    assert summaries == [
        "案卷设置：卷内材料排列顺序“按程序顺序”，页号位置“右下角（双面打印的背面在左下角）”，"
        "扫描件入卷方式“扫描件在前，系统生成件附后”"
    ]


def test_unknown_values_and_non_administrators_are_refused(
    database: Database, people: tuple[Actor, Actor]
) -> None:
    admin, clerk = people
    with pytest.raises(UserError, match="页号位置的值“middle”未知。可选：top_right"):
        save_dossier_settings(database, admin, replace(SHIPPED, page_number_position="middle"))
    with pytest.raises(UserError, match="卷内材料排列顺序的值“alphabetical”未知"):
        save_dossier_settings(database, admin, replace(SHIPPED, convention="alphabetical"))
    with pytest.raises(PermissionDenied):
        save_dossier_settings(database, clerk, replace(SHIPPED, convention="chronological"))
    assert dossier_settings_in_force(database) == SHIPPED


def test_a_stored_value_no_longer_known_is_an_error_not_a_silent_default(
    database: Database,
) -> None:
    with database.write() as session:
        session.add(LocalSetting(key="dossier.scan_placement", value="shred"))
    with pytest.raises(UserError, match="扫描件入卷方式的值“shred”未知"):
        dossier_settings_in_force(database)


def test_retention_follows_the_procedure() -> None:
    """§4.3: 一般程序 永久, 简易程序 30年."""
    assert retention(Procedure.GENERAL) == "永久"
    assert retention(Procedure.SIMPLE) == "30年"

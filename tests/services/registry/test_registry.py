"""The enterprise registry service (search, list rows, edit round-trip) and the demo data."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from fuanjian_desktop import reference
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.demo import demo
from fuanjian_desktop.domain.codes import check_resident_id, check_uscc
from fuanjian_desktop.domain.registry_rules import EnterpriseDraft
from fuanjian_desktop.domain.roles import BUREAU_ROLES, Role
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.models import AuditEvent, Enterprise, OutboxEntry, Squad, User
from fuanjian_desktop.services import setup
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.registry import registry
from fuanjian_desktop.services.users import NewUser
from tests.samples import HARDWARE_SHOP

HARDWARE = HARDWARE_SHOP
NOODLES = EnterpriseDraft(
    name="深圳市福田区园岭晨光面馆",
    uscc="91350503MA31DKY80A",
    address="深圳市福田区园岭街道八卦路7号",
    street="园岭街道",
    contact_name="李四光",
    contact_phone="0755-83331234",
    categories=("three_small.shop",),
)
STALL = EnterpriseDraft(
    name="王五水果档",
    operator_name="王五",
    operator_id_no="11010519491231002X",
    address="深圳市福田区南园街道滨河路3号",
    street="南园街道",
    categories=("three_small.shop",),
)


@pytest.fixture
def created(demo_database: Database, inspector: Actor) -> dict[str, str]:
    """Three enterprises added by the demo inspector: name → id."""
    return {
        draft.name: registry.create_enterprise(demo_database, inspector, draft)
        for draft in (HARDWARE, NOODLES, STALL)
    }


def search(database: Database, text: str) -> list[str]:
    """Matching ids, as the registry page asks for them."""
    return registry.search_enterprise_ids(database, text)


def table_count(database: Database, model: type) -> int:
    """Rows in the table of ``model``."""
    with database.read() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


# --- search -------------------------------------------------------------------------------


def test_two_character_name_is_found(demo_database: Database, created: dict[str, str]) -> None:
    """Searching the two-character person name 李四 finds both rows whose contact contains it."""
    hits = search(demo_database, "李四")
    assert set(hits) == {created[HARDWARE.name], created[NOODLES.name]}


def test_three_character_name_narrows_the_hits(
    demo_database: Database, created: dict[str, str]
) -> None:
    """Searching 李四光 finds only the row whose contact is 李四光."""
    assert search(demo_database, "李四光") == [created[NOODLES.name]]


def test_search_by_part_of_the_name(demo_database: Database, created: dict[str, str]) -> None:
    """A fragment of the enterprise name finds it."""
    assert search(demo_database, "晨光五金") == [created[HARDWARE.name]]


def test_search_by_operator_name_and_id(demo_database: Database, created: dict[str, str]) -> None:
    """An individual business is found by its operator's name or ID number."""
    assert search(demo_database, "王五") == [created[STALL.name]]
    assert search(demo_database, "11010519491231002x") == [created[STALL.name]]


def test_search_by_uscc_ignores_letter_case(
    demo_database: Database, created: dict[str, str]
) -> None:
    """The USCC is found whole or in part, typed in upper or lower case."""
    wanted = [created[NOODLES.name]]
    assert search(demo_database, "91350503MA31DKY80A") == wanted
    assert search(demo_database, "91350503ma31dky80a") == wanted
    assert search(demo_database, "ma31dky") == wanted


def test_search_by_address_fragment(demo_database: Database, created: dict[str, str]) -> None:
    """A fragment of the address finds the row."""
    assert search(demo_database, "八卦路7号") == [created[NOODLES.name]]


def test_search_words_must_all_match(demo_database: Database, created: dict[str, str]) -> None:
    """Several words narrow the search: every word must occur (in any field)."""
    assert search(demo_database, "李四 红荔路") == [created[HARDWARE.name]]
    assert search(demo_database, "  晨光   八卦路 ") == [created[NOODLES.name]]
    assert search(demo_database, "李四 滨河路") == []


def test_search_results_are_ordered_by_name(
    demo_database: Database, created: dict[str, str]
) -> None:
    """Hits come back in name order, so the list is stable between searches."""
    hits = search(demo_database, "晨光")
    assert hits == [created[name] for name in sorted([HARDWARE.name, NOODLES.name])]


def test_empty_search_matches_everyone(demo_database: Database, created: dict[str, str]) -> None:
    """An empty query lists every enterprise."""
    assert len(search(demo_database, "")) == registry.count_enterprises(demo_database)
    assert set(created.values()) <= set(search(demo_database, " "))


def test_search_follows_an_edit(
    demo_database: Database, inspector: Actor, created: dict[str, str]
) -> None:
    """After an edit the old value no longer matches and the new one does."""
    enterprise_id = created[HARDWARE.name]
    edited = dataclasses.replace(HARDWARE, contact_name="赵六")
    registry.update_enterprise(demo_database, inspector, enterprise_id, edited)
    assert search(demo_database, "李四") == [created[NOODLES.name]]
    assert search(demo_database, "赵六") == [enterprise_id]


# --- list rows and the edit round-trip ----------------------------------------------------


def test_enterprise_rows_keep_the_order_of_ids(
    demo_database: Database, created: dict[str, str]
) -> None:
    """Rows come back in the order asked for, skipping ids that do not exist."""
    ids = [created[STALL.name], "01NOSUCHENTERPRISE00000000", created[HARDWARE.name]]
    rows = registry.enterprise_rows(demo_database, ids)
    assert [row.id for row in rows] == [created[STALL.name], created[HARDWARE.name]]
    stall, hardware = rows
    assert (stall.uscc, stall.contact, stall.street) == ("", "王五", "南园街道")
    assert (hardware.uscc, hardware.contact, hardware.phone) == (
        HARDWARE.uscc,
        "李四",
        "13800138000",
    )
    assert hardware.categories == reference.category_labels()["three_small.shop"]
    assert not hardware.uscc_overridden


def test_load_draft_round_trips_through_update(
    demo_database: Database, inspector: Actor, created: dict[str, str]
) -> None:
    """A stored enterprise loads as the draft it was saved from; an edit of it reloads intact."""
    enterprise_id = created[HARDWARE.name]
    loaded = registry.load_draft(demo_database, enterprise_id)
    assert dataclasses.replace(loaded, floor_area="") == dataclasses.replace(
        HARDWARE, floor_area=""
    )
    assert Decimal(loaded.floor_area) == Decimal(HARDWARE.floor_area)

    edited = dataclasses.replace(
        loaded,
        contact_name="王五",
        floor_area="120.25",
        categories=("three_small.shop", "confined_space"),
        key_supervision=True,
        notes="夜间经营",
    )
    registry.update_enterprise(demo_database, inspector, enterprise_id, edited)
    reloaded = registry.load_draft(demo_database, enterprise_id)

    assert reloaded == dataclasses.replace(
        edited, categories=("confined_space", "three_small.shop")
    )


def test_reloaded_draft_saves_as_no_change(
    demo_database: Database, inspector: Actor, created: dict[str, str]
) -> None:
    """Saving a freshly loaded draft unchanged writes no new version."""
    enterprise_id = created[HARDWARE.name]
    events = table_count(demo_database, AuditEvent)
    registry.update_enterprise(
        demo_database, inspector, enterprise_id, registry.load_draft(demo_database, enterprise_id)
    )
    assert table_count(demo_database, AuditEvent) == events


def test_overridden_uscc_round_trips_with_its_reason(
    demo_database: Database, inspector: Actor
) -> None:
    """A USCC kept despite its check character is stored, flagged and reloaded with its reason."""
    draft = dataclasses.replace(
        HARDWARE, uscc="91350203M0001QAY9B", uscc_override_reason="与营业执照原件一致"
    )
    enterprise_id = registry.create_enterprise(demo_database, inspector, draft)
    (row,) = registry.enterprise_rows(demo_database, [enterprise_id])
    assert row.uscc_overridden
    assert registry.load_draft(demo_database, enterprise_id).uscc_override_reason == (
        "与营业执照原件一致"
    )


# --- demo data ----------------------------------------------------------------------------


def test_create_demo_is_idempotent(demo_database: Database) -> None:
    """Running the demo set-up on a demo database returns False and changes nothing."""
    models = (Enterprise, User, Squad, AuditEvent, OutboxEntry)
    before = [table_count(demo_database, model) for model in models]
    assert demo.create_demo(demo_database) is False
    assert [table_count(demo_database, model) for model in models] == before


def test_demo_marks_the_installation(demo_database: Database) -> None:
    """The demo database is in demo mode with the 园岭 squad as this laptop's home."""
    installed = setup.installation(demo_database)
    assert installed.is_demo
    with demo_database.read() as session:
        home = session.get(Squad, installed.home_squad_id)
        assert home is not None
        assert home.short_name == demo.DEMO_HOME_SQUAD


def test_demo_enterprises_all_carry_valid_identifiers(demo_database: Database) -> None:
    """At least 60 demo enterprises, each identified by a valid USCC or a valid operator ID."""
    with demo_database.read() as session:
        enterprises = [
            (e.uscc, e.operator_name, e.operator_id_no, e.uscc_override_reason)
            for e in session.scalars(select(Enterprise))
        ]
    assert len(enterprises) >= 60
    for uscc, operator, id_no, override in enterprises:
        assert override is None
        if uscc is not None:
            assert check_uscc(uscc).ok, uscc
        else:
            assert operator and id_no is not None and check_resident_id(id_no).ok, id_no
        if id_no is not None:
            assert check_resident_id(id_no).ok, id_no
    assert any(uscc is None for uscc, *_ in enterprises)  # some 个体户 without a code


def test_demo_enterprises_belong_to_their_streets_squad(demo_database: Database) -> None:
    """Each demo enterprise sits in the squad of its own 街道, spread over several squads."""
    with demo_database.read() as session:
        pairs = session.execute(
            select(Enterprise.street, Squad.street).join(Squad, Enterprise.squad_id == Squad.id)
        ).all()
    assert all(street == squad_street for street, squad_street in pairs)
    assert len({street for street, _ in pairs}) >= 2


def test_demo_users_cover_every_role_in_several_squads(demo_database: Database) -> None:
    """Demo accounts hold every role, sit in at least two squads, the home squad has all five
    squad roles, and the bureau role is held at the 区局 only."""
    with demo_database.read() as session:
        accounts = [(user.squad.short_name, user.roles) for user in session.scalars(select(User))]
    all_roles = set().union(*(roles for _, roles in accounts))
    assert all_roles == set(Role)
    assert len({squad for squad, _ in accounts}) >= 2
    home_roles = set().union(*(roles for squad, roles in accounts if squad == "园岭"))
    assert home_roles == set(Role) - BUREAU_ROLES
    assert {squad for squad, roles in accounts if roles & BUREAU_ROLES} == {"区局"}


def test_demo_has_the_bureau_and_its_ten_squads(demo_database: Database) -> None:
    """The demo holds the 区局 and the 10 街道 squads under it, one per street of the district."""
    with demo_database.read() as session:
        units = [
            (squad.id, squad.short_name, squad.is_bureau, squad.street, squad.parent_id)
            for squad in session.scalars(select(Squad))
        ]
    (bureau,) = [unit for unit in units if unit[2]]
    squads = [unit for unit in units if not unit[2]]
    assert bureau[1] == "区局" and bureau[4] is None
    assert len(squads) == 10
    assert {unit[4] for unit in squads} == {bureau[0]}
    assert sorted(unit[3] for unit in squads) == sorted(reference.street_names())


def test_list_squads_gives_usable_squads_bureau_first(demo_database: Database) -> None:
    """setup.list_squads returns the 11 org units, bureau first, with readable names."""
    units = setup.list_squads(demo_database)
    assert [unit.short_name for unit in units][:1] == ["区局"]
    assert len(units) == 11


def test_demo_refuses_a_database_set_up_for_real_use(database: Database) -> None:
    """After 正式启用 the demo set-up is refused in Chinese and writes nothing."""
    setup.go_live(
        database,
        "园岭",
        NewUser(
            username="admin.yl", full_name="管理员", squad_id="", roles=(), password="start2026"
        ),
    )
    enterprises, users = table_count(database, Enterprise), table_count(database, User)

    with pytest.raises(UserError) as refused:
        demo.create_demo(database)

    assert "正式启用" in refused.value.message
    assert setup.installation(database).mode is setup.AppMode.PRODUCTION
    assert (table_count(database, Enterprise), table_count(database, User)) == (enterprises, users)

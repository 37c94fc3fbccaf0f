"""Finding a case by the words a clerk remembers: part of its 案号, part of the party's name."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.models import Case
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.cases.case_queries import CaseFilter, search_case_ids

TODAY = dt.date(2026, 12, 7)


def cases_by_number_and_party(database: Database) -> dict[str, tuple[str, str]]:
    with database.read() as session:
        rows = session.execute(select(Case.id, Case.case_no, Case.party_name)).all()
    return {case_id: (number, party) for case_id, number, party in rows}


def test_every_word_must_be_in_the_number_or_the_party(
    demo_database: Database, inspector: Actor
) -> None:
    """ "2026 有限公司": cases of 2026 whose party is a company (each word somewhere)."""
    found = set(search_case_ids(demo_database, inspector, CaseFilter(text="2026 有限公司"), TODAY))
    expected = {
        case_id
        for case_id, (number, party) in cases_by_number_and_party(demo_database).items()
        if all(word in number or word in party for word in ("2026", "有限公司"))
    }
    assert found == expected and 0 < len(found) < len(cases_by_number_and_party(demo_database))


def test_one_case_is_found_by_its_serial(demo_database: Database, inspector: Actor) -> None:
    by_id = cases_by_number_and_party(demo_database)
    case_id, (number, _party) = next(iter(sorted(by_id.items(), key=lambda item: item[1])))
    serial = number[number.index("〕") :]  # e.g. 〕3号: the serial as the clerk says it
    found = search_case_ids(demo_database, inspector, CaseFilter(text=serial), TODAY)
    assert case_id in found
    assert all(serial in by_id[other][0] or serial in by_id[other][1] for other in found)


def test_wildcards_are_taken_literally(demo_database: Database, inspector: Actor) -> None:
    """% and _ in what the clerk types are characters, not patterns matching everything."""
    assert search_case_ids(demo_database, inspector, CaseFilter(text="%"), TODAY) == []
    assert search_case_ids(demo_database, inspector, CaseFilter(text="_"), TODAY) == []


def test_no_words_filter_nothing(demo_database: Database, inspector: Actor) -> None:
    everything = search_case_ids(demo_database, inspector, CaseFilter(), TODAY)
    assert search_case_ids(demo_database, inspector, CaseFilter(text="  "), TODAY) == everything

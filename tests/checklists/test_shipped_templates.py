"""The templates in resources/checklists: complete, sourced, hiding what cannot apply."""

from __future__ import annotations

import pytest

from fuanjian_desktop.checklists.loader import load_catalogue
from fuanjian_desktop.checklists.model import Template

CATALOGUE = load_catalogue()
THREE_SMALL = ("three_small.shop", "three_small.workshop", "three_small.entertainment")
REQUIRED = (*THREE_SMALL, "hazchem.retail", "hazchem.storage", "industry_trade.general")


def test_every_shipped_template_loads() -> None:
    assert [error.message for error in CATALOGUE.errors] == []
    assert {template.id for template in CATALOGUE.templates} >= set(REQUIRED)


@pytest.mark.parametrize("template_id", THREE_SMALL)
def test_three_small_templates_have_at_least_25_items(template_id: str) -> None:
    assert len(CATALOGUE.get(template_id).items) >= 25


@pytest.mark.parametrize("template", CATALOGUE.templates, ids=lambda t: t.id)
def test_unconfirmed_bases_say_what_to_check(template: Template) -> None:
    unexplained = [item.id for item in template.items if not item.basis_confirmed and not item.note]
    assert unexplained == []


@pytest.mark.parametrize("template", CATALOGUE.templates, ids=lambda t: t.id)
def test_each_fact_answered_no_hides_items_it_governs(template: Template) -> None:
    venue = frozenset(template.venue_categories)
    everything = {fact.id: True for fact in template.facts}
    shown_all = template.applicable_items(everything, venue)
    for fact in template.facts:
        hidden = set(shown_all) - set(
            template.applicable_items({**everything, fact.id: False}, venue)
        )
        assert hidden, f"{template.id}: answering {fact.id} 否 hides nothing"
        assert all(fact.id in item.condition.facts for item in hidden)


def test_gas_alarm_shows_only_where_gas_is_used() -> None:
    shop = CATALOGUE.get("three_small.shop")
    venue = frozenset({"three_small.shop"})
    gas_alarm = [item for item in shop.items if item.violation_code == "AQ-99-8"]
    assert gas_alarm, "the shop template must check the 可燃气体报警装置 (安全生产法第三十六条)"
    with_gas = shop.applicable_items({"uses_gas": True}, venue)
    without_gas = shop.applicable_items({"uses_gas": False}, venue)
    assert all(item in with_gas and item not in without_gas for item in gas_alarm)


def test_templates_are_suggested_by_venue_category() -> None:
    suggested = CATALOGUE.suggested_for(frozenset({"three_small.shop", "hazchem.business"}))
    assert {template.id for template in suggested} >= {"three_small.shop", "hazchem.retail"}
    assert CATALOGUE.suggested_for(frozenset({"confined_space"}))[0].id == "industry_trade.general"

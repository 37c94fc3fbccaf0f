"""The hazard editor saves itself and explains its due date."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from fuanjian_desktop.services.inspections import hazards
from tests.ui.conftest import type_text
from tests.ui.hazard_support import make_hazards, set_dates
from ui.widgets.hazard_form import HazardForm

NATIONAL_DAY_START = dt.date(2026, 9, 24)


def open_form(qtbot, make_context, actor, hazard_id):
    context = make_context(actor)
    form = HazardForm(context)
    qtbot.addWidget(form)
    form.load(hazards.load_hazard(context.database, actor, hazard_id))
    form.show()
    with qtbot.waitActive(form):  # focus events, and so focus-out saves, need an active window
        form.activateWindow()
    return form


def test_edited_description_is_saved_when_focus_leaves(
    qtbot, make_context, inspector, demo_database, start_inspection
):
    """Typing into 隐患描述 and moving on saves the new wording and emits ``saved``."""
    _, (hazard_id,) = make_hazards(demo_database, inspector, start_inspection, 1)
    form = open_form(qtbot, make_context, inspector, hazard_id)
    form.description.clear()
    type_text(qtbot, form.description, "灭火器压力不足")
    with qtbot.waitSignal(form.saved, timeout=2_000):
        form.rectification.setFocus()
        qtbot.waitUntil(lambda: form.rectification.hasFocus())
    assert hazards.load_hazard(demo_database, inspector, hazard_id).description == "灭火器压力不足"


def test_due_date_counts_working_days_across_national_day(
    qtbot, make_context, inspector, demo_database, start_inspection
):
    """10 working days from 2026-09-24 skip the 国庆 holiday: due 2026-10-15, shown and saved."""
    _, (hazard_id,) = make_hazards(demo_database, inspector, start_inspection, 1)
    set_dates(demo_database, hazard_id, NATIONAL_DAY_START, found_on=NATIONAL_DAY_START)
    form = open_form(qtbot, make_context, inspector, hazard_id)
    form.days.setFocus()
    form.days.selectAll()
    qtbot.keyClicks(form.days, "10")
    assert "2026-10-15" in form.deadline.text()
    with qtbot.waitSignal(form.saved, timeout=2_000):
        qtbot.keyClick(form.days, Qt.Key.Key_Return)
    saved = hazards.load_hazard(demo_database, inspector, hazard_id)
    assert (saved.days, saved.due_date) == (10, dt.date(2026, 10, 15))


def test_empty_description_is_refused_beside_the_form(
    qtbot, make_context, inspector, demo_database, start_inspection
):
    """An emptied description is not saved; the red label says what to fill in."""
    _, (hazard_id,) = make_hazards(demo_database, inspector, start_inspection, 1)
    before = hazards.load_hazard(demo_database, inspector, hazard_id).description
    form = open_form(qtbot, make_context, inspector, hazard_id)
    form.description.clear()
    form.save_now()
    assert form.error.isVisible() and "请填写隐患描述" in form.error.text()
    assert hazards.load_hazard(demo_database, inspector, hazard_id).description == before


def test_read_only_for_users_who_may_not_manage_hazards(
    qtbot, make_context, inspector, sign_in, demo_database, start_inspection
):
    """The clerk-only or reviewer account sees the hazard but cannot change it."""
    _, (hazard_id,) = make_hazards(demo_database, inspector, start_inspection, 1)
    form = open_form(qtbot, make_context, sign_in("chenjing"), hazard_id)
    assert not form.description.isEnabled() and not form.days.isEnabled()

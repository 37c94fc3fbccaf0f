"""What the execution documents cite, over generated records: only documents issued and in force
on the document's date are cited or listed, each by its own 文号; the unpaid fine is the fine less
what was paid by then; 合计 is the sum of the amounts printed beside it."""

from __future__ import annotations

import datetime as dt
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from fuanjian_desktop.domain.documents.execution_references import (
    ExecutionRecords,
    reference_values,
)
from fuanjian_desktop.domain.guard.case_guard import DocumentFact
from fuanjian_desktop.domain.penalties.surcharge import Payment

D = dt.date
START = D(2026, 1, 5)
KINDS = ("penalty_decision", "payment_reminder", "surcharge_decision", "enforcement_reminder")
STATUSES = ("draft", "issued", "served", "voided", "superseded")
NUMBER = re.compile(r"号\d+号")


@st.composite
def documents(draw: st.DrawFn) -> list[DocumentFact]:
    """Up to eight documents of the execution kinds, numbered 号1号, 号2号 … in order."""
    made = []
    for serial in range(1, draw(st.integers(0, 8)) + 1):
        kind = draw(st.sampled_from(KINDS))
        status = draw(st.sampled_from(STATUSES))
        issued = None if status == "draft" else START + dt.timedelta(days=draw(st.integers(0, 300)))
        served = issued if status == "served" else None
        amount = str(draw(st.integers(1, 50_000)))
        values = {"surcharge": amount} if kind == "surcharge_decision" else {}
        made.append(DocumentFact(kind, f"号{serial}号", status, issued, served, values))
    return made


payments = st.lists(
    st.builds(
        Payment,
        st.dates(min_value=START, max_value=D(2026, 12, 31)),
        st.integers(1, 30_000),
    ),
    max_size=3,
)


@settings(max_examples=300)
@given(
    docs=documents(),
    paid=payments,
    fine=st.integers(1, 100_000),
    offset=st.integers(0, 330),
)
def test_property_references_equal_the_records(
    docs: list[DocumentFact], paid: list[Payment], fine: int, offset: int
) -> None:
    """Whatever was issued, voided or drafted: the values cite exactly the standing records."""
    on = START + dt.timedelta(days=offset)
    records = ExecutionRecords(fine, paid, START + dt.timedelta(days=20), (), docs)
    values = reference_values(records, on)
    standing = [
        d
        for d in docs
        if d.status in ("issued", "served") and d.issued_on is not None and d.issued_on <= on
    ]
    decisions = [d for d in standing if d.type_key == "penalty_decision"]
    others = [d for d in standing if d.type_key != "penalty_decision"]
    attachments = values["case.attachments"]
    assert isinstance(attachments, list)
    listed = {n for line in attachments for n in NUMBER.findall(line)}
    assert listed == {d.number for d in [*decisions[-1:], *others]}  # the decision in force
    assert values["case.decision_no"] == (decisions[-1].number if decisions else "")
    unpaid = max(fine - sum(p.amount for p in paid if p.on <= on), 0)
    assert values["case.unpaid"] == (str(unpaid) if unpaid else "")
    surcharges = [d for d in standing if d.type_key == "surcharge_decision"]
    surcharge = int(str(surcharges[-1].values["surcharge"])) if surcharges and unpaid else 0
    assert values["case.surcharge"] == (str(surcharge) if unpaid else "")
    printed = [str(values[k]) for k in ("case.unpaid", "case.surcharge", "case.amount_due")]
    unpaid_shown, surcharge_shown, total = (int(text) if text else 0 for text in printed)
    assert total == unpaid_shown + surcharge_shown

"""加处罚款: 3% of the unpaid fine a day from the day after the payment deadline, never above the
fine (行政处罚法第七十二条第一款第（一）项), 复议/诉讼 days not counted (第七十三条第三款).

Every expected amount below is worked out by hand from the article: days × fine × 3 / 100.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fuanjian_desktop.domain.penalties.surcharge import Payment, Suspension, derive_surcharge

D = dt.date
DUE = D(2026, 3, 1)


@pytest.mark.parametrize(
    ("fine", "due", "decided", "expected"),
    [
        (50000, DUE, D(2026, 3, 11), 15000),  # the review's case: 10 days × 1500, not 50000
        (50000, DUE, D(2026, 3, 2), 1500),  # the first day after the deadline counts
        (50000, DUE, DUE, 0),  # on the deadline itself nothing is late yet
        (50000, DUE, D(2026, 2, 20), 0),
        (50000, DUE, D(2026, 4, 3), 49500),  # 33 days × 1500, just under the fine
        (50000, DUE, D(2026, 4, 4), 50000),  # 34 days = 51000 → capped at the fine
        (50000, DUE, D(2027, 3, 1), 50000),
        (1234, DUE, D(2026, 3, 2), 37),  # 37.02 → whole yuan, the fraction dropped
        (1234, DUE, D(2026, 3, 11), 370),  # 370.2 → 370
        (200, D(2026, 12, 31), D(2027, 1, 2), 12),  # across the year end: 2 days × 6
    ],
)
def test_surcharge_table(fine: int, due: dt.date, decided: dt.date, expected: int) -> None:
    """(fine, payment deadline, decision date) → 加处罚款, computed by hand from the article."""
    assert derive_surcharge(fine, due, decided).amount == expected


def test_the_derivation_names_the_days_the_base_and_the_rate() -> None:
    """The 加处罚款决定书 prints from which day to which, the days, the base and the rate."""
    surcharge = derive_surcharge(50000, DUE, D(2026, 3, 11))
    assert surcharge.days == 10
    assert surcharge.derivation() == (
        "自2026年3月2日起至2026年3月11日共10日，按未缴纳的罚款50000元每日3%计15000元"
    )


def test_a_capped_surcharge_says_so() -> None:
    """34 days would be 51000: the text says it was held to the fine."""
    text = derive_surcharge(50000, DUE, D(2026, 4, 4)).derivation()
    assert text.startswith(
        "自2026年3月2日起至2026年4月4日共34日，按未缴纳的罚款50000元每日3%计51000元"
    )
    assert "按50000元计（加处罚款的数额不得超出罚款的数额）" in text


def test_nothing_due_before_the_deadline_passed() -> None:
    """A decision on the deadline finds no late day, and says so."""
    surcharge = derive_surcharge(50000, DUE, DUE)
    assert surcharge.amount == 0
    assert surcharge.derivation() == "缴款期限2026年3月1日届满后至2026年3月1日无应加处罚款的日数"


def test_part_paid_before_the_deadline_leaves_the_unpaid_part_as_base_and_cap() -> None:
    """20000 of 50000 paid on the deadline: 3% of 30000 a day, at most 30000."""
    paid = (Payment(DUE, 20000),)
    assert derive_surcharge(50000, DUE, D(2026, 3, 11), paid).amount == 9000  # 10 × 900
    assert derive_surcharge(50000, DUE, D(2027, 1, 1), paid).amount == 30000


def test_a_late_payment_lowers_the_base_from_the_next_day() -> None:
    """10000 due 03-01; 4000 paid on 03-03: 03-02 and 03-03 at 300, 03-04 and 03-05 at 180."""
    surcharge = derive_surcharge(10000, DUE, D(2026, 3, 5), (Payment(D(2026, 3, 3), 4000),))
    assert surcharge.amount == 960
    assert surcharge.derivation() == (
        "自2026年3月2日起至2026年3月3日共2日，按未缴纳的罚款10000元每日3%计600元；"
        "自2026年3月4日起至2026年3月5日共2日，按未缴纳的罚款6000元每日3%计360元，共4日，计960元"
    )


def test_days_while_a_remedy_is_pending_are_not_counted() -> None:
    """A 复议 pending 03-03 to 03-04: only 03-02 and 03-05 count (第七十三条第三款)."""
    pending = (Suspension(D(2026, 3, 3), D(2026, 3, 4)),)
    surcharge = derive_surcharge(10000, DUE, D(2026, 3, 5), suspensions=pending)
    assert surcharge.amount == 600
    assert surcharge.days == 2
    assert "行政复议、行政诉讼期间2日不计" in surcharge.derivation()


def test_a_remedy_still_pending_stops_the_count() -> None:
    """A 诉讼 filed 03-04 and not decided: 03-02 and 03-03 only."""
    pending = (Suspension(D(2026, 3, 4), None),)
    assert derive_surcharge(10000, DUE, D(2026, 6, 1), suspensions=pending).amount == 600


dates = st.dates(min_value=D(2024, 1, 1), max_value=D(2027, 12, 31))
fines = st.integers(min_value=1, max_value=1_000_000)


@settings(max_examples=300)
@given(fine=fines, due=dates, decided=dates)
def test_property_without_payments_it_is_the_article(
    fine: int, due: dt.date, decided: dt.date
) -> None:
    """Unpaid throughout: min(days late × fine × 3%, fine), whole yuan, days late ≥ 0."""
    late = max((decided - due).days, 0)
    assert derive_surcharge(fine, due, decided).amount == min(late * fine * 3 // 100, fine)


payments = st.lists(
    st.tuples(dates, st.integers(min_value=1, max_value=200_000)).map(lambda p: Payment(*p)),
    max_size=4,
)


@settings(max_examples=300)
@given(fine=fines, due=dates, decided=dates, paid=payments, extra=st.integers(0, 60))
def test_property_cap_order_and_payments(
    fine: int, due: dt.date, decided: dt.date, paid: list[Payment], extra: int
) -> None:
    """Never negative, never above the fine nor what was unpaid at the deadline; a later decision
    never imposes less; a payment never makes it more; the days never exceed the days late."""
    surcharge = derive_surcharge(fine, due, decided, paid)
    unpaid_at_deadline = max(fine - sum(p.amount for p in paid if p.on <= due), 0)
    assert 0 <= surcharge.amount <= min(fine, unpaid_at_deadline)
    assert surcharge.days <= max((decided - due).days, 0)
    later = derive_surcharge(fine, due, decided + dt.timedelta(days=extra), paid)
    assert later.amount >= surcharge.amount
    assert derive_surcharge(fine, due, decided).amount >= surcharge.amount

"""加处罚款 (the late-payment surcharge), derived from the case's records, never typed.

行政处罚法第七十二条第一款第（一）项: 到期不缴纳罚款的，每日按罚款数额的百分之三加处罚款，加处罚款的
数额不得超出罚款的数额. The rate and the sources are data (``resources/procedure/surcharge.json``);
how the article is read where it is silent is decided here and stated in that file's note:

- the days run from the day after the payment deadline (the 缴纳罚款期 or the approved 延期 date) to
  the day of the 加处罚款 decision, both included;
- a day's base is the fine still unpaid that day (what is "不缴纳" is the unpaid part); money paid
  on a day still counts as unpaid that day, since it was paid late;
- the total never exceeds the fine still unpaid when the deadline passed
  (行政强制法第四十五条第二款: not above the overdue 金钱给付义务), never more than the fine;
- days while a 行政复议 or 行政诉讼 is pending are not counted (行政处罚法第七十三条第三款);
- amounts are whole yuan and a fraction of a yuan is dropped, in the party's favour.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import floor

from fuanjian_desktop.domain.documents.document_text import written_date
from fuanjian_desktop.resources import load_json_resource

DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class SurchargeRule:
    """The rate per day (percent of the unpaid fine) and the articles behind it."""

    rate_percent: int
    source: str
    cap_source: str
    suspension_source: str


@functools.cache
def surcharge_rule() -> SurchargeRule:
    """The shipped rule (``resources/procedure/surcharge.json``)."""
    data = load_json_resource("procedure", "surcharge.json")
    rate = data.get("rate_percent_per_day")
    if isinstance(rate, bool) or not isinstance(rate, int) or not 0 < rate <= 100:
        raise ValueError("surcharge.json: rate_percent_per_day must be a whole percentage 1–100")
    return SurchargeRule(rate, data["source"], data["cap_source"], data["suspension_source"])


@dataclass(frozen=True)
class Payment:
    """Money the party paid towards the fine on a day (yuan)."""

    on: dt.date
    amount: int


@dataclass(frozen=True)
class Suspension:
    """A 行政复议 or 行政诉讼 pending from ``first`` to ``last`` (``None``: still pending)."""

    first: dt.date
    last: dt.date | None

    def covers(self, day: dt.date) -> bool:
        """Whether ``day`` falls while the remedy was pending."""
        return self.first <= day and (self.last is None or day <= self.last)


@dataclass(frozen=True)
class Stretch:
    """Consecutive counted days with the same unpaid fine."""

    first: dt.date
    last: dt.date
    base: int

    @property
    def days(self) -> int:
        """The days of the stretch, both ends counted."""
        return (self.last - self.first).days + 1

    def accrued(self, rate_percent: int) -> Fraction:
        """What the stretch adds before the cap, exactly."""
        return Fraction(self.base * rate_percent * self.days, 100)


@dataclass(frozen=True)
class Surcharge:
    """The surcharge due on ``on`` for a fine whose payment deadline was ``payment_due``."""

    fine: int
    payment_due: dt.date
    on: dt.date
    cap: int
    stretches: tuple[Stretch, ...]
    suspended_days: int
    rate_percent: int

    @property
    def days(self) -> int:
        """The days counted."""
        return sum(stretch.days for stretch in self.stretches)

    @property
    def accrued(self) -> Fraction:
        """The sum over the counted days before the cap."""
        return sum((s.accrued(self.rate_percent) for s in self.stretches), Fraction(0))

    @property
    def capped(self) -> bool:
        """Whether the cap, not the days, set the amount."""
        return floor(self.accrued) > self.cap

    @property
    def amount(self) -> int:
        """The surcharge in whole yuan."""
        return min(floor(self.accrued), self.cap)

    def derivation(self) -> str:
        """How the amount was reached, in the words a 加处罚款决定书 prints."""
        if not self.stretches:
            due, on = written_date(self.payment_due), written_date(self.on)
            return f"缴款期限{due}届满后至{on}无应加处罚款的日数"
        parts = [self._stretch_text(stretch) for stretch in self.stretches]
        text = "；".join(parts)
        if len(parts) > 1:
            text += f"，共{self.days}日，计{_money(self.accrued)}元"
        if self.suspended_days:
            text += f"（行政复议、行政诉讼期间{self.suspended_days}日不计）"
        if self.capped:
            text += (
                f"，超出尚未缴纳的罚款数额，按{self.cap}元计（加处罚款的数额不得超出罚款的数额）"
            )
        elif self.accrued != self.amount:
            text += f"，不足一元部分不计，为{self.amount}元"
        return text

    def _stretch_text(self, stretch: Stretch) -> str:
        return (
            f"自{written_date(stretch.first)}起至{written_date(stretch.last)}共{stretch.days}日，"
            f"按未缴纳的罚款{stretch.base}元每日{self.rate_percent}%计"
            f"{_money(stretch.accrued(self.rate_percent))}元"
        )


def derive_surcharge(
    fine: int,
    payment_due: dt.date,
    on: dt.date,
    payments: Sequence[Payment] = (),
    suspensions: Sequence[Suspension] = (),
) -> Surcharge:
    """The surcharge a decision dated ``on`` may impose (see the module docstring)."""
    rate = surcharge_rule().rate_percent
    cap = _unpaid(fine, payments, payment_due + DAY)
    counted = [day for day in _days_after(payment_due, on) if not _suspended(day, suspensions)]
    based = [(day, _unpaid(fine, payments, day)) for day in counted]
    stretches = tuple(_stretches((day, base) for day, base in based if base > 0))
    suspended = sum(1 for day in _days_after(payment_due, on) if _suspended(day, suspensions))
    return Surcharge(fine, payment_due, on, cap, stretches, suspended, rate)


def _unpaid(fine: int, payments: Sequence[Payment], day: dt.date) -> int:
    """The fine still unpaid on ``day``: payments made before it are deducted."""
    return max(fine - sum(p.amount for p in payments if p.on < day), 0)


def _days_after(payment_due: dt.date, on: dt.date) -> Iterator[dt.date]:
    day = payment_due + DAY
    while day <= on:
        yield day
        day += DAY


def _suspended(day: dt.date, suspensions: Sequence[Suspension]) -> bool:
    return any(suspension.covers(day) for suspension in suspensions)


def _stretches(days: Iterable[tuple[dt.date, int]]) -> Iterator[Stretch]:
    """Runs of consecutive days with the same base."""
    current: Stretch | None = None
    for day, base in days:
        if current and current.base == base and current.last + DAY == day:
            current = Stretch(current.first, day, base)
            continue
        if current:
            yield current
        current = Stretch(day, day, base)
    if current:
        yield current


def _money(amount: Fraction) -> str:
    """``15000`` or ``37.02``: whole yuan without decimals, else to the fen."""
    if amount.denominator == 1:
        return str(amount.numerator)
    return f"{float(amount):.2f}"

"""接入码: readable, stored only as a hash, used once, and dead after its hours."""

# ruff: noqa: F811  (pytest fixtures imported from tests.hq.hq_admin_support)

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
from sqlalchemy import select

from fuanjian_desktop.errors import UserError
from fuanjian_desktop.hq.database import HqDatabase
from fuanjian_desktop.hq.enrollment import EnrollmentRefused, consume_code, create_code
from fuanjian_desktop.hq.models import HqEnrollmentCode
from tests.hq.hq_admin_support import (  # noqa: F401
    hq,
    hq_any,
    hq_db,
    hq_sqlite_url,
    squad_id,
)

MADE = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)
# four groups of four, no 0/O, 1/I/L
CODE_FORM = re.compile(r"^[2-9A-HJKMNP-Z]{4}(-[2-9A-HJKMNP-Z]{4}){3}$")
DEVICE = "01JDEVICE0000000000000000A"


def consume(hq: HqDatabase, code: str, at: dt.datetime, device: str = DEVICE) -> str:
    """Use ``code`` at ``at`` in a transaction of its own, as /v1/enroll does."""
    with hq.write() as session:
        return consume_code(session, code, device, at)


def test_code_is_readable_and_stored_only_as_its_hash(hq: HqDatabase):
    """The code reads XXXX-XXXX-XXXX-XXXX; HQ keeps its SHA-256 (without dashes), not the code."""
    code = create_code(hq, "园岭", now=MADE)
    assert CODE_FORM.match(code), code
    with hq.read() as session:
        row = session.scalars(select(HqEnrollmentCode)).one()
    expected = hashlib.sha256(code.replace("-", "").encode()).hexdigest()
    assert row.code_sha256 == expected
    stored = " ".join(str(value) for value in vars(row).values())
    assert code not in stored and code.replace("-", "") not in stored
    assert row.expires_at == MADE + dt.timedelta(hours=72)


def test_code_enrolls_once_in_its_squad(hq_any: HqDatabase):
    """The first use answers the squad; the second is refused as used (SQLite and PostgreSQL)."""
    hq = hq_any
    code = create_code(hq, "南园", now=MADE)
    assert consume(hq, code, MADE + dt.timedelta(hours=1)) == squad_id(hq, "南园")
    with pytest.raises(EnrollmentRefused, match="已经用过"):
        consume(hq, code, MADE + dt.timedelta(hours=2), device="01JDEVICE0000000000000000B")
    with hq.read() as session:
        row = session.scalars(select(HqEnrollmentCode)).one()
    assert (row.device_id, row.used_at) == (DEVICE, MADE + dt.timedelta(hours=1))


def test_code_typed_loosely_still_matches(hq: HqDatabase):
    """Lower case, spaces for dashes: the same code."""
    code = create_code(hq, "园岭", now=MADE)
    typed = " " + code.lower().replace("-", " ") + " "
    assert consume(hq, typed, MADE) == squad_id(hq, "园岭")


@pytest.mark.parametrize(
    ("hours", "used_after", "accepted"),
    [
        pytest.param(72, dt.timedelta(hours=72) - dt.timedelta(seconds=1), True, id="last second"),
        pytest.param(72, dt.timedelta(hours=72), False, id="at the expiry"),
        pytest.param(2, dt.timedelta(hours=3), False, id="short code, later"),
    ],
)
def test_code_expires(hq: HqDatabase, hours: int, used_after: dt.timedelta, accepted: bool):
    """A code is valid strictly before created + hours; at that moment it has expired."""
    code = create_code(hq, "园岭", hours, now=MADE)
    if accepted:
        consume(hq, code, MADE + used_after)
    else:
        with pytest.raises(EnrollmentRefused, match="已过期"):
            consume(hq, code, MADE + used_after)


def test_unknown_code_refused(hq: HqDatabase):
    """A code HQ never made is refused and nothing is stored."""
    with pytest.raises(EnrollmentRefused, match="接入码不正确"):
        consume(hq, "2345-6789-ABCD-EFGH", MADE)


@pytest.mark.parametrize(
    ("squad", "hours", "message"),
    [
        pytest.param("区局", 72, "区局本身", id="the bureau itself"),
        pytest.param("东门", 72, "没有名为“东门”的中队", id="no such squad"),
        pytest.param("园岭", 0, "有效期应为1至720小时", id="zero hours"),
        pytest.param("园岭", 721, "有效期应为1至720小时", id="over thirty days"),
    ],
)
def test_bad_requests_make_no_code(hq: HqDatabase, squad: str, hours: int, message: str):
    """A wrong squad or validity is a Chinese error and stores nothing."""
    with pytest.raises(UserError, match=message):
        create_code(hq, squad, hours, now=MADE)
    with hq.read() as session:
        assert session.scalars(select(HqEnrollmentCode)).first() is None

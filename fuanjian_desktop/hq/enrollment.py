"""Enrollment codes (接入码): how a laptop proves the bureau meant it to join a squad.

The administrator runs ``hq enroll --squad 园岭`` and reads the code to the squad (phone, paper);
the laptop sends it once to ``/v1/enroll`` and receives its device secret. So the code is the one
secret that travels by hand: it is short and readable (four groups of four from an alphabet
without 0/O, 1/I/L), used once, expires (72 hours unless told), and HQ keeps only its SHA-256 —
a copy of HQ's database does not let anyone enroll. 16 characters of 31 are about 79 bits: far
beyond guessing within the validity, even before the server's per-request costs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import update
from sqlalchemy.orm import Session

from fuanjian_desktop.errors import UserError
from fuanjian_desktop.hq.database import HqDatabase
from fuanjian_desktop.hq.models import HqEnrollmentCode
from fuanjian_desktop.services.setup import find_squad

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
GROUPS, GROUP_LENGTH = 4, 4
DEFAULT_HOURS = 72
MAX_HOURS = 24 * 30


class EnrollmentRefused(UserError):
    """The code is unknown, used or expired; the laptop is told so and nothing is stored."""


def new_code() -> str:
    """A fresh random code such as ``7KQM-3XHD-P9TA-WR4E``."""
    groups = ("".join(secrets.choice(ALPHABET) for _ in range(GROUP_LENGTH)) for _ in range(GROUPS))
    return "-".join(groups)


def code_hash(code: str) -> str:
    """The stored form: SHA-256 of the code without dashes or spaces, upper case (typed codes
    arrive in any of these forms)."""
    normal = "".join(code.split()).replace("-", "").upper()
    return hashlib.sha256(normal.encode("ascii", "replace")).hexdigest()


def create_code(
    db: HqDatabase, squad_name: str, hours: int = DEFAULT_HOURS, now: dt.datetime | None = None
) -> str:
    """Make a one-time code for a laptop of ``squad_name`` (short or full name), valid ``hours``.

    Returns the code itself; only its hash is stored, so it can never be shown again.
    """
    if not 1 <= hours <= MAX_HOURS:
        raise UserError(f"接入码有效期应为1至{MAX_HOURS}小时，收到{hours}小时。")
    squad = find_squad(db.core(), squad_name)
    if squad.is_bureau:
        raise UserError(f"“{squad.short_name}”是区局本身，接入码只能发给街道执法中队的电脑。")
    moment = now or dt.datetime.now(dt.UTC)
    code = new_code()
    with db.write() as session:
        session.add(
            HqEnrollmentCode(
                code_sha256=code_hash(code),
                squad_id=squad.id,
                created_at=moment,
                expires_at=moment + dt.timedelta(hours=hours),
            )
        )
    return code


def consume_code(session: Session, code: str, device_id: str, now: dt.datetime) -> str:
    """Use ``code`` up for ``device_id`` and return the squad it enrolls the laptop in.

    One conditional UPDATE marks it used, so of two laptops racing with the same code exactly one
    wins on SQLite and PostgreSQL alike. Raises :class:`EnrollmentRefused` otherwise.
    """
    digest = code_hash(code)
    claimed = session.execute(
        update(HqEnrollmentCode)
        .where(
            HqEnrollmentCode.code_sha256 == digest,
            HqEnrollmentCode.used_at.is_(None),
            HqEnrollmentCode.expires_at > now,
        )
        .values(used_at=now, device_id=device_id)
        .execution_options(synchronize_session=False)
    )
    row = session.get(HqEnrollmentCode, digest)
    if claimed.rowcount != 1 or row is None:  # type: ignore[attr-defined]
        raise EnrollmentRefused(_refusal(row))
    return row.squad_id


def _refusal(row: HqEnrollmentCode | None) -> str:
    if row is None:
        return "接入码不正确，请核对后重新输入（接入码由区局管理员用 hq enroll 生成）。"
    if row.used_at is not None:
        return "这个接入码已经用过，不能再次使用。请向区局管理员申请新的接入码。"
    return "这个接入码已过期。请向区局管理员申请新的接入码。"

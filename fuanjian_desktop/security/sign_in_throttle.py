"""The sign-in limits of a data folder, kept outside the encrypted database.

Before a sign-in the database cannot be read (its key is unwrapped by the password being
checked), so the counts of ``domain/lockout.py`` live in a small private file of the data folder,
``sign_in_limits.json`` (0600, written atomically). It lists no names: each typed name is kept
as an HMAC-SHA256 under a random key of this laptop, and a name's entry is dropped once its
count is forgotten (15 minutes after its last failure).

Refused attempts wait in the same file until the next sign-in writes them to the audit trail
(``pending_failures``), since the database could not take them when they happened.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.domain.lockout import (
    FREE_FAILURES_PER_NAME,
    NO_WAIT,
    FailureCount,
    SignInLimits,
    refusal_message,
)
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.security.private_files import write_private

THROTTLE_FILE = "sign_in_limits.json"
MAX_PENDING = 500  # refused attempts kept for the audit trail; the oldest go first
_FORMAT = 1

T = TypeVar("T")


class SignInRefused(UserError):
    """A refused sign-in: the one message for unknown names, wrong passwords and waits."""

    def __init__(self, wait: dt.timedelta, now: dt.datetime) -> None:
        super().__init__(refusal_message(wait, now))
        self.wait = wait


@dataclass(frozen=True)
class PendingFailure:
    """A refused attempt not yet in the audit trail.

    ``name_key`` is the typed name's HMAC (``SignInThrottle.name_key`` of a known username
    matches it); ``during_wait`` says the attempt came while the name had to wait, so its
    password was not taken.
    """

    at: dt.datetime
    name_key: str
    during_wait: bool


class SignInThrottle:
    """Applies the sign-in limits to attempts on one data folder; reads the file on every call,
    so the sign-in window, the idle lock and the command line share one count."""

    def __init__(self, folder: DataFolder | Path) -> None:
        self.path = (folder.root if isinstance(folder, DataFolder) else folder) / THROTTLE_FILE

    def name_key(self, name: str) -> str:
        """The HMAC under which ``name`` (trimmed, lower-cased) is counted on this laptop."""
        return _name_key(self._load().salt, name)

    def names_by_key(self, names: Iterable[str]) -> dict[str, str]:
        """``names`` by their keys here: matches a pending failure to a known account."""
        salt = self._load().salt
        return {_name_key(salt, name): name for name in names}

    def names_waiting(self, names: Iterable[str], now: dt.datetime) -> set[str]:
        """Which of ``names`` must wait by their own count (not the laptop's), e.g. for
        用户管理's 已锁定 column, where an administrator lifts it."""
        state = self._load()
        return {
            name
            for name in names
            if state.names.get(_name_key(state.salt, name), FailureCount()).wait(
                now, FREE_FAILURES_PER_NAME
            )
            > NO_WAIT
        }

    def wait_before(self, name: str, now: dt.datetime) -> dt.timedelta:
        """How long ``name`` must wait before its password may be tried (zero: try now)."""
        state = self._load()
        return state.limits(_name_key(state.salt, name)).wait(now)

    def record_failure(self, name: str, now: dt.datetime) -> dt.timedelta:
        """Count a refused attempt of ``name`` (unless it came during a wait); return the wait
        now in force, for the message."""
        state = self._load()
        key = _name_key(state.salt, name)
        before = state.limits(key)
        after = before.after_failure(now)
        state.names[key] = after.name
        state.laptop = after.laptop
        state.pending.append(PendingFailure(now, key, during_wait=after == before))
        self._save(state, now)
        return after.wait(now)

    def record_success(self, name: str, now: dt.datetime | None = None) -> None:
        """Clear ``name``'s count after its password was accepted (the laptop's count stays)."""
        state = self._load()
        if state.names.pop(_name_key(state.salt, name), None) is not None:
            self._save(state, now)

    def pending_failures(self) -> list[PendingFailure]:
        """Refused attempts not yet written to the audit trail, oldest first."""
        return list(self._load().pending)

    def clear_pending(self, written: Sequence[PendingFailure]) -> None:
        """Forget the attempts now in the audit trail (call after its transaction committed)."""
        state = self._load()
        done = Counter(written)  # two attempts in the same second are equal: count them
        remaining = []
        for failure in state.pending:
            if done[failure]:
                done[failure] -= 1
            else:
                remaining.append(failure)
        if len(remaining) != len(state.pending):
            state.pending = remaining
            self._save(state, None)

    def attempt(
        self,
        name: str,
        now: dt.datetime,
        unlock: Callable[[], T],
        wrong: tuple[type[Exception], ...],
    ) -> T:
        """Run ``unlock`` (the one argon2id derivation) exactly once and apply the limits.

        The derivation runs during a wait too, and its result is then thrown away: an attempt
        costs the same whether the name exists, the password is wrong or the name must wait.
        Raises :class:`SignInRefused` for any of the three.
        """
        wait = self.wait_before(name, now)
        try:
            result = unlock()
        except wrong:
            raise SignInRefused(self.record_failure(name, now), now) from None
        if wait > NO_WAIT:
            del result  # right or not, a password tried during a wait is not taken
            raise SignInRefused(self.record_failure(name, now), now)
        self.record_success(name, now)
        return result

    def _load(self) -> _State:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            return _State.from_json(raw)
        except FileNotFoundError:
            return _State.fresh()
        except (OSError, ValueError, KeyError, TypeError):
            # A damaged file starts the counts afresh: whoever can write the data folder can
            # delete it as well, so refusing every sign-in would only lock the owner out.
            return _State.fresh()

    def _save(self, state: _State, now: dt.datetime | None) -> None:
        if now is not None:
            state.drop_forgotten(now)
        state.pending = state.pending[-MAX_PENDING:]
        data = json.dumps(state.to_json(), ensure_ascii=False, sort_keys=True)
        write_private(self.path, data.encode("utf-8"))


def _name_key(salt: bytes, name: str) -> str:
    typed = name.strip().lower().encode("utf-8")
    return hmac.new(salt, typed, hashlib.sha256).hexdigest()


@dataclass
class _State:
    """The file's contents in memory."""

    salt: bytes
    names: dict[str, FailureCount]
    laptop: FailureCount
    pending: list[PendingFailure]

    @classmethod
    def fresh(cls) -> _State:
        return cls(secrets.token_bytes(32), {}, FailureCount(), [])

    def limits(self, key: str) -> SignInLimits:
        return SignInLimits(self.names.get(key, FailureCount()), self.laptop)

    def drop_forgotten(self, now: dt.datetime) -> None:
        """Keep only the names whose count still matters (so the file forgets them too)."""
        self.names = {
            key: count for key, count in self.names.items() if count.current(now).failures
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> _State:
        if raw["format"] != _FORMAT:
            raise ValueError(f"unknown format {raw['format']!r}")
        return cls(
            bytes.fromhex(raw["salt"]),
            {key: _count(value) for key, value in raw["names"].items()},
            _count(raw["laptop"]),
            [_pending(item) for item in raw["pending"]],
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "format": _FORMAT,
            "salt": self.salt.hex(),
            "names": {key: _count_json(count) for key, count in self.names.items()},
            "laptop": _count_json(self.laptop),
            "pending": [
                {"at": item.at.isoformat(), "name": item.name_key, "during_wait": item.during_wait}
                for item in self.pending
            ],
        }


def _count(raw: dict[str, Any]) -> FailureCount:
    last = raw["last"]
    return FailureCount(int(raw["failures"]), dt.datetime.fromisoformat(last) if last else None)


def _count_json(count: FailureCount) -> dict[str, Any]:
    return {"failures": count.failures, "last": count.last.isoformat() if count.last else None}


def _pending(raw: dict[str, Any]) -> PendingFailure:
    return PendingFailure(
        dt.datetime.fromisoformat(raw["at"]), str(raw["name"]), bool(raw["during_wait"])
    )

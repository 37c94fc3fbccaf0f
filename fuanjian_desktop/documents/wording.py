"""The law-dependent wording of documents, chosen by the document's date.

The 2016 templates cite articles that have since been renumbered or changed (the 复议机关 since
2024, the hearing request period since 2021); ``resources/documents/wording.json`` keeps each
version with its validity and legal source, so an old document reprints as it was signed.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

from fuanjian_desktop.errors import UserError
from fuanjian_desktop.resources import load_json_resource


@dataclass(frozen=True)
class WordingVersion:
    """One version of the phrases, in force from ``valid_from`` to ``valid_to`` (inclusive)."""

    valid_from: dt.date
    valid_to: dt.date | None
    source: str
    texts: dict[str, str]


@functools.cache
def wording_versions() -> tuple[WordingVersion, ...]:
    """Every version, oldest first, each holding the common phrases too."""
    data: dict[str, Any] = load_json_resource("documents", "wording.json")
    common = data["common"]["texts"]
    return tuple(
        WordingVersion(
            valid_from=dt.date.fromisoformat(row["valid_from"]),
            valid_to=dt.date.fromisoformat(row["valid_to"]) if row["valid_to"] else None,
            source=row["source"],
            texts={**common, **row["texts"]},
        )
        for row in data["versions"]
    )


def law_keys() -> frozenset[str]:
    """Every phrase name some version defines (specs may cite only these)."""
    return frozenset(key for version in wording_versions() for key in version.texts)


def law_texts(on: dt.date) -> dict[str, str]:
    """The phrases in force on ``on``; a Chinese error for a date before the first version."""
    for version in wording_versions():
        if version.valid_from <= on and (version.valid_to is None or on <= version.valid_to):
            return version.texts
    first = wording_versions()[0].valid_from
    raise UserError(
        f"{on:%Y年%m月%d日}早于文书用语的第一个版本（{first:%Y年%m月%d日}起施行），"
        "请在 resources/documents/wording.json 中补充当时的用语。"
    )

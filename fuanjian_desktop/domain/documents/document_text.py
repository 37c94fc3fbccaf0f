"""How enforcement documents write dates, times, article citations and item numbers.

The 2016 templates write ``2026年3月5日`` (no leading zeros) and times as ``9时30分``; moments are
stored in UTC and printed in the laptop's local time, as every screen shows them. Citations
name a law once for all its articles: ``《中华人民共和国安全生产法》第二十八条第一款、第四十五条``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence

LIST_MARK = "、"
CITATION = re.compile(r"^《(?P<law>[^》]+)》(?P<article>.+)$")
OPEN_END = "\u3000\u3000月\u3000\u3000日\u3000\u3000时\u3000\u3000分"  # the pen fills the end


def written_date(day: dt.date | None) -> str:
    """``2026年3月5日``; empty when there is no date, so the field prints blank for the pen."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def written_moment(moment: dt.datetime | None) -> str:
    """``2026年3月5日9时30分`` in local time; empty when there is no moment."""
    if moment is None:
        return ""
    local = moment.astimezone()
    return f"{written_date(local.date())}{_clock(local)}"


def written_period(start: dt.datetime, end: dt.datetime | None) -> str:
    """``2026年3月5日9时30分至3月5日11时05分`` as the 检查时间 line reads; an open end is
    left as blanks for the pen."""
    if end is None:
        return f"{written_moment(start)}至{OPEN_END}"
    local = end.astimezone()
    return f"{written_moment(start)}至{local.month}月{local.day}日{_clock(local)}"


def cited(citations: Iterable[str]) -> str:
    """Citations such as ``《中华人民共和国安全生产法》第四十五条`` merged so each law is named
    once, in order of first mention, duplicates dropped:
    ``《中华人民共和国安全生产法》第二十八条第一款、第四十五条``. Text without a 《law》 is kept
    as it is."""
    articles: dict[str, list[str]] = {}
    for citation in citations:
        law, article = _split(citation.strip())
        listed = articles.setdefault(law, [])
        if article and article not in listed:
            listed.append(article)
    return LIST_MARK.join(
        (f"《{law}》" if law else "") + LIST_MARK.join(listed)
        for law, listed in articles.items()
        if listed
    )


def item_numbers(count: int) -> str:
    """``1、2、3`` for the first ``count`` items of a numbered list (上述第1、2、3项)."""
    return LIST_MARK.join(str(number) for number in range(1, count + 1))


def sentences(texts: Sequence[str]) -> str:
    """Texts run together as one paragraph, each closed with 。 unless it already ends a
    sentence."""
    return "".join(_closed(text.strip()) for text in texts if text.strip())


def _split(citation: str) -> tuple[str, str]:
    match = CITATION.match(citation)
    return (match["law"], match["article"]) if match else ("", citation)


def _closed(text: str) -> str:
    return text if text[-1] in "。！？；" else f"{text}。"


def _clock(local: dt.datetime) -> str:
    return f"{local.hour}时{local.minute:02d}分"

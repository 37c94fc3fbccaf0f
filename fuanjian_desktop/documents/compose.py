"""Compose a spec and a document's values into a :class:`Sheet` (the engine's one algorithm).

Texts carry placeholders: ``{field}`` is a value of the document, ``{law.key}`` a phrase of the
wording in force on the document's date (itself with placeholders), ``{org.key}`` a setting of
the authority (its name, the 复议机关, the court). An empty value prints as a blank for the pen.
A block with ``when`` prints only when that field holds something (the 补正 table of a 笔录).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fuanjian_desktop.documents.sheet import (
    Block,
    Box,
    Cell,
    Dialogue,
    Entry,
    Heading,
    Lines,
    Numbered,
    PageBreak,
    Paragraph,
    RuledSpace,
    Run,
    Seal,
    Sheet,
    Signatures,
    SignLine,
    StruckOut,
    Table,
)
from fuanjian_desktop.documents.spec import PLACEHOLDER, DocumentSpec

BLANK = "_" * 8
BLANK_DATE = "\u3000\u3000年\u3000\u3000月\u3000\u3000日"
MAX_DEPTH = 4


@dataclass(frozen=True)
class Wording:
    """What placeholders outside the document's own values resolve to."""

    law: Mapping[str, str]
    org: Mapping[str, str]


def compose(
    spec: DocumentSpec,
    values: Mapping[str, Any],
    wording: Wording,
    *,
    variant: str | None = None,
    number: str | None = None,
) -> Sheet:
    """The sheet of ``spec`` filled with ``values`` (missing values print as blanks)."""
    chosen = spec.variant(variant)
    resolver = _Resolver(values, wording)
    blocks = tuple(
        resolver.block(block)
        for block in spec.body
        if block.get("variant", chosen.key) == chosen.key
        and ("when" not in block or filled(values.get(block["when"])))
    )
    return Sheet(
        title=chosen.title,
        code=spec.code,
        number=number,
        blocks=blocks,
        continues=spec.continues,
        fit_page=spec.fit_page,
        footnote=resolver.plain(chosen.footnote or spec.footnote),
        meta={"author": wording.org.get("bureau_name", "")},  # the PDF's and Word's author
    )


def value_text(value: Any) -> str:
    """A value as one line of text: lists are joined with 、, missing values are empty."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "、".join(value_text(item) for item in value if value_text(item))
    return str(value).strip()


def filled(value: Any) -> bool:
    """Whether a value holds any text (a list of empty rows holds none)."""
    if isinstance(value, Mapping):
        return any(filled(item) for item in value.values())
    if isinstance(value, list | tuple):
        return any(filled(item) for item in value)
    return bool(value_text(value))


def dialogue_turns(pairs: Any) -> tuple[tuple[str, str], ...]:
    """The printed turns of a ``qa`` value: an empty pair is left out, a question not yet
    answered keeps its ``答`` line empty for the pen, an answer without a question stands alone."""
    turns: list[tuple[str, str]] = []
    for pair in pairs if isinstance(pairs, list | tuple) else ():
        if not isinstance(pair, Mapping):
            continue
        question, answer = value_text(pair.get("q")), value_text(pair.get("a"))
        if question:
            turns.append(("问", question))
        if question or answer:
            turns.append(("答", answer))
    return tuple(turns)


class _Resolver:
    """Turns the raw blocks of a spec into sheet blocks for one set of values."""

    def __init__(self, values: Mapping[str, Any], wording: Wording) -> None:
        self.values = values
        self.wording = wording

    def runs(self, text: str, depth: int = 0) -> tuple[Run, ...]:
        """``text`` split into printed wording, values and blanks."""
        runs: list[Run] = []
        position = 0
        for match in PLACEHOLDER.finditer(text):
            if match.start() > position:
                runs.append(Run(text[position : match.start()]))
            runs.extend(self._placeholder(match.group(1), depth))
            position = match.end()
        if position < len(text):
            runs.append(Run(text[position:]))
        return _merged(runs)

    def plain(self, text: str) -> str:
        return "".join(run.text for run in self.runs(text))

    def _placeholder(self, name: str, depth: int) -> list[Run]:
        namespace, _, key = name.partition(".")
        if key and namespace == "law" and depth < MAX_DEPTH:
            return list(self.runs(self.wording.law.get(key, ""), depth + 1))
        if key and namespace == "org":
            return [Run(self.wording.org.get(key, ""))]
        text = value_text(self.values.get(name))
        return [Run(text, "value")] if text else [Run(BLANK, "blank")]

    def text(self, name: str | None) -> str:
        return value_text(self.values.get(name)) if name else ""

    def block(self, raw: Mapping[str, Any]) -> Block:
        kind = raw["block"]
        if kind == "lines":
            return Lines(tuple(tuple(self._entry(e) for e in row) for row in raw["rows"]))
        if kind == "addressee":
            return Paragraph(self.runs("{" + raw["field"] + "}：", 0), indent=False)
        if kind == "text":
            return Paragraph(
                self.runs(raw["text"]), bool(raw.get("indent", True)), raw.get("align", "left")
            )
        if kind == "list":
            items = self.values.get(raw["field"]) or []
            return Numbered(tuple(value_text(i) for i in items), int(raw.get("min", 0)))
        if kind == "table":
            return self._table(raw)
        if kind == "box":
            return Box(tuple(tuple(self._cell(c) for c in row) for row in raw["rows"]))
        if kind == "signatures":
            return Signatures(self._signs(raw["rows"]), bool(raw.get("repeat", False)))
        if kind == "heading":
            return Heading(self.plain(raw["text"]))
        if kind == "page_break":
            return PageBreak()
        if kind == "qa":
            turns = dialogue_turns(self.values.get(raw["field"]))
            return Dialogue(self.plain(raw.get("label", "")), turns)
        if kind == "reply":
            return Dialogue("", (("答", self.text(raw["field"])),))
        if kind == "blank_lines":
            return RuledSpace(int(raw["lines"]))
        if kind == "struck_out":
            return StruckOut()
        return Seal(self.plain(raw.get("text", "")), self._date(raw.get("date")))

    def _entry(self, raw: Mapping[str, Any]) -> Entry:
        value = self.text(raw.get("field")) if "field" in raw else self.plain(raw.get("text", ""))
        return Entry(raw["label"], value, float(raw.get("share", 1)))

    def _table(self, raw: Mapping[str, Any]) -> Table:
        columns = raw["columns"]
        rows = []
        for index, row in enumerate(self.values.get(raw["field"]) or [], start=1):
            rows.append(tuple(_column_text(column, index, row) for column in columns))
        return Table(
            headers=tuple(c["label"] for c in columns),
            widths=tuple(float(c.get("width", 1)) for c in columns),
            rows=tuple(rows),
            minimum=int(raw.get("min", 0)),
        )

    def _cell(self, raw: Mapping[str, Any]) -> Cell:
        text = "{" + raw["field"] + "}" if "field" in raw else raw.get("text", "")
        runs = self.runs(text) if text else ()
        if runs and all(run.kind == "blank" for run in runs):
            runs = ()  # an empty opinion box stays empty for the pen, not underlined
        return Cell(
            label=raw.get("label", ""),
            runs=runs,
            signs=self._signs(raw.get("signs", [])),
            date=self._date(raw["date"]) if "date" in raw else None,
            lines=int(raw.get("lines", 1)),
        )

    def _signs(self, rows: list[Mapping[str, Any]]) -> tuple[SignLine, ...]:
        return tuple(SignLine(row["label"], self.runs(row.get("after", ""))) for row in rows)

    def _date(self, field: str | None) -> str:
        return (
            self.text(field.strip("{}")) if field and self.text(field.strip("{}")) else BLANK_DATE
        )


def _column_text(column: Mapping[str, Any], index: int, row: Mapping[str, Any]) -> str:
    """A cell: the row number for ``no``, nothing in a column left for the pen (``blank``)."""
    if column.get("blank"):
        return ""
    return str(index) if column["key"] == "no" else value_text(row.get(column["key"]))


def _merged(runs: list[Run]) -> tuple[Run, ...]:
    """Adjacent runs of the same kind joined, so renderers draw fewer fragments."""
    merged: list[Run] = []
    for run in runs:
        if not run.text:
            continue
        if merged and merged[-1].kind == run.kind == "fixed":
            merged[-1] = Run(merged[-1].text + run.text)
        else:
            merged.append(run)
    return tuple(merged)

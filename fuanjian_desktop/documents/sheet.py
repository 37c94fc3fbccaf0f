"""The resolved document: every text final, every block ready to draw.

Composing a spec with its values gives a :class:`Sheet`; the PDF and DOCX renderers draw only
sheets. An issued document stores its sheet as JSON, so a later change of the wording data or
of a setting never changes what was signed, and its SHA-256 fingerprint proves it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

RunKind = Literal["fixed", "value", "blank"]
BANNER = "安全生产行政执法文书"
STRUCK_OUT = "以下空白"
SHEET_VERSION = 1


@dataclass(frozen=True)
class Run:
    """A piece of text: printed wording, a filled value, or a blank left for the pen."""

    text: str
    kind: RunKind = "fixed"


@dataclass(frozen=True)
class Paragraph:
    """Running text; ``indent`` gives the first line two characters, as Chinese prose has."""

    runs: tuple[Run, ...]
    indent: bool = True
    align: Literal["left", "center", "right"] = "left"
    kind: Literal["paragraph"] = "paragraph"


@dataclass(frozen=True)
class Entry:
    """One ``label：value`` pair of a form line; ``share`` is its part of the line width."""

    label: str
    value: str
    share: float = 1.0


@dataclass(frozen=True)
class Lines:
    """Form lines at the head of a document (案由 ____  时间 ____)."""

    rows: tuple[tuple[Entry, ...], ...]
    kind: Literal["lines"] = "lines"


@dataclass(frozen=True)
class Numbered:
    """Numbered items (1．2．3．), padded with blank items up to ``minimum``."""

    items: tuple[str, ...]
    minimum: int = 0
    kind: Literal["numbered"] = "numbered"


@dataclass(frozen=True)
class Table:
    """A ruled table (清单, 送达回执): headers, relative widths, rows padded to ``minimum``."""

    headers: tuple[str, ...]
    widths: tuple[float, ...]
    rows: tuple[tuple[str, ...], ...]
    minimum: int = 0
    kind: Literal["table"] = "table"


@dataclass(frozen=True)
class SignLine:
    """A line left for a handwritten signature, with what may be printed after it (证号)."""

    label: str
    after: tuple[Run, ...] = ()


@dataclass(frozen=True)
class Cell:
    """A cell of a ruled approval form: heading, text, signature lines and a date line."""

    label: str
    runs: tuple[Run, ...] = ()
    signs: tuple[SignLine, ...] = ()
    date: str | None = None
    lines: int = 1


@dataclass(frozen=True)
class Box:
    """A ruled form of cells (立案审批表's 案件基本情况 / 承办人意见 / 审核意见 | 审批意见)."""

    rows: tuple[tuple[Cell, ...], ...]
    kind: Literal["box"] = "box"


@dataclass(frozen=True)
class Signatures:
    """Signature lines; ``repeat`` prints them at the foot of every page of a 续页 document."""

    lines: tuple[SignLine, ...]
    repeat: bool = False
    kind: Literal["signatures"] = "signatures"


@dataclass(frozen=True)
class Seal:
    """The authority's name for the seal and the date, right-aligned."""

    text: str
    date: str
    kind: Literal["seal"] = "seal"


@dataclass(frozen=True)
class Heading:
    """A centred heading inside a document (the 证据清单 attached to its notice)."""

    text: str
    kind: Literal["heading"] = "heading"


@dataclass(frozen=True)
class PageBreak:
    """What follows starts a new page (an attached list printed on its own sheet)."""

    kind: Literal["page_break"] = "page_break"


@dataclass(frozen=True)
class Dialogue:
    """Questions and answers written on ruled lines (询问记录): ``turns`` are (speaker, text)
    with the speaker ``问`` or ``答``; ``label`` (询问记录：) heads them, none for a lone reply."""

    label: str
    turns: tuple[tuple[str, str], ...]
    kind: Literal["dialogue"] = "dialogue"


@dataclass(frozen=True)
class RuledSpace:
    """Blank ruled lines for what is written by hand (the closing confirmation of a 笔录): at
    least ``lines`` of them, the PDF filling the rest of the page."""

    lines: int
    kind: Literal["ruled_space"] = "ruled_space"


@dataclass(frozen=True)
class StruckOut:
    """The end of what a record holds: 以下空白 after its last line (and after the lines kept for
    the handwritten confirmation), the PDF striking the unused rest of the page with a diagonal,
    so nothing can be written in after it is signed."""

    text: str = STRUCK_OUT
    kind: Literal["struck_out"] = "struck_out"


Block = (
    Paragraph
    | Lines
    | Numbered
    | Table
    | Box
    | Signatures
    | Seal
    | Heading
    | PageBreak
    | Dialogue
    | RuledSpace
    | StruckOut
)


@dataclass(frozen=True)
class Sheet:
    """A whole document ready to draw; ``number`` is ``None`` for drafts and unnumbered types.

    ``fit_page``: a one-page form (审批表) is set a little smaller rather than spill its last row.
    """

    title: str
    code: str | None
    number: str | None
    blocks: tuple[Block, ...]
    continues: bool = False
    footnote: str = ""
    fit_page: bool = False
    banner: str = BANNER
    version: int = SHEET_VERSION
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def repeated(self) -> Signatures | None:
        """The signature block drawn at the foot of every page, if the type continues."""
        return next(
            (b for b in self.blocks if isinstance(b, Signatures) and b.repeat),
            None,
        )


def split_lines(runs: tuple[Run, ...]) -> list[tuple[Run, ...]]:
    """Runs cut at the line breaks typed into values: each piece prints as its own paragraph."""
    pieces: list[list[Run]] = [[]]
    for run in runs:
        first, *rest = run.text.split("\n")
        if first:
            pieces[-1].append(Run(first, run.kind))
        for text in rest:
            pieces.append([Run(text, run.kind)] if text else [])
    return [tuple(piece) for piece in pieces]


def sheet_to_json(sheet: Sheet) -> dict[str, Any]:
    """The sheet as plain JSON data (the frozen snapshot of an issued document)."""
    return asdict(sheet)


def sheet_from_json(data: dict[str, Any]) -> Sheet:
    """Rebuild a sheet stored by :func:`sheet_to_json`."""
    blocks = tuple(_block_from_json(block) for block in data["blocks"])
    return Sheet(
        title=data["title"],
        code=data["code"],
        number=data["number"],
        blocks=blocks,
        continues=data["continues"],
        footnote=data["footnote"],
        fit_page=bool(data.get("fit_page", False)),
        banner=data["banner"],
        version=data["version"],
        meta=dict(data.get("meta", {})),
    )


def fingerprint(sheet: Sheet) -> str:
    """SHA-256 of the canonical JSON of the sheet: the same content always gives the same hash."""
    canonical = json.dumps(sheet_to_json(sheet), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def sheet_text(sheet: Sheet) -> str:
    """Every printed text of the sheet, for search and for tests that check filled values."""
    parts = [sheet.banner, sheet.title, sheet.number or ""]
    for block in sheet.blocks:
        parts.extend(_block_texts(block))
    parts.append(sheet.footnote)
    return "\n".join(part for part in parts if part)


def _block_texts(block: Block) -> list[str]:
    if isinstance(block, Paragraph):
        return [_runs_text(block.runs)]
    if isinstance(block, Lines):
        return [f"{e.label}：{e.value}" for row in block.rows for e in row]
    if isinstance(block, Numbered):
        return list(block.items)
    if isinstance(block, Table):
        return [*block.headers, *(cell for row in block.rows for cell in row)]
    if isinstance(block, Box):
        return [_cell_text(cell) for row in block.rows for cell in row]
    if isinstance(block, Signatures):
        return [f"{line.label}{_runs_text(line.after)}" for line in block.lines]
    if isinstance(block, Heading | StruckOut):
        return [block.text]
    if isinstance(block, PageBreak | RuledSpace):
        return []
    if isinstance(block, Dialogue):
        return [part for part in (block.label, *_turn_texts(block)) if part]
    return [block.text, block.date]


def _turn_texts(block: Dialogue) -> list[str]:
    """Each turn as printed: ``问：…`` / ``答：…``."""
    return [f"{speaker}：{text}" for speaker, text in block.turns]


def _cell_text(cell: Cell) -> str:
    signs = " ".join(f"{s.label}{_runs_text(s.after)}" for s in cell.signs)
    return f"{cell.label} {_runs_text(cell.runs)} {signs} {cell.date or ''}"


def _runs_text(runs: tuple[Run, ...]) -> str:
    return "".join(run.text for run in runs)


def _runs(data: list[dict[str, Any]]) -> tuple[Run, ...]:
    return tuple(Run(run["text"], run["kind"]) for run in data)


def _signs(data: list[dict[str, Any]]) -> tuple[SignLine, ...]:
    return tuple(SignLine(sign["label"], _runs(sign["after"])) for sign in data)


def _block_from_json(data: dict[str, Any]) -> Block:
    kind = data["kind"]
    if kind == "paragraph":
        return Paragraph(_runs(data["runs"]), data["indent"], data["align"])
    if kind == "lines":
        entries = tuple(
            tuple(Entry(e["label"], e["value"], e["share"]) for e in r) for r in data["rows"]
        )
        return Lines(entries)
    if kind == "numbered":
        return Numbered(tuple(data["items"]), data["minimum"])
    if kind == "table":
        cells = tuple(tuple(row) for row in data["rows"])
        return Table(tuple(data["headers"]), tuple(data["widths"]), cells, data["minimum"])
    if kind == "box":
        return Box(tuple(tuple(_cell(cell) for cell in row) for row in data["rows"]))
    if kind == "signatures":
        return Signatures(_signs(data["lines"]), data["repeat"])
    if kind == "heading":
        return Heading(data["text"])
    if kind == "page_break":
        return PageBreak()
    if kind == "dialogue":
        turns = tuple((str(speaker), str(text)) for speaker, text in data["turns"])
        return Dialogue(data["label"], turns)
    if kind == "ruled_space":
        return RuledSpace(data["lines"])
    if kind == "struck_out":
        return StruckOut(data["text"])
    return Seal(data["text"], data["date"])


def _cell(data: dict[str, Any]) -> Cell:
    return Cell(
        data["label"], _runs(data["runs"]), _signs(data["signs"]), data["date"], data["lines"]
    )

"""The typefaces of printed documents, embedded as TrueType, with per-character fallback.

Each role (宋体, 仿宋, 黑体, 楷体) takes the Windows system face when the laptop has it and the
bundled open-licence font otherwise (``resources/fonts``; no 仿宋 is bundled, so 仿宋 falls back
to the bundled 宋体). reportlab embeds only TrueType outlines and has no font fallback of its
own, so characters the role's face lacks (生僻字 such as 𠀋) are switched to the first face
that has them.

Importing this module also sets reportlab's one process-wide output option we depend on:
streams are written binary, not ASCII85. The reportlab wheel has no rl_accel C extension, so
ASCII85 runs in pure Python: a 案卷 of 60 photos took about 4 s longer and came out a fifth
larger. Every renderer draws with these faces, so every PDF we write is made after this line.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from fuanjian_desktop.resources import resource_path

rl_config.useA85 = 0

# role → (Word face name, Windows file and sub-font, bundled file)
ROLES: dict[str, tuple[str, tuple[str, int], str]] = {
    "song": ("宋体", ("simsun.ttc", 0), "ar-pl-uming.ttf"),
    "fang": ("仿宋", ("simfang.ttf", 0), "ar-pl-uming.ttf"),
    "hei": ("黑体", ("simhei.ttf", 0), "wqy-zenhei.ttf"),
    "kai": ("楷体", ("simkai.ttf", 0), "lxgw-wenkai.ttf"),
}
FALLBACK_ORDER = ("kai", "hei", "song")


@dataclass(frozen=True)
class Face:
    """A registered reportlab font: its name and the characters it can draw."""

    name: str
    path: Path
    chars: frozenset[int]


def word_face(role: str) -> str:
    """The face name Word and WPS look up for a role (``w:eastAsia``)."""
    return ROLES[role][0]


def _windows_font(file_name: str) -> Path | None:
    folder = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
    path = folder / file_name
    return path if os.name == "nt" and path.is_file() else None


@functools.cache
def face(role: str) -> Face:
    """The registered face of a role (registered once per process).

    A system font reportlab cannot use (CFF outlines, embedding forbidden, a damaged file)
    gives way to the bundled one: a document must print whatever the laptop has installed.
    """
    _word, (system_file, sub_font), bundled = ROLES[role]
    system = _windows_font(system_file)
    if system is not None:
        try:
            return _register(system, sub_font)
        except TTFError:
            pass
    return _register(resource_path("fonts", bundled), 0)


@functools.cache
def _register(path: Path, sub_font: int) -> Face:
    name = f"FAJ-{path.stem}-{sub_font}"
    font = TTFont(name, str(path), subfontIndex=sub_font)
    pdfmetrics.registerFont(font)
    return Face(name, path, frozenset(font.face.charToGlyph))


def markup(text: str, role: str) -> str:
    """``text`` escaped for a reportlab paragraph, missing characters switched to another face.

    Ideographic spaces (the room left in ``年　月　日``) become as many no-break spaces as
    fill the same width: reportlab collapses other white space.
    """
    return _faces_markup(text, role).replace("\u3000", _ideographic_space(role))


@functools.cache
def _ideographic_space(role: str) -> str:
    registered = face(role)
    wide = float(pdfmetrics.stringWidth("\u3000", registered.name, 10))
    narrow = float(pdfmetrics.stringWidth("\u00a0", registered.name, 10))
    return "\u00a0" * max(1, round(wide / narrow))


def _faces_markup(text: str, role: str) -> str:
    primary = face(role)
    if all(ord(char) in primary.chars for char in text):
        return escape(text)
    pieces: list[str] = []
    for char in text:
        code = ord(char)
        if code in primary.chars or char.isspace():
            pieces.append(escape(char))
            continue
        other = next((face(r) for r in FALLBACK_ORDER if code in face(r).chars), None)
        pieces.append(f'<font name="{other.name}">{escape(char)}</font>' if other else escape(char))
    return "".join(pieces)

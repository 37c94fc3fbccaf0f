"""Build the subset Chinese fonts bundled in ``resources/fonts/``.

Why this script exists
----------------------
FuAnJian Desktop must render Chinese in its Qt UI and in the PDFs it writes with
reportlab on machines that have no Chinese system font at all.  We therefore ship
three fonts with the application, one per traditional typeface role of Chinese
official documents:

* 黑体 (sans, also the UI font) -- WenQuanYi Zen Hei,
* 宋体 (serif/Ming)            -- AR PL UMing CN,
* 楷体 (brush/Kai)             -- LXGW WenKai (renamed, see below).

The Debian packages that provide them are large and partly unusable as-is:
``.ttc`` collections hold several faces, AR PL UMing carries megabytes of
embedded bitmaps, and reportlab only embeds TrueType ``glyf`` outlines (no CFF,
no collections).  This script takes face 0 of each source and writes a
single-face TrueType file that

* keeps every code point the source maps in the blocks an inspection record can
  plausibly contain -- in particular *all* CJK ideographs (URO, Extension A,
  compatibility ideographs and whatever Extension B+ the font has), because
  people's and companies' names use rare characters and a missing glyph in an
  enforcement document is unacceptable;
* drops what costs size but buys nothing for us: Hangul, Vietnamese, private
  use, hinting instructions, embedded bitmaps, vertical metrics, glyph names and
  OpenType features that text shaping does not apply by default;
* keeps TrueType ``glyf`` outlines so reportlab can embed the font;
* records, inside each file, how and when it was modified, because the GPL-2
  (WenQuanYi) and the Arphic Public License (UMing) both require that notice;
* renames LXGW WenKai to "FuAnJian WenKai", because "LXGW" and "霞鹜" are
  Reserved Font Names under its SIL OFL 1.1 and a subset is a Modified Version.

It also regenerates the ``LICENSE-*.txt`` files next to the fonts from the
Debian copyright files, so fonts and licences cannot drift apart.

Run it from the repository root on a Debian/Ubuntu machine that has the
packages ``fonts-wqy-zenhei``, ``fonts-arphic-uming`` and ``fonts-lxgw-wenkai``
installed::

    .venv/bin/python scripts/build_fonts.py

Set ``SOURCE_DATE_EPOCH`` to make the output byte-for-byte reproducible (it
fixes the modification date written into the fonts).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont, newTable

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT_DIR = REPO_ROOT / "resources" / "fonts"

# Windows platform, Unicode BMP encoding, US English: the name records every
# consumer (Qt on all platforms, reportlab, fontconfig) reads.
WIN_PLATFORM, WIN_UNICODE_BMP, WIN_EN_US = 3, 1, 0x0409

# gasp flags for an unhinted font: grayscale + symmetric smoothing at every
# size.  The sources' tables ask for bi-level rendering at small sizes, which
# only looked acceptable with the hinting and bitmaps we remove.
GASP_DOGRAY, GASP_SYMMETRIC_SMOOTHING = 0x0002, 0x0008
UNHINTED_GASP_FLAGS = GASP_DOGRAY | GASP_SYMMETRIC_SMOOTHING

# Code-point ranges to keep (inclusive).  Only code points the source font
# actually maps are kept; a range costs nothing where the font has no glyphs.
KEEP_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0020, 0x007E, "Basic Latin"),
    (0x00A0, 0x00FF, "Latin-1 Supplement"),
    (0x0100, 0x024F, "Latin Extended-A/B (pinyin tone marks)"),
    (0x02B0, 0x02FF, "Spacing Modifier Letters (ˇ ˉ)"),
    (0x0300, 0x036F, "Combining Diacritical Marks (pinyin)"),
    (0x0370, 0x03FF, "Greek (α β μ Ω in units and formulas)"),
    (0x0400, 0x04FF, "Cyrillic (part of GB 2312)"),
    (0x2000, 0x206F, "General Punctuation"),
    (0x2070, 0x209F, "Superscripts and Subscripts"),
    (0x20A0, 0x20CF, "Currency Symbols"),
    (0x2100, 0x214F, "Letterlike Symbols (℃ №)"),
    (0x2150, 0x218F, "Number Forms (Ⅰ Ⅱ ⅓)"),
    (0x2190, 0x21FF, "Arrows"),
    (0x2200, 0x22FF, "Mathematical Operators (≤ ≥ ≠ ∑)"),
    (0x2300, 0x23FF, "Miscellaneous Technical"),
    (0x2460, 0x24FF, "Enclosed Alphanumerics (① ⑴ ⒈)"),
    (0x2500, 0x257F, "Box Drawing"),
    (0x2580, 0x259F, "Block Elements"),
    (0x25A0, 0x25FF, "Geometric Shapes (■ □ ▲ ○ ●)"),
    (0x2600, 0x26FF, "Miscellaneous Symbols (★ ☐)"),
    (0x2700, 0x27BF, "Dingbats (✓ ✗)"),
    (0x2E80, 0x2EFF, "CJK Radicals Supplement"),
    (0x2F00, 0x2FDF, "Kangxi Radicals"),
    (0x2FF0, 0x2FFF, "Ideographic Description Characters"),
    (0x3000, 0x303F, "CJK Symbols and Punctuation (、。〇《》)"),
    (0x3040, 0x30FF, "Hiragana and Katakana (part of GB 2312)"),
    (0x3100, 0x312F, "Bopomofo"),
    (0x31A0, 0x31BF, "Bopomofo Extended"),
    (0x31C0, 0x31EF, "CJK Strokes"),
    (0x3200, 0x32FF, "Enclosed CJK Letters and Months (㈠ ㊣)"),
    (0x3300, 0x33FF, "CJK Compatibility (㎡ ㎏ ㎜)"),
    (0x3400, 0x4DBF, "CJK Unified Ideographs Extension A"),
    (0x4E00, 0x9FFF, "CJK Unified Ideographs"),
    (0xF900, 0xFAFF, "CJK Compatibility Ideographs"),
    (0xFE10, 0xFE1F, "Vertical Forms"),
    (0xFE30, 0xFE4F, "CJK Compatibility Forms (﹏)"),
    (0xFE50, 0xFE6F, "Small Form Variants"),
    (0xFF00, 0xFFEF, "Halfwidth and Fullwidth Forms"),
    (0xFFFD, 0xFFFD, "Replacement Character"),
    (0x20000, 0x3FFFF, "CJK Extension B and later, Compatibility Supplement"),
)

# Ranges counted as "CJK ideographs" in the coverage report.
IDEOGRAPH_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x4E00, 0x9FFF, "URO"),
    (0x3400, 0x4DBF, "Ext A"),
    (0xF900, 0xFAFF, "Compat"),
    (0x20000, 0x3FFFF, "Ext B+"),
)

# Features HarfBuzz (Qt) applies by default to horizontal CJK and Latin text.
# Everything else (vert, frac, dlig, salt, sups, fwid, ...) is opt-in and unused.
LAYOUT_FEATURES = ["ccmp", "locl", "rlig", "calt", "clig", "liga", "rclt", "kern", "mark", "mkmk"]

# Tables dropped in addition to fontTools' defaults (which already drop the
# EBDT/EBLC/EBSC bitmaps): vertical metrics are useless without 'vert', and
# 'BDF '/'FFTM' are FontForge leftovers.
EXTRA_DROP_TABLES = ["vhea", "vmtx", "VORG", "BASE", "BDF", "FFTM"]

# Name IDs that make up a font's identity and must change when it is renamed.
IDENTITY_NAME_IDS = (1, 2, 3, 4, 6, 16, 17, 18, 21, 22, 25)

COMMON_LICENSES = Path("/usr/share/common-licenses")

# Licence name records longer than this are summarised in the LICENSE header.
MAX_INLINE_LICENCE_CHARS = 300

# The QGuiApplication used to ask Qt for family names; kept alive for the run.
_qt_app: object | None = None


@dataclass(frozen=True)
class LicencePart:
    """One text copied into a LICENSE file, with a line saying why it is there."""

    path: Path
    note: str


@dataclass(frozen=True)
class FontSpec:
    """Everything needed to build and document one bundled font."""

    key: str
    source: Path
    font_number: int
    output_name: str
    licence_name: str
    debian_package: str
    role: str
    licence_parts: tuple[LicencePart, ...]
    new_family: str | None = None
    extra_notice: str = ""


def debian_doc(package: str, *parts: str) -> Path:
    """Return a path under a package's /usr/share/doc directory."""
    return Path("/usr/share/doc", package, *parts)


FONTS: tuple[FontSpec, ...] = (
    FontSpec(
        key="wqy-zenhei",
        source=Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
        font_number=0,
        output_name="wqy-zenhei.ttf",
        licence_name="LICENSE-wqy-zenhei.txt",
        debian_package="fonts-wqy-zenhei",
        role="黑体 (UI)",
        licence_parts=(
            LicencePart(
                debian_doc("fonts-wqy-zenhei", "copyright"),
                "Debian copyright file: copyright holders and licence of the font "
                "(GPL-2 with font embedding exception, M+ FONTS License).",
            ),
            LicencePart(
                COMMON_LICENSES / "GPL-2",
                "Full text of the GNU GPL version 2, referenced by the copyright file "
                "above; it is the licence of the font itself.",
            ),
        ),
        extra_notice=(
            " As permitted by the original licence, the font embedding exception is"
            " extended to this modified version: embedding this font or portions of it"
            " in a document does not by itself cause the document to be covered by"
            " the GPL."
        ),
    ),
    FontSpec(
        key="ar-pl-uming",
        source=Path("/usr/share/fonts/truetype/arphic/uming.ttc"),
        font_number=0,
        output_name="ar-pl-uming.ttf",
        licence_name="LICENSE-ar-pl-uming.txt",
        debian_package="fonts-arphic-uming",
        role="宋体",
        licence_parts=(
            LicencePart(
                debian_doc("fonts-arphic-uming", "copyright"),
                "Debian copyright file: authors and the (re-wrapped) Arphic Public "
                "License of the font.",
            ),
            LicencePart(
                debian_doc("fonts-arphic-uming", "license", "english", "ARPHICPL.TXT.gz"),
                "ARPHICPL.TXT, English, unaltered as required by section 1 of the licence.",
            ),
            LicencePart(
                debian_doc("fonts-arphic-uming", "license", "zh_CN.utf-8", "ARPHICPL.txt.gz"),
                "ARPHICPL.TXT, Simplified Chinese translation (文鼎公众授权书), unaltered.",
            ),
            LicencePart(
                COMMON_LICENSES / "GPL-2",
                "GNU GPL version 2, referenced by the copyright file above.  It applies "
                "only to Debian's packaging scripts, NOT to the font.",
            ),
        ),
    ),
    FontSpec(
        key="lxgw-wenkai",
        source=Path("/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf"),
        font_number=-1,
        output_name="lxgw-wenkai.ttf",
        licence_name="LICENSE-lxgw-wenkai.txt",
        debian_package="fonts-lxgw-wenkai",
        role="楷体",
        licence_parts=(
            LicencePart(
                debian_doc("fonts-lxgw-wenkai", "copyright"),
                "Debian copyright file: copyright holders and the SIL Open Font "
                "License 1.1 of the font.",
            ),
            LicencePart(
                COMMON_LICENSES / "GPL-3",
                "GNU GPL version 3, referenced by the copyright file above.  It applies "
                "only to Debian's packaging files (debian/*), NOT to the font.",
            ),
        ),
        new_family="FuAnJian WenKai",
        extra_notice=(
            " Renamed from LXGW WenKai because 'LXGW' and '霞鹜' are Reserved Font"
            " Names under the SIL Open Font License 1.1 and this subset is a"
            " Modified Version."
        ),
    ),
)


@dataclass(frozen=True)
class BuildResult:
    """Figures printed after a font has been built."""

    spec: FontSpec
    source_bytes: int
    output_bytes: int
    source_glyphs: int
    output_glyphs: int
    source_codepoints: int
    output_codepoints: int
    ideographs: dict[str, tuple[int, int]]


def build_date() -> dt.datetime:
    """Return the modification time to record (SOURCE_DATE_EPOCH or now, UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return dt.datetime.now(tz=dt.UTC).replace(microsecond=0)


def package_version(package: str) -> str:
    """Return the installed Debian package version, for the notices and README."""
    try:
        completed = subprocess.run(
            ["dpkg-query", "-W", "-f=${Version}", package],
            check=True,
            capture_output=True,
            text=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return completed.stdout.strip() or "unknown"


def load_font(spec: FontSpec) -> TTFont:
    """Open face ``spec.font_number`` of the source (``-1`` for a plain .ttf)."""
    if not spec.source.is_file():
        sys.exit(f"missing source font {spec.source}; install {spec.debian_package}")
    return TTFont(spec.source, fontNumber=spec.font_number, recalcTimestamp=False)


def in_ranges(codepoint: int, ranges: Iterable[tuple[int, int, str]]) -> bool:
    """Tell whether ``codepoint`` falls into one of the inclusive ``ranges``."""
    return any(start <= codepoint <= end for start, end, _ in ranges)


def count_ideographs(codepoints: Iterable[int]) -> dict[str, int]:
    """Count code points per CJK ideograph block (see IDEOGRAPH_RANGES)."""
    points = list(codepoints)
    return {
        label: sum(1 for cp in points if start <= cp <= end)
        for start, end, label in IDEOGRAPH_RANGES
    }


def subset_options() -> subset.Options:
    """Return the fontTools subsetter options shared by all three fonts."""
    options = subset.Options()
    options.hinting = False  # drop fpgm/prep/cvt and per-glyph instructions
    options.layout_features = list(LAYOUT_FEATURES)
    options.drop_tables = [*options.drop_tables, *EXTRA_DROP_TABLES]
    options.name_IDs = ["*"]  # keep copyright, licence and description records
    options.name_languages = ["*"]  # keep the Chinese names (except when renaming)
    options.name_legacy = False  # Windows records suffice for Qt, fontconfig, reportlab
    options.legacy_cmap = False
    options.notdef_outline = True  # a missing glyph must show a box, not nothing
    options.glyph_names = False  # post format 3: glyph names cost ~0.3-0.5 MB
    options.recalc_bounds = True
    options.prune_unicode_ranges = True
    return options


def english_name(font: TTFont, name_id: int) -> str:
    """Return the Windows English name record ``name_id`` (or an empty string)."""
    record = font["name"].getName(name_id, WIN_PLATFORM, WIN_UNICODE_BMP, WIN_EN_US)
    return record.toUnicode() if record is not None else ""


def set_english_name(font: TTFont, name_id: int, value: str) -> None:
    """Replace every record of ``name_id`` with a single Windows English record."""
    name_table = font["name"]
    name_table.removeNames(nameID=name_id)
    name_table.setName(value, name_id, WIN_PLATFORM, WIN_UNICODE_BMP, WIN_EN_US)


def rename_family(font: TTFont, family: str) -> None:
    """Give the font a new Regular family name in every identity name record."""
    for name_id in IDENTITY_NAME_IDS:
        font["name"].removeNames(nameID=name_id)
    postscript = family.replace(" ", "") + "-Regular"
    set_english_name(font, 1, family)
    set_english_name(font, 2, "Regular")
    set_english_name(font, 4, family)
    set_english_name(font, 6, postscript)


def mark_modified(
    font: TTFont, spec: FontSpec, source_version: str, package: str, when: dt.datetime
) -> None:
    """Write the "how and when modified" notice the GPL-2 and Arphic PL require.

    The notice goes into name ID 10 (Description), which font viewers show, and
    the unique ID (name ID 3) is changed so the subset is never mistaken for the
    original font by a font cache.
    """
    original_full_name = english_name(font, 4)
    if spec.new_family is not None:
        rename_family(font, spec.new_family)
    family = english_name(font, 1)
    day = when.date().isoformat()
    notice = (
        f"Modified on {day} by the FuAnJian Desktop project (scripts/build_fonts.py):"
        f" subset of {original_full_name} {source_version}, face {max(spec.font_number, 0)}"
        f" of {spec.source.name} from Debian package {package}. Kept all CJK ideographs"
        " and the Latin, punctuation and symbol blocks listed in build_fonts.py; removed"
        " Hangul and other unused scripts, hinting instructions, embedded bitmaps,"
        " vertical metrics, glyph names and optional OpenType features."
        f"{spec.extra_notice}"
    )
    set_english_name(font, 10, notice)
    set_english_name(font, 3, f"{family}; {source_version}; FuAnJian subset {day}")

    # Keep head.modified consistent with the notice (and reproducible).
    epoch_1904 = dt.datetime(1904, 1, 1, tzinfo=dt.UTC)
    font["head"].modified = int((when - epoch_1904).total_seconds())


def set_unhinted_gasp(font: TTFont) -> None:
    """Ask for smooth rendering at all sizes, as suits an unhinted font."""
    gasp = newTable("gasp")
    gasp.version = 1
    gasp.gaspRange = {0xFFFF: UNHINTED_GASP_FLAGS}
    font["gasp"] = gasp


def build_font(spec: FontSpec, output_dir: Path, when: dt.datetime) -> BuildResult:
    """Subset one source font into ``output_dir`` and return its figures."""
    font = load_font(spec)
    source_cmap: dict[int, str] = font.getBestCmap()
    source_glyphs = len(font.getGlyphOrder())
    source_version = english_name(font, 5).strip()
    package = f"{spec.debian_package} {package_version(spec.debian_package)}"

    keep = sorted(cp for cp in source_cmap if in_ranges(cp, KEEP_RANGES))
    subsetter = subset.Subsetter(options=subset_options())
    subsetter.populate(unicodes=keep)
    subsetter.subset(font)

    mark_modified(font, spec, source_version, package, when)
    set_unhinted_gasp(font)

    output = output_dir / spec.output_name
    font.save(output, reorderTables=True)

    output_cmap: dict[int, str] = font.getBestCmap()
    before = count_ideographs(source_cmap)
    after = count_ideographs(output_cmap)
    return BuildResult(
        spec=spec,
        source_bytes=spec.source.stat().st_size,
        output_bytes=output.stat().st_size,
        source_glyphs=source_glyphs,
        output_glyphs=len(font.getGlyphOrder()),
        source_codepoints=len(source_cmap),
        output_codepoints=len(output_cmap),
        ideographs={label: (after[label], before[label]) for label in before},
    )


def read_text(path: Path) -> str:
    """Read a UTF-8 text file, transparently un-gzipping ``*.gz``."""
    if not path.is_file():
        sys.exit(f"missing licence file {path}")
    if path.suffix == ".gz":
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            return handle.read()
    return path.read_text(encoding="utf-8")


def write_licence(spec: FontSpec, output_dir: Path, embedded_notice: str) -> Path:
    """Assemble the LICENSE file shipped next to one font.

    The texts are copied verbatim from the Debian package (and from
    /usr/share/common-licenses where the copyright file only refers to a
    licence), each preceded by a header saying what it is and where it came
    from, so the licence shipped with the font is complete.
    """
    rule = "=" * 78
    version = package_version(spec.debian_package)
    sections = [
        f"Licence of resources/fonts/{spec.output_name}\n"
        f"{rule}\n\n"
        f"{spec.output_name} is a modified (subset) version of\n"
        f"{spec.source}\n"
        f"from the Debian package {spec.debian_package} {version}, made by\n"
        "scripts/build_fonts.py.  It is distributed under the same licence as the\n"
        "original font.  The texts below are copied verbatim from the Debian system\n"
        "the font was built on; each is preceded by its path and its purpose.\n\n"
        "Notices embedded in the font (name table, IDs 0, 10, 13 and 14):\n\n"
        f"{embedded_notice}\n"
    ]
    for part in spec.licence_parts:
        sections.append(f"{rule}\n{part.path}\n{part.note}\n{rule}\n\n{read_text(part.path)}")
    text = "\n\n".join(section.rstrip("\n") for section in sections) + "\n"
    output = output_dir / spec.licence_name
    output.write_text(text, encoding="utf-8")
    return output


def embedded_notices(font_path: Path) -> str:
    """Return the copyright, description and licence records of a built font.

    A licence record longer than a short pointer (AR PL UMing embeds the whole
    Arphic Public License) is summarised, since its full text follows anyway.
    """
    font = TTFont(font_path, lazy=True)
    lines: list[str] = []
    for name_id in (0, 10, 13, 14):
        value = english_name(font, name_id).strip()
        if name_id == 13 and len(value) > MAX_INLINE_LICENCE_CHARS:
            value = f"{value.splitlines()[0].strip()} (full text reproduced below)"
        paragraphs = [line.strip() for line in value.splitlines() if line.strip()]
        for index, paragraph in enumerate(paragraphs):
            label = f"[{name_id}] " if index == 0 else ""
            lines += textwrap.wrap(
                paragraph,
                width=78,
                initial_indent=f"  {label:<5}",
                subsequent_indent=" " * 7,
                break_on_hyphens=False,
            )
    font.close()
    return "\n".join(lines)


def qt_family(font_path: Path) -> str:
    """Return the family name Qt reports for ``font_path`` (best effort).

    This is what the application will pass to QFont, so printing it here
    catches naming mistakes at build time rather than as tofu in the UI.
    """
    global _qt_app
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        from PySide6.QtGui import QFontDatabase, QGuiApplication
    except ImportError:
        return "(PySide6 not installed)"
    if QGuiApplication.instance() is None:
        _qt_app = QGuiApplication([])
    font_id = QFontDatabase.addApplicationFont(str(font_path))
    if font_id < 0:
        return "(Qt could not load the font)"
    return ", ".join(QFontDatabase.applicationFontFamilies(font_id))


def mebibytes(size: int) -> str:
    """Format a byte count for the report."""
    return f"{size / 1024 / 1024:.1f} MiB"


def report(result: BuildResult, output_dir: Path) -> None:
    """Print the figures of one built font."""
    spec = result.spec
    path = output_dir / spec.output_name
    print(f"{spec.output_name} ({spec.role})")
    print(f"  source      {spec.source} [face {max(spec.font_number, 0)}]")
    print(f"  size        {mebibytes(result.source_bytes)} -> {mebibytes(result.output_bytes)}")
    print(f"  glyphs      {result.source_glyphs} -> {result.output_glyphs}")
    print(f"  code points {result.source_codepoints} -> {result.output_codepoints}")
    ideographs = ", ".join(
        f"{label} {kept}/{total}" for label, (kept, total) in result.ideographs.items()
    )
    print(f"  ideographs  {ideographs} (kept/source)")
    print(f"  Qt family   {qt_family(path)}")


def parse_args() -> argparse.Namespace:
    """Parse the command line (only the output directory is configurable)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--output-dir",
        type=Path,
        default=DEFAULT_OUTPUT_DIR,
        help=f"directory to write fonts and licences to (default: {DEFAULT_OUTPUT_DIR})",
    )
    return parser.parse_args()


def main() -> None:
    """Build every font and licence file, then print a report."""
    args = parse_args()
    output_dir: Path = args.output_dir
    output_dir.mkdir(parents=True, exist_ok=True)
    when = build_date()
    for spec in FONTS:
        result = build_font(spec, output_dir, when)
        write_licence(spec, output_dir, embedded_notices(output_dir / spec.output_name))
        report(result, output_dir)


if __name__ == "__main__":
    main()

"""Put the first page of every sample beside the same page of the 2016 national template.

``python scripts/compare_templates.py SAMPLES_DIR OUT_DIR [--template PDF] [--every-page]``

SAMPLES_DIR is what ``main.py documents samples`` wrote. For each ``<title>.pdf`` the template
page whose heading is that title is found by its text, both are rasterised with pypdfium2, and
``OUT_DIR/<title>.png`` shows the template on the left and ours on the right, for a reviewer's
eye. Titles the template set does not have (案件调查终结报告) are shown alone.

``--every-page`` also writes ``<title>-<n>.png`` for each later page of a sample, beside the
template's 续页 when the template has one (a 笔录 read page by page).
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pypdfium2
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT.parent / "shared" / "domain" / "templates" / "安全生产行政执法文书式样-2016.pdf"
SCALE = 1.2  # about 86 dpi: enough to read, small enough to look at many


def template_pages(document: pypdfium2.PdfDocument) -> dict[str, int]:
    """Template page index by the document title printed under its banner."""
    pages: dict[str, int] = {}
    for index in range(2, len(document)):
        lines = [
            line.strip()
            for line in document[index].get_textpage().get_text_range().splitlines()
            if line.strip()
        ]
        if len(lines) > 2 and lines[1] == "安全生产行政执法文书":
            pages.setdefault(re.sub(r"\s+", "", lines[2]), index)
    return pages


def first_page(document: pypdfium2.PdfDocument, index: int = 0) -> Image.Image:
    return document[index].render(scale=SCALE).to_pil()


def continuation(document: pypdfium2.PdfDocument, index: int) -> int | None:
    """The template's 续页 following the page at ``index``, if it has one."""
    following = index + 1
    if following >= len(document):
        return None
    text = document[following].get_textpage().get_text_range()
    return following if "续页" in text and "安全生产行政执法文书" not in text else None


def side_by_side(left: Image.Image | None, right: Image.Image) -> Image.Image:
    if left is None:
        return right
    canvas = Image.new(
        "RGB", (left.width + right.width + 20, max(left.height, right.height)), "grey"
    )
    canvas.paste(left, (0, 0))
    canvas.paste(right, (left.width + 20, 0))
    return canvas


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("samples", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--template", type=Path, default=TEMPLATE)
    parser.add_argument("--every-page", action="store_true", help="later pages too, beside 续页")
    args = parser.parse_args()
    template = pypdfium2.PdfDocument(args.template)
    pages = template_pages(template)
    args.out.mkdir(parents=True, exist_ok=True)
    for sample in sorted(args.samples.glob("*.pdf")):
        index = pages.get(sample.stem)
        left = first_page(template, index) if index is not None else None
        ours = pypdfium2.PdfDocument(sample)
        side_by_side(left, first_page(ours)).save(args.out / f"{sample.stem}.png")
        if args.every_page:
            later = continuation(template, index) if index is not None else None
            for number in range(2, len(ours) + 1):
                left = first_page(template, later) if later is not None else None
                side_by_side(left, first_page(ours, number - 1)).save(
                    args.out / f"{sample.stem}-{number}.png"
                )
        print(
            f"{sample.stem}: 式样第 {index + 1} 页"
            if index is not None
            else f"{sample.stem}: 式样无此文书"
        )


if __name__ == "__main__":
    main()

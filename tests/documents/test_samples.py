"""Every document type, as the demo issues it: printed faithfully in PDF and in Word.

The samples are the files ``main.py documents samples`` writes: for each type (and 单位 / 个人
form) the newest issued document of the demo. Each PDF must show its title, its 文号 and every
value the form prints, embed every font and start no line with closing punctuation; each Word
file must hold the same values and name the East Asian face of every run.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from sqlalchemy import select

from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.documents.pdf import SIGN_BLANK
from fuanjian_desktop.documents.sheet import sheet_from_json
from fuanjian_desktop.documents.spec import document_spec, document_specs
from fuanjian_desktop.models import User
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.documents.document_samples import sample_documents, write_samples
from fuanjian_desktop.services.documents.documents import DocumentView, document_view
from tests.conftest import DemoTemplate
from tests.documents.pdf_reading import (
    body_text,
    lines_starting_with_closing,
    pdf_text,
    unembedded_fonts,
)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TITLES = sorted({v.title for spec in document_specs().values() for v in spec.variants})


@dataclass(frozen=True)
class Samples:
    """The written sample files and the document each one shows."""

    folder: Path
    documents: dict[str, DocumentView]


@pytest.fixture(scope="module")
def samples(demo_template: DemoTemplate, tmp_path_factory: pytest.TempPathFactory) -> Samples:
    folder = DataFolder(tmp_path_factory.mktemp("samples-data"))
    database = demo_template.copy_to(folder)
    out = tmp_path_factory.mktemp("samples")
    try:
        write_samples(database, out)
        chosen, missing = sample_documents(database)
        assert missing == []
        with database.read() as session:  # the demo's 园岭 inspector, who may read them all
            reader = Actor.of(
                session.scalars(select(User).where(User.username == "zhangwei")).one()
            )
        documents = {
            sample.title: document_view(database, reader, sample.document_id) for sample in chosen
        }
    finally:
        database.close()
    return Samples(out, documents)


def compact(text: str) -> str:
    """Text without white space: lines wrap anywhere, so values are compared unbroken."""
    return re.sub(r"\s+", "", text)


def printed_values(view: DocumentView) -> list[str]:
    """Every non-empty value the document's form prints (list items and table cells apart)."""
    spec = document_spec(view.type_key)
    texts: list[str] = []
    for name in sorted(spec.printed_fields(view.variant)):
        value = view.values.get(name)
        if spec.fields[name].kind == "qa":  # the pairs' ids are not printed
            value = [[pair.get("q"), pair.get("a")] for pair in value or []]
        texts += _texts(value)
    return [text for text in texts if text.strip()]


def furniture(view: DocumentView) -> str:
    """What the sheet prints at the foot of every page: footnote and repeated signatures."""
    assert view.sheet is not None
    sheet = sheet_from_json(view.sheet)
    signatures = sheet.repeated.lines if sheet.repeated else ()
    printed = (
        f"{line.label}：{SIGN_BLANK}{''.join(run.text for run in line.after)}"
        for line in signatures
    )
    return "".join([sheet.footnote, *printed])


def _texts(value: Any) -> list[str]:
    if isinstance(value, list):
        return [text for item in value for text in _texts(item)]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _texts(item)]
    return [str(value)] if value not in (None, "") else []


def docx_xml(path: Path) -> list[etree._Element]:
    """The body, headers and footers of a Word file, parsed."""
    with zipfile.ZipFile(path) as archive:
        names = [
            n
            for n in archive.namelist()
            if re.match(r"word/(document|header\d*|footer\d*)\.xml", n)
        ]
        return [etree.fromstring(archive.read(name)) for name in names]


def test_the_demo_has_a_sample_of_every_type(samples: Samples) -> None:
    assert sorted(samples.documents) == TITLES
    files = sorted(path.name for path in samples.folder.iterdir())
    assert files == sorted(f"{title}{suffix}" for title in TITLES for suffix in (".pdf", ".docx"))


@pytest.mark.parametrize("title", TITLES)
def test_the_pdf_prints_title_number_and_every_value(samples: Samples, title: str) -> None:
    view = samples.documents[title]
    pdf = (samples.folder / f"{title}.pdf").read_bytes()
    whole = compact(pdf_text(pdf))
    text = compact(body_text(pdf, furniture(view)))  # a value broken by a page foot joined
    assert compact(title) in whole
    assert document_spec(view.type_key).numbered == bool(view.number)
    if view.number:
        assert view.number in whole
    values = [compact(value) for value in printed_values(view)]
    assert [value for value in values if value not in text and value not in whole] == []
    assert unembedded_fonts(pdf) == []
    assert lines_starting_with_closing(pdf) == []


@pytest.mark.parametrize("title", TITLES)
def test_the_word_file_holds_every_value_in_chinese_faces(samples: Samples, title: str) -> None:
    view = samples.documents[title]
    parts = docx_xml(samples.folder / f"{title}.docx")
    text = compact("".join(t.text or "" for part in parts for t in part.iter(f"{W}t")))
    missing = [value for value in [title, *printed_values(view)] if compact(value) not in text]
    assert missing == []
    for part in parts:
        for run in part.iter(f"{W}r"):
            if run.find(f"{W}t") is not None:
                fonts = run.find(f"{W}rPr/{W}rFonts")
                assert fonts is not None and fonts.get(f"{W}eastAsia"), title

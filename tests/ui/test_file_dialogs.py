"""File dialogs: the platform's own (never DontUseNativeDialog), parented to the asking window,
opened in the user's 文档 / 图片 folder with the right proposed name."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from ui.documents.export import PDF, WORD, ask_path
from ui.pages.registry_page import RegistryPage
from ui.widgets.photo_strip import PhotoStrip

DOCUMENTS = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation))
PICTURES = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.PicturesLocation)
ORDER = SimpleNamespace(title="责令限期整改指令书", number="（深福）应急责改〔2026〕3号")


class Asked:
    """Records every QFileDialog static call as (function, parent, caption, folder or proposed
    name) and answers with ``answer``, as the user would."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, object, str, str]] = []
        self.answer = ""

    def fake(self, function: str):
        def ask(parent, caption="", directory="", *rest, **options):
            assert not options and len(rest) <= 1, "no options: the platform's own dialog"
            self.calls.append((function, parent, caption, directory))
            return self.answer if function == "getExistingDirectory" else (self.answer, "")

        return staticmethod(ask)


@pytest.fixture
def asked(monkeypatch) -> Asked:
    """QFileDialog's static functions replaced by a recorder for the test."""
    recorder = Asked()
    for function in ("getSaveFileName", "getOpenFileName", "getOpenFileNames"):
        monkeypatch.setattr(QFileDialog, function, recorder.fake(function))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", recorder.fake("getExistingDirectory"))
    return recorder


def test_export_proposes_title_and_number_in_documents(qtbot, asked):
    """导出PDF proposes 标题+文号.pdf in 文档; a name typed without .pdf gets it."""
    asked.answer = "/tmp/责令书"
    parent = QWidget()
    qtbot.addWidget(parent)
    assert ask_path(parent, ORDER, PDF) == Path("/tmp/责令书.pdf")
    assert asked.calls == [
        (
            "getSaveFileName",
            parent,
            "导出PDF",
            str(DOCUMENTS / "责令限期整改指令书（深福）应急责改〔2026〕3号.pdf"),
        )
    ]
    asked.answer = "/tmp/责令书.docx"
    assert ask_path(parent, ORDER, WORD) == Path("/tmp/责令书.docx")


def test_registry_template_and_import_open_in_documents(qtbot, make_context, sign_in, asked):
    """下载导入模板 proposes 企业台账导入模板.xlsx in 文档; the import opens in 文档 too."""
    page = RegistryPage(make_context(sign_in("wangfang")))
    qtbot.addWidget(page)
    page.save_template()
    page.import_workbook()
    assert asked.calls == [
        ("getSaveFileName", page, "保存导入模板", str(DOCUMENTS / "企业台账导入模板.xlsx")),
        ("getOpenFileName", page, "选择要导入的Excel文件", str(DOCUMENTS)),
    ]


def test_photos_are_chosen_from_pictures(qtbot, make_context, inspector, asked):
    """添加照片 and 从文件夹添加 open in 图片, parented to the photo strip."""
    strip = PhotoStrip(make_context(inspector), "本项照片")
    qtbot.addWidget(strip)
    strip.choose_files()
    strip.choose_folder()
    assert asked.calls == [
        ("getOpenFileNames", strip, "选择照片", PICTURES),
        ("getExistingDirectory", strip, "选择照片所在的文件夹", PICTURES),
    ]

"""Printing an issued document whose frozen content was altered in the file: refused, naming it,
and nothing reaches the printer."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from tests.attacker import alter_issued_decision
from ui.documents.printing import PrintJob


def test_printing_an_altered_document_is_refused_by_name(
    qtbot, make_context, sign_in, demo_database, wait_idle
):
    """The 预览打印 job stops with the Chinese refusal naming title and 文号; no page is made."""
    document = alter_issued_decision(demo_database)
    parent = QWidget()
    qtbot.addWidget(parent)
    job = PrintJob(make_context(sign_in("liuyang")), [document.id], parent, preview=True)
    job.start()
    del job  # the job deletes itself on failure; hold no wrapper to a deleted object
    wait_idle()

    (box,) = parent.findChildren(QMessageBox)
    assert box.windowTitle() == "文书未能生成"
    assert box.text().startswith(
        f"《{document.title}》（{document.number}）的内容与签发时记录的指纹不符"
    )
    assert "已拒绝预览、打印和导出" in box.text()
    qtbot.waitUntil(lambda: parent.findChildren(PrintJob) == [])  # gone, no page made
    box.close()

"""Photos are shown from memory: thumbnails decrypted into the strip, the original opened in the
app's own viewer (the store is encrypted; no decrypted file is handed to the system's viewer),
and a missing or damaged file said in Chinese with a placeholder, never a crash."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QMessageBox

from fuanjian_desktop.services.inspections import evidence
from tests.photos import make_detailed_jpeg, make_photo
from ui.widgets.photo_strip import WHOLE_INSPECTION, PhotoStrip


def strip_with_photos(qtbot, make_context, inspector, start_inspection, files) -> PhotoStrip:
    context = make_context(inspector)
    inspection_id = start_inspection()
    evidence.attach_photos(context.database, inspector, inspection_id, WHOLE_INSPECTION, files)
    strip = PhotoStrip(context, "现场照片")
    qtbot.addWidget(strip)
    strip.load(inspection_id)
    strip.show_item(WHOLE_INSPECTION)
    return strip


def test_the_original_opens_in_the_viewer_from_memory(
    qtbot, make_context, inspector, start_inspection, tmp_path: Path
):
    photo = make_detailed_jpeg(tmp_path / "灭火器.jpg", (400, 300))
    strip = strip_with_photos(qtbot, make_context, inspector, start_inspection, [photo])
    entry = strip.thumbnails.item(0)
    assert not entry.icon().isNull()
    assert "双击查看原图" in entry.toolTip() and "无法读取" not in entry.toolTip()
    viewer = strip.open_original(entry)
    assert viewer is not None
    qtbot.waitExposed(viewer)
    assert viewer.windowTitle() == "照片：灭火器.jpg"
    assert viewer.pixmap.size() == QSize(400, 300)
    assert not viewer.picture.pixmap().isNull()
    viewer.reject()


def test_a_damaged_photo_shows_a_placeholder_and_a_chinese_message(
    qtbot, make_context, inspector, start_inspection, demo_database, tmp_path: Path
):
    store_root = demo_database.folder / "evidence"
    photo = make_photo(tmp_path / "门头.jpg")
    context = make_context(inspector)
    inspection_id = start_inspection()
    evidence.attach_photos(context.database, inspector, inspection_id, WHOLE_INSPECTION, [photo])
    for path in store_root.rglob("*.enc"):
        path.write_bytes(path.read_bytes()[:-1])  # every file cut short by one byte
    strip = PhotoStrip(context, "现场照片")
    qtbot.addWidget(strip)
    strip.load(inspection_id)
    strip.show_item(WHOLE_INSPECTION)
    entry = strip.thumbnails.item(0)
    assert "缩略图无法读取（文件缺失或已损坏）" in entry.toolTip()
    assert not entry.icon().isNull()  # the placeholder
    assert strip.open_original(entry) is None
    (box,) = strip.findChildren(QMessageBox)
    assert box.windowTitle() == "照片无法打开"
    assert "照片“门头.jpg”的文件已损坏或被改动" in box.text()
    box.close()

"""Photo evidence is stored once by SHA-256, carries its EXIF capture time, and refuses junk."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.models import EvidenceFile, InspectionPhoto
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.inspections import evidence
from tests.photos import make_photo


def stored_files(database: Database) -> list[Path]:
    root = evidence.evidence_store(database).root
    return [path for path in root.rglob("*") if path.is_file() and "thumbs" not in path.parts]


def count(database: Database, table: type) -> int:
    with database.read() as session:
        return session.scalar(select(func.count()).select_from(table)) or 0


def test_the_same_photo_twice_is_stored_and_attached_once(
    demo_database: Database, inspector: Actor, start_inspection: Callable[..., str], tmp_path: Path
) -> None:
    inspection_id = start_inspection()
    first = make_photo(tmp_path / "IMG_0001.jpg", taken="2026:11:20 09:30:00")
    copy = tmp_path / "copy" / "IMG_0001 (1).jpg"
    copy.parent.mkdir()
    shutil.copy(first, copy)

    report = evidence.attach_photos(demo_database, inspector, inspection_id, "syn.1", [first, copy])
    assert (report.attached, report.already_attached) == (1, 1)
    assert report.summary == "已添加 1 张照片，1 张此前已添加（未重复保存）"
    again = evidence.attach_photos(demo_database, inspector, inspection_id, "syn.1", [first])
    assert (again.attached, again.already_attached) == (0, 1)
    assert len(stored_files(demo_database)) == 1
    assert count(demo_database, EvidenceFile) == 1


def test_one_photo_on_two_items_is_stored_once_and_linked_twice(
    demo_database: Database, inspector: Actor, start_inspection: Callable[..., str], tmp_path: Path
) -> None:
    inspection_id = start_inspection()
    photo = make_photo(tmp_path / "a.jpg")
    for item_id in ("syn.1", "syn.2"):
        evidence.attach_photos(demo_database, inspector, inspection_id, item_id, [photo])
    assert len(stored_files(demo_database)) == 1
    assert count(demo_database, InspectionPhoto) == 2
    views = evidence.photos_of(demo_database, inspection_id)
    assert {view.item_id for view in views} == {"syn.1", "syn.2"}
    assert all(view.thumbnail.is_file() and view.original.is_file() for view in views)


def test_capture_time_comes_from_exif_in_china_time_unless_an_offset_is_given(
    demo_database: Database, inspector: Actor, start_inspection: Callable[..., str], tmp_path: Path
) -> None:
    inspection_id = start_inspection()
    local = make_photo(tmp_path / "local.jpg", (10, 10, 10), "2026:11:20 09:30:00")
    tokyo = make_photo(tmp_path / "tokyo.jpg", (20, 20, 20), "2026:11:20 09:30:00", "+09:00")
    none = make_photo(tmp_path / "none.jpg", (30, 30, 30))
    evidence.attach_photos(demo_database, inspector, inspection_id, "", [local, tokyo, none])
    times = {
        view.original_name: view.captured_at
        for view in evidence.photos_of(demo_database, inspection_id)
    }
    assert times["local.jpg"] == dt.datetime(2026, 11, 20, 1, 30, tzinfo=dt.UTC)
    assert times["tokyo.jpg"] == dt.datetime(2026, 11, 20, 0, 30, tzinfo=dt.UTC)
    assert times["none.jpg"] is None


def test_non_photos_are_refused_with_reasons_and_the_rest_still_attach(
    demo_database: Database, inspector: Actor, start_inspection: Callable[..., str], tmp_path: Path
) -> None:
    inspection_id = start_inspection()
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"not a jpeg at all")
    text = tmp_path / "notes.txt"
    text.write_text("x")
    good = make_photo(tmp_path / "good.jpg")
    report = evidence.attach_photos(
        demo_database, inspector, inspection_id, "", [broken, text, good]
    )
    assert report.attached == 1
    assert dict(report.refused) == {
        "broken.jpg": "文件不是有效的图片，或已损坏",
        "notes.txt": "只支持 JPG、PNG 格式的照片",
    }


def test_photos_in_a_camera_folder_are_found_recursively(tmp_path: Path) -> None:
    card = tmp_path / "DCIM" / "100CANON"
    card.mkdir(parents=True)
    make_photo(card / "IMG_2.JPG")
    make_photo(card / "IMG_1.jpg")
    (card / "IMG_1.xmp").write_text("sidecar")
    assert [path.name for path in evidence.photos_in_folder(tmp_path)] == ["IMG_1.jpg", "IMG_2.JPG"]

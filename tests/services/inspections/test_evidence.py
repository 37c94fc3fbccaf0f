"""Photo evidence is stored once by SHA-256, sealed, carries its EXIF capture time, and refuses
bad files by name while the rest of the batch goes on; a failed batch leaves no orphan."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.errors import NotFound, UserError
from fuanjian_desktop.models import EvidenceFile, InspectionPhoto
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.inspections import evidence
from fuanjian_desktop.services.unit_of_work import ActionScope
from tests.photos import make_blank_png, make_detailed_jpeg, make_photo, make_png, truncate

NOT_A_PHOTO = "文件内容不是 JPG 或 PNG 图片（按内容判断，与文件名无关），请选择相机或手机拍摄的照片"
DAMAGED = "图片已损坏或不完整（可能没有复制完），无法完整读取，请从相机或手机重新复制后再导入"
TOO_MANY_PIXELS = "图片像素过多（超过 8000 万像素），请缩小尺寸或改用相机的常规尺寸后再导入"
JPEG_START = b"\xff\xd8\xff"


# What the demo copy held before the test (its scans, photos and archived volume): the helpers
# below report only what the test itself added.
_BEFORE: dict[str, Any] = {}


@pytest.fixture(autouse=True)
def demo_evidence_before(demo_database: Database) -> None:
    """Note the demo's own evidence files and rows before each test."""
    _BEFORE["files"] = set(_files(demo_database))
    _BEFORE["rows"] = {
        table: _rows(demo_database, table) for table in (EvidenceFile, InspectionPhoto)
    }


def _files(database: Database) -> list[Path]:
    root = database.folder / "evidence"
    return sorted(path for path in root.rglob("*") if path.is_file())


def _rows(database: Database, table: type) -> int:
    with database.read() as session:
        return session.scalar(select(func.count()).select_from(table)) or 0


def all_files(database: Database) -> list[Path]:
    """The evidence files the test added."""
    return [path for path in _files(database) if path not in _BEFORE["files"]]


def stored_files(database: Database) -> list[Path]:
    return [path for path in all_files(database) if "thumbs" not in path.parts]


def count(database: Database, table: type) -> int:
    """Rows of ``table`` the test added."""
    return _rows(database, table) - _BEFORE["rows"][table]


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
    views = evidence.photos_of(demo_database, inspector, inspection_id)
    assert {view.item_id for view in views} == {"syn.1", "syn.2"}
    assert all(view.thumbnail and view.thumbnail.startswith(JPEG_START) for view in views)


def test_photos_are_sealed_on_disk_and_read_back_in_memory(
    demo_database: Database, inspector: Actor, start_inspection: Callable[..., str], tmp_path: Path
) -> None:
    inspection_id = start_inspection()
    photo = make_detailed_jpeg(tmp_path / "灭火器.jpg")
    data = photo.read_bytes()
    evidence.attach_photos(demo_database, inspector, inspection_id, "", [photo])
    files = all_files(demo_database)
    assert len(files) == 2  # the original and its thumbnail, both sealed
    for path in files:
        assert path.name.endswith(".enc")
        sealed = path.read_bytes()
        assert not sealed.startswith(JPEG_START) and data[1000:1064] not in sealed
    (view,) = evidence.photos_of(demo_database, inspector, inspection_id)
    original = evidence.photo_original(demo_database, inspector, view.id)
    assert hashlib.sha256(original).hexdigest() == hashlib.sha256(data).hexdigest()


def test_a_missing_or_damaged_photo_is_said_in_chinese_and_its_thumbnail_is_none(
    demo_database: Database, inspector: Actor, start_inspection: Callable[..., str], tmp_path: Path
) -> None:
    inspection_id = start_inspection()
    photo = make_photo(tmp_path / "a.jpg")
    evidence.attach_photos(demo_database, inspector, inspection_id, "", [photo])
    (original,) = stored_files(demo_database)
    sealed = bytearray(original.read_bytes())
    sealed[-1] ^= 1
    original.write_bytes(bytes(sealed))
    (thumbnail,) = (path for path in all_files(demo_database) if "thumbs" in path.parts)
    thumbnail.unlink()
    (view,) = evidence.photos_of(demo_database, inspector, inspection_id)
    assert view.thumbnail is None
    with pytest.raises(UserError, match=r"照片“a\.jpg”的文件已损坏或被改动"):
        evidence.photo_original(demo_database, inspector, view.id)
    original.unlink()
    with pytest.raises(UserError, match=r"照片“a\.jpg”的文件不在证据文件夹中"):
        evidence.photo_original(demo_database, inspector, view.id)


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
        for view in evidence.photos_of(demo_database, inspector, inspection_id)
    }
    assert times["local.jpg"] == dt.datetime(2026, 11, 20, 1, 30, tzinfo=dt.UTC)
    assert times["tokyo.jpg"] == dt.datetime(2026, 11, 20, 0, 30, tzinfo=dt.UTC)
    assert times["none.jpg"] is None


def test_a_mixed_batch_attaches_the_good_files_and_names_the_bad_ones(
    demo_database: Database, inspector: Actor, start_inspection: Callable[..., str], tmp_path: Path
) -> None:
    inspection_id = start_inspection()
    text = tmp_path / "broken.jpg"
    text.write_bytes(b"not a jpeg at all")
    notes = tmp_path / "notes.txt"
    notes.write_text("x")
    files = [
        make_photo(tmp_path / "good.jpg"),
        text,
        truncate(make_detailed_jpeg(tmp_path / "cut.jpg"), 0.7),
        make_png(tmp_path / "png named.jpg"),
        make_blank_png(tmp_path / "bomb.png", 20000, 20000),
        notes,
    ]
    report = evidence.attach_photos(demo_database, inspector, inspection_id, "", files)
    assert report.attached == 2
    assert report.refused == [
        ("broken.jpg", NOT_A_PHOTO),
        ("cut.jpg", DAMAGED),
        ("bomb.png", TOO_MANY_PIXELS),
        ("notes.txt", NOT_A_PHOTO),
    ]
    assert report.summary == "已添加 2 张照片，4 个文件未能导入"
    with demo_database.read() as session:
        names = EvidenceFile.original_name.in_(["good.jpg", "png named.jpg"])
        rows = session.execute(
            select(EvidenceFile.original_name, EvidenceFile.extension).where(names)
        )
        extensions = {name: extension for name, extension in rows}
    assert extensions == {"good.jpg": ".jpg", "png named.jpg": ".png"}
    assert count(demo_database, EvidenceFile) == 2
    assert len(stored_files(demo_database)) == 2


def test_a_batch_for_a_missing_inspection_leaves_no_file(
    demo_database: Database, inspector: Actor, tmp_path: Path
) -> None:
    photos = [make_photo(tmp_path / "a.jpg"), make_png(tmp_path / "b.png")]
    with pytest.raises(NotFound):
        evidence.attach_photos(demo_database, inspector, "no-such-inspection", "", photos)
    assert all_files(demo_database) == []


def test_a_failed_transaction_leaves_no_orphan_and_keeps_what_rows_reference(
    demo_database: Database,
    inspector: Actor,
    start_inspection: Callable[..., str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inspection_id = start_inspection()
    earlier = make_photo(tmp_path / "earlier.jpg", (1, 1, 1))
    evidence.attach_photos(demo_database, inspector, inspection_id, "", [earlier])
    kept = all_files(demo_database)
    record = ActionScope.record

    def fail_on_the_last_photo(self: ActionScope, row: Any, summary: str, before: Any) -> Any:
        if summary == "添加照片 new2.jpg":
            raise OperationalError("INSERT", {}, Exception("disk I/O error"))
        return record(self, row, summary, before)

    monkeypatch.setattr(ActionScope, "record", fail_on_the_last_photo)
    batch = [
        earlier,
        make_photo(tmp_path / "new1.jpg", (2, 2, 2)),
        make_png(tmp_path / "new2.jpg"),
    ]
    with pytest.raises(OperationalError):
        evidence.attach_photos(demo_database, inspector, inspection_id, "syn.1", batch)
    assert all_files(demo_database) == kept  # the earlier photo's files, nothing of the batch
    assert count(demo_database, EvidenceFile) == 1


def test_photos_in_a_camera_folder_are_found_recursively(tmp_path: Path) -> None:
    card = tmp_path / "DCIM" / "100CANON"
    card.mkdir(parents=True)
    make_photo(card / "IMG_2.JPG")
    make_photo(card / "IMG_1.jpg")
    (card / "IMG_1.xmp").write_text("sidecar")
    assert [path.name for path in evidence.photos_in_folder(tmp_path)] == ["IMG_1.jpg", "IMG_2.JPG"]


def test_a_database_without_its_key_gets_no_store_and_writes_nothing(
    demo_database: Database, inspector: Actor, start_inspection: Callable[..., str], tmp_path: Path
) -> None:
    inspection_id = start_inspection()
    demo_database.key = None  # as after sign-out or the idle lock, with an import still running
    with pytest.raises(UserError, match="数据已锁定"):
        evidence.attach_photos(
            demo_database, inspector, inspection_id, "", [make_photo(tmp_path / "a.jpg")]
        )
    assert all_files(demo_database) == []

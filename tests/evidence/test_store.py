"""The evidence store: files checked by content and bounded before they are stored, stored
sealed under the plaintext's hash, read back only in memory; legacy folders sealed in place;
the start-up sweep leaves exactly the referenced files."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from PIL import Image

from fuanjian_desktop.evidence.store import EvidenceStore, PhotoRejected
from fuanjian_desktop.security.file_cipher import DamagedCipherFile
from tests.photos import (
    make_blank_png,
    make_detailed_jpeg,
    make_photo,
    make_png,
    truncate,
)

KEY = bytes(range(32))  # the evidence key as DataKey.derive("evidence") gives it: 32 bytes
JPEG_START = b"\xff\xd8\xff"
PNG_START = b"\x89PNG"

# The reasons a user reads (hand-written here, not taken from the code).
NOT_A_PHOTO = "文件内容不是 JPG 或 PNG 图片（按内容判断，与文件名无关），请选择相机或手机拍摄的照片"
DAMAGED = "图片已损坏或不完整（可能没有复制完），无法完整读取，请从相机或手机重新复制后再导入"
TOO_MANY_PIXELS = "图片像素过多（超过 8000 万像素），请缩小尺寸或改用相机的常规尺寸后再导入"
TOO_LARGE = "文件超过 50 MB，不像一张照片，请确认选择的文件"


@pytest.fixture
def store(tmp_path: Path) -> EvidenceStore:
    return EvidenceStore(tmp_path / "evidence", KEY)


def files_under(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())


def test_a_photo_is_stored_sealed_and_named_by_its_plaintext_hash(
    store: EvidenceStore, tmp_path: Path
) -> None:
    source = make_photo(tmp_path / "IMG_0001.jpg", taken="2026:11:20 09:30:00")
    data = source.read_bytes()
    facts = store.add_photo(source).facts
    sha = hashlib.sha256(data).hexdigest()
    assert (facts.sha256, facts.extension, facts.size_bytes) == (sha, ".jpg", len(data))
    assert [p.relative_to(store.root).as_posix() for p in files_under(store.root)] == sorted(
        [f"{sha[:2]}/{sha}.jpg.enc", f"thumbs/{sha}.jpg.enc"]
    )
    for path in files_under(store.root):
        sealed = path.read_bytes()
        assert not sealed.startswith(JPEG_START) and data[-64:] not in sealed
        assert path.stat().st_mode & 0o777 == 0o600
    for folder in [store.root, *(path for path in store.root.rglob("*") if path.is_dir())]:
        assert folder.stat().st_mode & 0o777 == 0o700
    assert store.read_original(sha, ".jpg") == data
    assert b"".join(store.original_chunks(sha, ".jpg")) == data
    with Image.open(io.BytesIO(store.read_thumbnail(sha))) as thumbnail:
        assert thumbnail.format == "JPEG" and thumbnail.size == (64, 48)


def test_the_same_photo_twice_is_stored_once(store: EvidenceStore, tmp_path: Path) -> None:
    source = make_photo(tmp_path / "a.jpg")
    assert store.add_photo(source).created
    before = files_under(store.root)
    assert not store.add_photo(source).created
    assert files_under(store.root) == before


def test_importing_the_original_again_repairs_a_damaged_or_missing_copy(
    store: EvidenceStore, tmp_path: Path
) -> None:
    source = make_photo(tmp_path / "a.jpg")
    facts = store.add_photo(source).facts
    original, thumbnail = store.path_of(facts.sha256, ".jpg"), store.thumbnail_of(facts.sha256)
    original.write_bytes(original.read_bytes()[:-1])
    thumbnail.unlink()
    assert store.add_photo(source).created
    assert store.read_original(facts.sha256, ".jpg") == source.read_bytes()
    assert store.read_thumbnail(facts.sha256).startswith(JPEG_START)
    original.unlink()
    assert store.add_photo(source).created
    assert store.read_original(facts.sha256, ".jpg") == source.read_bytes()


def test_a_png_named_jpg_is_stored_as_png(store: EvidenceStore, tmp_path: Path) -> None:
    facts = store.add_photo(make_png(tmp_path / "门头.jpg")).facts
    assert facts.extension == ".png"
    assert store.path_of(facts.sha256, ".png").name == f"{facts.sha256}.png.enc"
    assert store.read_original(facts.sha256, ".png").startswith(PNG_START)


def test_a_jpeg_named_png_is_stored_as_jpg(store: EvidenceStore, tmp_path: Path) -> None:
    assert store.add_photo(make_photo(tmp_path / "x.PNG")).facts.extension == ".jpg"


def rejected(store: EvidenceStore, source: Path) -> str:
    with pytest.raises(PhotoRejected) as refusal:
        store.add_photo(source)
    assert files_under(store.root) == []  # nothing of a refused file is stored
    return refusal.value.reason


def test_a_text_file_named_jpg_is_refused(store: EvidenceStore, tmp_path: Path) -> None:
    text = tmp_path / "现场.jpg"
    text.write_text("不是照片", encoding="utf-8")
    assert rejected(store, text) == NOT_A_PHOTO


def test_another_image_format_is_refused_by_content(store: EvidenceStore, tmp_path: Path) -> None:
    gif = tmp_path / "动图.jpg"
    Image.new("P", (10, 10)).save(gif, "GIF")
    assert rejected(store, gif) == NOT_A_PHOTO


@pytest.mark.parametrize("keep", [0.5, 0.9, 0.99])
def test_a_truncated_jpeg_is_refused(store: EvidenceStore, tmp_path: Path, keep: float) -> None:
    cut = truncate(make_detailed_jpeg(tmp_path / "IMG_0002.jpg"), keep)
    with Image.open(cut) as image:
        image.verify()  # the header check alone lets it through: the whole image must decode
    assert rejected(store, cut) == DAMAGED


def test_a_truncated_png_is_refused(store: EvidenceStore, tmp_path: Path) -> None:
    source = tmp_path / "cut.png"
    Image.frombytes("RGB", (200, 200), bytes(range(256)) * 468 + bytes(192)).save(source)
    assert rejected(store, truncate(source, 0.6)) == DAMAGED


def test_a_20000_by_20000_png_is_refused_without_decoding(
    store: EvidenceStore, tmp_path: Path
) -> None:
    bomb = make_blank_png(tmp_path / "bomb.png", 20000, 20000)
    assert bomb.stat().st_size < 3 * 1024 * 1024  # small on disk, 400 million pixels inside
    assert rejected(store, bomb) == TOO_MANY_PIXELS


def test_over_80_million_pixels_is_refused_below_pillows_own_limit(
    store: EvidenceStore, tmp_path: Path
) -> None:
    # 9000 × 9000 = 81 million: more than our limit, less than Pillow's warning (89 million)
    assert rejected(store, make_blank_png(tmp_path / "big.png", 9000, 9000)) == TOO_MANY_PIXELS


def test_a_file_over_50_mb_is_refused_unread(store: EvidenceStore, tmp_path: Path) -> None:
    huge = tmp_path / "video.jpg"
    with huge.open("wb") as file:
        file.truncate(50 * 1024 * 1024 + 1)
    assert rejected(store, huge) == TOO_LARGE


def test_a_missing_file_is_refused_in_chinese(store: EvidenceStore, tmp_path: Path) -> None:
    assert rejected(store, tmp_path / "gone.jpg") == (
        "无法读取文件：文件不存在（可能已被移走、改名，或存储卡已拔出），请重新选择"
    )


def test_a_folder_is_refused_in_chinese(store: EvidenceStore, tmp_path: Path) -> None:
    (tmp_path / "DCIM").mkdir()
    assert rejected(store, tmp_path / "DCIM") == (
        "无法读取文件：这是一个文件夹，不是照片，请打开文件夹选择其中的照片"
    )


def test_a_multi_picture_jpeg_from_a_phone_is_stored_as_jpg(
    store: EvidenceStore, tmp_path: Path
) -> None:
    # Phones and cameras that keep a depth map or a second lens's frame write an MPO: a JPEG
    # with extra frames after the first one, opened by every viewer as that first frame.
    source = tmp_path / "IMG_0003.jpg"
    first, depth = Image.new("RGB", (64, 48), (200, 30, 30)), Image.new("RGB", (64, 48))
    first.save(source, "MPO", save_all=True, append_images=[depth])
    with Image.open(source) as image:
        assert image.format == "MPO"  # what Pillow calls it: the case being tested
    facts = store.add_photo(source).facts
    assert (facts.extension, facts.width, facts.height) == (".jpg", 64, 48)
    assert store.read_original(facts.sha256, ".jpg") == source.read_bytes()


@pytest.mark.parametrize("key", [KEY, None], ids=["sealed", "legacy-plaintext"])
def test_two_photos_files_swapped_without_the_key_are_refused(
    tmp_path: Path, key: bytes | None
) -> None:
    # Renaming needs no key: each sealed file still authenticates, under the other's name.
    store = EvidenceStore(tmp_path / "evidence", key)
    red = store.add_photo(make_photo(tmp_path / "red.jpg", (200, 0, 0))).facts
    blue = store.add_photo(make_photo(tmp_path / "blue.jpg", (0, 0, 200))).facts
    red_file, blue_file = store.path_of(red.sha256, ".jpg"), store.path_of(blue.sha256, ".jpg")
    red_bytes = red_file.read_bytes()
    red_file.write_bytes(blue_file.read_bytes())
    blue_file.write_bytes(red_bytes)
    for facts in (red, blue):
        with pytest.raises(DamagedCipherFile, match="被调换或改动过"):
            store.read_original(facts.sha256, ".jpg")
        with pytest.raises(DamagedCipherFile, match="被调换或改动过"):
            b"".join(store.original_chunks(facts.sha256, ".jpg"))


def test_a_store_with_another_key_cannot_read_the_photos(
    store: EvidenceStore, tmp_path: Path
) -> None:
    facts = store.add_photo(make_photo(tmp_path / "a.jpg")).facts
    stranger = EvidenceStore(store.root, bytes(32))
    with pytest.raises(DamagedCipherFile):
        stranger.read_original(facts.sha256, facts.extension)
    with pytest.raises(DamagedCipherFile):
        stranger.read_thumbnail(facts.sha256)


def test_the_sweep_keeps_exactly_the_referenced_files(store: EvidenceStore, tmp_path: Path) -> None:
    kept = store.add_photo(make_photo(tmp_path / "kept.jpg", (1, 2, 3))).facts
    orphan = store.add_photo(make_photo(tmp_path / "orphan.jpg", (200, 2, 3))).facts
    interrupted = store.root / kept.sha256[:2] / f".{orphan.sha256}.jpg.enc.1a2b3c4d.part"
    interrupted.write_bytes(b"half a file")
    assert store.stored() == {kept.sha256, orphan.sha256}
    assert store.sweep({kept.sha256}) == 3  # the orphan, its thumbnail, the .part file
    assert store.stored() == {kept.sha256}
    assert store.holds(kept.sha256, ".jpg") and not store.holds(orphan.sha256, ".jpg")
    assert store.sweep({kept.sha256}) == 0


def test_a_legacy_plaintext_folder_is_sealed_in_place(tmp_path: Path) -> None:
    root = tmp_path / "evidence"
    legacy = EvidenceStore(root, None)
    photos = [make_photo(tmp_path / "a.jpg", (9, 9, 9)), make_png(tmp_path / "b.png")]
    facts = [legacy.add_photo(photo).facts for photo in photos]
    assert files_under(root)[0].read_bytes()[:3] in (JPEG_START, PNG_START[:3])
    (root / "thumbs" / "tmpab12.part").write_bytes(b"left by a crash")

    sealing = EvidenceStore(root, KEY).encrypt_legacy_files()
    assert (sealing.files, sealing.mismatched) == (4, ())
    sealed = EvidenceStore(root, KEY)
    assert all(path.name.endswith(".enc") for path in files_under(root))
    assert len(files_under(root)) == 4
    for photo, fact in zip(photos, facts, strict=True):
        assert sealed.read_original(fact.sha256, fact.extension) == photo.read_bytes()
        assert sealed.read_thumbnail(fact.sha256).startswith(JPEG_START)
    assert sealed.encrypt_legacy_files().files == 0  # again (e.g. after a crash): nothing left


def test_sealing_a_legacy_folder_makes_its_folders_user_only(tmp_path: Path) -> None:
    root = tmp_path / "evidence"
    EvidenceStore(root, None).add_photo(make_photo(tmp_path / "a.jpg"))
    folders = [root, *(path for path in root.rglob("*") if path.is_dir())]
    for folder in folders:
        folder.chmod(0o755)  # as an older version's umask left them
    EvidenceStore(root, KEY).encrypt_legacy_files()
    assert len(folders) == 3  # evidence/, its hash shard, thumbs/
    assert {folder.stat().st_mode & 0o777 for folder in folders} == {0o700}


def test_sealing_a_legacy_folder_names_a_file_whose_content_does_not_match_its_name(
    tmp_path: Path,
) -> None:
    legacy = EvidenceStore(tmp_path / "evidence", None)
    facts = legacy.add_photo(make_photo(tmp_path / "a.jpg")).facts
    original = legacy.path_of(facts.sha256, ".jpg")
    original.write_bytes(original.read_bytes() + b"altered")
    sealing = EvidenceStore(tmp_path / "evidence", KEY).encrypt_legacy_files()
    assert sealing.mismatched == (original.name,)
    assert not original.exists()  # sealed all the same: no plaintext left


def test_sealing_needs_a_key(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        EvidenceStore(tmp_path, None).encrypt_legacy_files()

"""The evidence store's intake of scans of signed paper originals (PDF or page images, checked
by content, pages counted) and of audio-video records (any size, streamed, sealed, stored once
by SHA-256)."""

from __future__ import annotations

import hashlib
import io
import os
import tracemalloc
from pathlib import Path

import pytest
from pypdf import PdfWriter

from fuanjian_desktop.evidence.store import (
    EvidenceStore,
    MediaRejected,
    ScanRejected,
)
from tests.photos import make_photo, make_png

KEY = bytes(range(32))
A4 = (595.28, 841.89)

# The reasons a user reads (hand-written here, not taken from the code).
NOT_A_SCAN = (
    "文件内容不是 PDF、JPG 或 PNG（按内容判断，与文件名无关），请选择扫描仪或手机扫描得到的文件"
)
DAMAGED_PDF = "PDF 文件已损坏或不完整，无法读取其中的页面，请重新扫描或重新复制后再添加"
ENCRYPTED_PDF = "PDF 文件设有密码或已加密，无法装订进案卷，请扫描时不要加密，或另存为不加密的 PDF"
NO_PAGES = "PDF 文件中没有任何页面，请确认选择的文件"
SCAN_TOO_LARGE = (
    "文件超过 100 MB，不像扫描件，请把扫描分辨率调到 300 dpi 左右或分成几个文件后再添加"
)
NOT_MEDIA = (
    "文件内容不是常见的视频或音频格式（支持 MP4、MOV、AVI、MKV、MP3、WAV、M4A、AMR 等，"
    "按内容判断，与文件名无关），请选择执法记录仪或录音设备导出的原始文件"
)
EMPTY_MEDIA = "文件是空的（0 字节），可能没有复制完，请从执法记录仪重新导出后再导入"


@pytest.fixture
def store(tmp_path: Path) -> EvidenceStore:
    return EvidenceStore(tmp_path / "evidence", KEY)


def make_pdf(path: Path, pages: int, password: str | None = None) -> Path:
    """A PDF of ``pages`` blank A4 pages (optionally encrypted)."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(*A4)
    if password is not None:
        writer.encrypt(password, algorithm="RC4-128")
    with path.open("wb") as sink:
        writer.write(sink)
    return path


def stored_files(store: EvidenceStore) -> list[Path]:
    return sorted(path for path in store.root.rglob("*") if path.is_file())


# --- scans ----------------------------------------------------------------------------------


def test_a_pdf_scan_is_stored_sealed_with_its_page_count(
    store: EvidenceStore, tmp_path: Path
) -> None:
    source = make_pdf(tmp_path / "scan.bin", 3)  # the name says nothing
    added = store.add_scan_file(source)
    assert added.created
    assert (added.facts.extension, added.facts.page_count) == (".pdf", 3)
    assert added.facts.sha256 == hashlib.sha256(source.read_bytes()).hexdigest()
    assert store.read_original(added.facts.sha256, ".pdf") == source.read_bytes()
    [sealed] = stored_files(store)
    assert sealed.name == f"{added.facts.sha256}.pdf.enc"
    assert b"%PDF" not in sealed.read_bytes()
    assert not store.add_scan_file(source).created  # stored once


def test_an_image_scan_is_one_page_with_a_thumbnail(store: EvidenceStore, tmp_path: Path) -> None:
    added = store.add_scan_file(make_png(tmp_path / "page.jpg", (300, 420)))
    assert (added.facts.extension, added.facts.page_count) == (".png", 1)
    assert (added.facts.width, added.facts.height) == (300, 420)
    assert store.holds(added.facts.sha256, ".png")  # original and thumbnail


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"scanned page, honestly", NOT_A_SCAN),
        (b"%PDF-1.7\n1 0 obj garbage", DAMAGED_PDF),
    ],
)
def test_what_is_not_a_scan_is_refused_and_nothing_stored(
    store: EvidenceStore, tmp_path: Path, content: bytes, reason: str
) -> None:
    source = tmp_path / "scan.pdf"
    source.write_bytes(content)
    with pytest.raises(ScanRejected) as refused:
        store.add_scan_file(source)
    assert refused.value.reason == reason
    assert stored_files(store) == []


def test_an_encrypted_or_empty_pdf_is_refused(store: EvidenceStore, tmp_path: Path) -> None:
    with pytest.raises(ScanRejected) as refused:
        store.add_scan_file(make_pdf(tmp_path / "locked.pdf", 2, password="secret"))
    assert refused.value.reason == ENCRYPTED_PDF
    with pytest.raises(ScanRejected) as refused:
        store.add_scan_file(make_pdf(tmp_path / "empty.pdf", 0))
    assert refused.value.reason == NO_PAGES
    assert stored_files(store) == []


def test_a_huge_file_is_refused_before_it_is_read(store: EvidenceStore, tmp_path: Path) -> None:
    source = tmp_path / "huge.pdf"
    with source.open("wb") as sink:
        sink.write(b"%PDF-1.7\n")
        sink.truncate(100 * 1024 * 1024 + 1)  # sparse: nothing to read
    with pytest.raises(ScanRejected) as refused:
        store.add_scan_file(source)
    assert refused.value.reason == SCAN_TOO_LARGE


def test_a_missing_scan_file_is_named_in_chinese(store: EvidenceStore, tmp_path: Path) -> None:
    with pytest.raises(ScanRejected) as refused:
        store.add_scan_file(tmp_path / "gone.pdf")
    assert refused.value.reason.startswith("无法读取文件：文件不存在")


# --- audio-video ----------------------------------------------------------------------------

MP4_HEAD = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"


def make_media(path: Path, head: bytes, size: int) -> Path:
    """``head`` followed by pseudo-random bytes up to ``size`` (a recording's body)."""
    with path.open("wb") as sink:
        sink.write(head)
        left = size - len(head)
        block = hashlib.sha256(head).digest() * 2048  # 64 KiB, not all zero
        while left > 0:
            sink.write(block[:left])
            left -= len(block)
    return path


def test_a_recording_streams_in_sealed_under_its_hash(store: EvidenceStore, tmp_path: Path) -> None:
    source = make_media(tmp_path / "REC0001.MP4", MP4_HEAD, 3 * 1024 * 1024 + 17)
    seen: list[tuple[int, int]] = []
    added = store.add_media_file(source, lambda done, total: seen.append((done, total)))
    content = source.read_bytes()
    assert added.created
    assert (added.sha256, added.extension, added.size_bytes) == (
        hashlib.sha256(content).hexdigest(),
        ".mp4",
        len(content),
    )
    assert seen[-1] == (len(content), len(content))
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert b"".join(store.original_chunks(added.sha256, ".mp4")) == content
    [sealed] = stored_files(store)
    assert sealed.name == f"{added.sha256}.mp4.enc"
    assert content[4096:4160] not in sealed.read_bytes()  # no plaintext on disk
    again = store.add_media_file(source)
    assert not again.created and again.sha256 == added.sha256
    assert stored_files(store) == [sealed]  # once, and no temporary left behind


def test_a_damaged_stored_copy_is_replaced_by_a_new_import(
    store: EvidenceStore, tmp_path: Path
) -> None:
    source = make_media(tmp_path / "a.mp4", MP4_HEAD, 200_000)
    added = store.add_media_file(source)
    [sealed] = stored_files(store)
    sealed.write_bytes(sealed.read_bytes()[:-10])
    assert store.add_media_file(source).created
    assert b"".join(store.original_chunks(added.sha256, ".mp4")) == source.read_bytes()


def test_importing_a_large_recording_holds_a_few_mib_at_most(
    store: EvidenceStore, tmp_path: Path
) -> None:
    source = make_media(tmp_path / "long.mp4", MP4_HEAD, 48 * 1024 * 1024)
    tracemalloc.start()
    try:
        store.add_media_file(source)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024


@pytest.mark.parametrize(
    ("head", "extension"),
    [
        (MP4_HEAD, ".mp4"),
        (b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  ", ".mov"),
        (b"\x00\x00\x00\x1cftypM4A \x00\x00\x00\x00M4A isom", ".m4a"),
        (b"RIFF\x10\x00\x00\x00AVI LIST", ".avi"),
        (b"RIFF\x10\x00\x00\x00WAVEfmt ", ".wav"),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x88matroska", ".mkv"),
        (b"ID3\x04\x00\x00\x00\x00\x00\x00", ".mp3"),
        (b"\xff\xfb\x90\x64\x00", ".mp3"),
        (b"#!AMR\n", ".amr"),
    ],
)
def test_the_container_is_recognised_by_content(
    store: EvidenceStore, tmp_path: Path, head: bytes, extension: str
) -> None:
    source = make_media(tmp_path / "recording.dat", head, 4096)
    assert store.add_media_file(source).extension == extension


@pytest.mark.parametrize(("size", "reason"), [(0, EMPTY_MEDIA), (None, NOT_MEDIA)])
def test_what_is_not_a_recording_is_refused(
    store: EvidenceStore, tmp_path: Path, size: int | None, reason: str
) -> None:
    source = tmp_path / "video.mp4"
    if size == 0:
        source.write_bytes(b"")
    else:
        make_photo(source)  # a photo named .mp4
    with pytest.raises(MediaRejected) as refused:
        store.add_media_file(source)
    assert refused.value.reason == reason
    assert stored_files(store) == []


class PulledCard(io.BufferedReader):
    """A file on a card pulled out after the first few MiB: reading further fails (EIO)."""

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self.tell() > 2 * 1024 * 1024:
            raise OSError(5, os.strerror(5))
        return super().readinto(buffer)


def test_a_recording_that_cannot_be_read_half_way_leaves_nothing(
    store: EvidenceStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = make_media(tmp_path / "card.mp4", MP4_HEAD, 5 * 1024 * 1024)
    monkeypatch.setattr(Path, "open", lambda path, mode="r": PulledCard(io.FileIO(path, "rb")))
    with pytest.raises(MediaRejected) as refused:
        store.add_media_file(source)
    monkeypatch.undo()
    assert refused.value.reason.startswith(
        "读取文件时出错：读取时出错（存储卡或U盘可能已损坏或松动）"
    )
    assert stored_files(store) == []


def test_generated_bytes_are_stored_once(store: EvidenceStore) -> None:
    first = store.add_bytes(b"%PDF-1.7 volume", ".pdf")
    second = store.add_bytes(b"%PDF-1.7 volume", ".pdf")
    assert first.created and not second.created
    assert first.sha256 == hashlib.sha256(b"%PDF-1.7 volume").hexdigest()
    assert store.read_original(first.sha256, ".pdf") == b"%PDF-1.7 volume"

"""Offline packages: signed, complete and in order, or refused with nothing returned."""

from __future__ import annotations

import hashlib
import io
import json
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fuanjian_desktop.errors import UserError
from fuanjian_desktop.sync_protocol import package
from fuanjian_desktop.sync_protocol.package import PackageHeader, PackageRefused

DEVICE_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
OTHER_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33)))
HEADER = PackageHeader("device_to_hq", "01DEVICE", "01SQUAD", 4, "2026-03-01T00:00:00+00:00")
BODY = {"batch": {"batch_key": "01BATCH", "records": [{"table": "squad", "名称": "园岭"}]}}
PHOTO = b"\xff\xd8jpeg bytes" * 1000
VIDEO = b"\x00mp4" * 5000
PHOTO_SHA = hashlib.sha256(PHOTO).hexdigest()
VIDEO_SHA = hashlib.sha256(VIDEO).hexdigest()


def write(path: Path, key: Ed25519PrivateKey = DEVICE_KEY, header: PackageHeader = HEADER) -> Path:
    """A package with a body, one attachment from a file and one from a stream."""
    photo = path.parent / "photo.jpg"
    photo.write_bytes(PHOTO)
    attachments: dict[str, Any] = {PHOTO_SHA: photo, VIDEO_SHA: lambda: io.BytesIO(VIDEO)}
    package.write_package(path, header, BODY, attachments, key)
    return path


def test_round_trip(tmp_path: Path) -> None:
    """What was written reads back: header, body and both attachments' bytes."""
    path = write(tmp_path / "out.fjsync")
    with package.read_package(path, DEVICE_KEY.public_key(), direction="device_to_hq") as opened:
        assert opened.header == HEADER
        assert opened.body == BODY
        assert opened.attachment_names == sorted([PHOTO_SHA, VIDEO_SHA])
        with opened.open_attachment(VIDEO_SHA) as stream:
            assert stream.read() == VIDEO
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".fjsync")] == []


def test_the_key_may_be_chosen_from_the_header(tmp_path: Path) -> None:
    """HQ picks the sending device's key by the header's sender."""
    path = write(tmp_path / "out.fjsync")
    seen: list[str] = []

    def key_of(header: PackageHeader) -> Any:
        seen.append(header.sender)
        return DEVICE_KEY.public_key()

    package.read_package(path, key_of).close()
    assert seen == ["01DEVICE"]


def test_wrong_signer_is_refused(tmp_path: Path) -> None:
    """A package signed by another key is refused, naming the signature."""
    path = write(tmp_path / "out.fjsync", key=OTHER_KEY)
    with pytest.raises(PackageRefused, match="签名不符"):
        package.read_package(path, DEVICE_KEY.public_key())


def rewrite(path: Path, change: Callable[[dict[str, bytes]], None]) -> None:
    """Rewrite the zip with its members changed by ``change`` (name → bytes)."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    change(members)
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def _set_body(members: dict[str, bytes]) -> None:
    members["body.json"] = json.dumps({"batch": {"records": []}}).encode()


def _set_attachment(members: dict[str, bytes]) -> None:
    members[f"attachments/{PHOTO_SHA}"] = b"another photo"


def _drop_attachment(members: dict[str, bytes]) -> None:
    del members[f"attachments/{VIDEO_SHA}"]


def _add_member(members: dict[str, bytes]) -> None:
    members["attachments/" + "0" * 64] = b""


def _resequence(members: dict[str, bytes]) -> None:
    manifest = json.loads(members["manifest.json"])
    manifest["header"]["sequence"] = 5
    from fuanjian_desktop.security.canonical_json import canonical_bytes

    members["manifest.json"] = canonical_bytes(manifest)


def _drop_signature(members: dict[str, bytes]) -> None:
    del members["signature"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_set_body, "内容与签名不符"),
        (_set_attachment, "内容与签名不符"),
        (_drop_attachment, "内容与签名不符"),
        (_add_member, "内容与签名不符"),
        (_resequence, "签名不符"),
        (_drop_signature, "不是完整的同步包"),
    ],
)
def test_tampered_packages_are_refused(
    tmp_path: Path, change: Callable[[dict[str, bytes]], None], message: str
) -> None:
    """Each alteration of a signed package is refused with a Chinese message."""
    path = write(tmp_path / "out.fjsync")
    rewrite(path, change)
    with pytest.raises(PackageRefused, match=message):
        package.read_package(path, DEVICE_KEY.public_key())


def test_flipped_byte_anywhere_is_refused(tmp_path: Path) -> None:
    """A single flipped byte at any of 200 places in the file is refused, never returned."""
    path = write(tmp_path / "out.fjsync")
    original = path.read_bytes()
    for offset in range(0, len(original), max(1, len(original) // 200)):
        damaged = bytearray(original)
        damaged[offset] ^= 0x55
        path.write_bytes(bytes(damaged))
        try:
            opened = package.read_package(path, DEVICE_KEY.public_key())
        except PackageRefused:
            continue
        # a flip in zip bookkeeping that changes no member's bytes is harmless
        with opened:
            assert opened.body == BODY and opened.header == HEADER
            for sha in opened.attachment_names:
                with opened.open_attachment(sha) as stream:
                    assert hashlib.sha256(stream.read()).hexdigest() == sha


@pytest.mark.parametrize("keep", [0, 10, 100, 1000, 20000, -200, -22, -1])
def test_truncated_packages_are_refused(tmp_path: Path, keep: int) -> None:
    """A package cut short anywhere (a copy interrupted) is refused as incomplete."""
    path = write(tmp_path / "out.fjsync")
    data = path.read_bytes()
    path.write_bytes(data[:keep])
    with pytest.raises(PackageRefused, match=r"不是完整的同步包|内容与签名不符"):
        package.read_package(path, DEVICE_KEY.public_key())


def test_other_protocol_or_direction_is_refused(tmp_path: Path) -> None:
    """A package of protocol 2, or going the other way, is refused."""
    newer = PackageHeader("device_to_hq", "01DEVICE", "01SQUAD", 4, "2026-03-01", protocol=2)
    path = write(tmp_path / "new.fjsync", header=newer)
    with pytest.raises(PackageRefused, match="同步协议版本 2"):
        package.read_package(path, DEVICE_KEY.public_key())
    path = write(tmp_path / "out.fjsync")
    with pytest.raises(PackageRefused, match="方向不对"):
        package.read_package(path, DEVICE_KEY.public_key(), direction="hq_to_device")


def test_an_attachment_not_matching_its_hash_writes_nothing(tmp_path: Path) -> None:
    """A stream whose bytes are not its named content stops the writing; no file remains,
    and an existing package of that name is untouched."""
    target = write(tmp_path / "out.fjsync")
    before = target.read_bytes()
    with pytest.raises(UserError, match="SHA-256 不符"):
        package.write_package(
            target, HEADER, BODY, {PHOTO_SHA: lambda: io.BytesIO(b"x")}, DEVICE_KEY
        )
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.fjsync", "photo.jpg"]


def test_attachments_are_streamed_not_loaded(tmp_path: Path) -> None:
    """Writing and verifying a 48 MiB attachment allocates a few MiB at most."""
    big = tmp_path / "video.mp4"
    block = bytes(range(256)) * 4096  # 1 MiB
    digest = hashlib.sha256()
    with big.open("wb") as out:
        for _ in range(48):
            out.write(block)
            digest.update(block)
    sha = digest.hexdigest()
    tracemalloc.start()
    try:
        package.write_package(tmp_path / "big.fjsync", HEADER, {}, {sha: big}, DEVICE_KEY)
        package.read_package(tmp_path / "big.fjsync", DEVICE_KEY.public_key()).close()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024

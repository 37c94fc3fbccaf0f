"""Offline sync packages (``.fjsync``): what a squad without a network link carries on a stick.

A package is a zip file::

    manifest.json          {"format": 1, "header": {...}, "members": {name: {"sha256", "size"}}}
    body.json              the payload (a push batch, or pulled records and a cursor)
    attachments/<sha256>   evidence files named by their content hash
    signature              base64 Ed25519 signature of the manifest's canonical JSON

The signature covers the manifest, and the manifest names the SHA-256 and size of every other
member, so one signature check and one hash per member prove the whole file is what the sender
(a laptop's key one way, HQ's the other) wrote. Reading checks all of it before returning
anything: a truncated, altered or foreign package is refused (:class:`PackageRefused`) and the
caller applies nothing. The header's ``sequence`` orders a sender's packages, so a replayed or
skipped one can be refused by the receiver. Attachments are copied in and hashed in
chunks, never read whole: a 2 GB video fits.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any, BinaryIO, Literal

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from fuanjian_desktop.errors import UserError
from fuanjian_desktop.security.canonical_json import canonical_bytes
from fuanjian_desktop.sync_protocol.keys import b64, unb64
from fuanjian_desktop.sync_protocol.version import PROTOCOL_VERSION

FORMAT = 1
MANIFEST = "manifest.json"
BODY = "body.json"
SIGNATURE = "signature"
ATTACHMENTS = "attachments/"
CHUNK = 1024 * 1024
MAX_MANIFEST_BYTES = 64 * 1024 * 1024  # ~ 400,000 attachments; a damaged entry stays bounded
# what a damaged zip raises on reading (a flipped flag may claim encryption or another method)
_DAMAGED = (
    zipfile.BadZipFile,
    zlib.error,
    OSError,
    EOFError,
    NotImplementedError,
    RuntimeError,
    ValueError,
    KeyError,
)
Direction = Literal["device_to_hq", "hq_to_device"]
DIRECTIONS = ("device_to_hq", "hq_to_device")
AttachmentSource = Path | Callable[[], BinaryIO]

NOT_A_PACKAGE = (
    "“{name}”不是完整的同步包（文件不完整、已损坏或不是 .fjsync 文件），未导入任何数据。"
)
TAMPERED = "同步包“{name}”的内容与签名不符（已被改动或损坏），未导入任何数据。"
WRONG_SIGNER = "同步包“{name}”的签名不符：它不是由预期的一方签发的，或已被改动，未导入任何数据。"


class PackageRefused(UserError):
    """A package that must not be applied; the message says why, in Chinese."""


@dataclass(frozen=True)
class PackageHeader:
    """Who sent a package, for which squad, as the sender's how-manieth, under which protocol."""

    direction: Direction
    sender: str  # device id, or "hq"
    squad_id: str
    sequence: int
    created_at: str
    protocol: int = PROTOCOL_VERSION

    def as_dict(self) -> dict[str, Any]:
        """The header as the manifest stores it."""
        return asdict(self)


@dataclass
class OpenedPackage:
    """A verified package: its header, body and attachments (readable until closed)."""

    header: PackageHeader
    body: dict[str, Any]
    attachment_names: list[str]
    _zip: zipfile.ZipFile = field(repr=False)

    def open_attachment(self, sha256: str) -> IO[bytes]:
        """A stream of one attachment's bytes (already checked against its hash)."""
        if sha256 not in self.attachment_names:
            raise KeyError(sha256)
        return self._zip.open(ATTACHMENTS + sha256)

    def close(self) -> None:
        """Release the file."""
        self._zip.close()

    def __enter__(self) -> OpenedPackage:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


# --- writing -----------------------------------------------------------------------------------


def write_package(
    path: Path,
    header: PackageHeader,
    body: dict[str, Any],
    attachments: Mapping[str, AttachmentSource],
    private_key: Ed25519PrivateKey,
) -> None:
    """Write a signed package to ``path`` atomically (a temporary file renamed at the end).

    ``attachments`` maps each SHA-256 to its file or to a function opening a stream of it (the
    evidence store decrypts as it reads); a stream whose bytes do not hash to its name stops
    the writing (:class:`UserError`) and leaves no file behind.
    """
    path = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=".fjsync-", dir=path.parent)
    os.close(handle)
    try:
        with zipfile.ZipFile(temporary, "w", allowZip64=True) as archive:
            members = {BODY: _write_body(archive, body)}
            for sha256, source in sorted(attachments.items()):
                members[ATTACHMENTS + sha256] = _write_attachment(archive, sha256, source)
            manifest = {"format": FORMAT, "header": header.as_dict(), "members": members}
            encoded = canonical_bytes(manifest)
            archive.writestr(MANIFEST, encoded, zipfile.ZIP_DEFLATED)
            archive.writestr(SIGNATURE, b64(private_key.sign(encoded)))
        with open(temporary, "rb+") as written:
            os.fsync(written.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def _write_body(archive: zipfile.ZipFile, body: dict[str, Any]) -> dict[str, Any]:
    data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    archive.writestr(BODY, data, zipfile.ZIP_DEFLATED)
    return {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}


def _write_attachment(
    archive: zipfile.ZipFile, sha256: str, source: AttachmentSource
) -> dict[str, Any]:
    """Copy one attachment in chunks (stored: photos and videos are compressed already)."""
    digest, size = hashlib.sha256(), 0
    info = zipfile.ZipInfo(ATTACHMENTS + sha256, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_STORED
    with _open_source(source) as stream, archive.open(info, "w", force_zip64=True) as target:
        for chunk in iter(lambda: stream.read(CHUNK), b""):
            digest.update(chunk)
            size += len(chunk)
            target.write(chunk)
    if digest.hexdigest() != sha256:
        raise UserError(f"附件 {sha256[:12]}… 的内容与其 SHA-256 不符，同步包未生成。")
    return {"sha256": sha256, "size": size}


def _open_source(source: AttachmentSource) -> IO[bytes]:
    return source.open("rb") if isinstance(source, Path) else source()


# --- reading -----------------------------------------------------------------------------------


def read_package(
    path: Path,
    public_key: Ed25519PublicKey | Callable[[PackageHeader], Ed25519PublicKey],
    *,
    direction: Direction | None = None,
) -> OpenedPackage:
    """Open and verify a package; nothing of it is returned unless all of it checks out.

    ``public_key`` is the expected signer's key, or a function choosing it from the (as yet
    unverified) header, e.g. the sending device's key at HQ. The caller closes the result.
    """
    path = Path(path)
    try:
        archive = zipfile.ZipFile(path)
    except _DAMAGED as error:
        raise PackageRefused(NOT_A_PACKAGE.format(name=path.name)) from error
    try:
        return _verified(archive, path.name, public_key, direction)
    except BaseException:
        archive.close()
        raise


def _verified(
    archive: zipfile.ZipFile,
    name: str,
    public_key: Ed25519PublicKey | Callable[[PackageHeader], Ed25519PublicKey],
    direction: Direction | None,
) -> OpenedPackage:
    manifest, encoded, signature = _manifest_of(archive, name)
    header = _header_of(manifest, name)
    key = public_key if isinstance(public_key, Ed25519PublicKey) else public_key(header)
    try:
        key.verify(signature, encoded)
    except InvalidSignature as error:
        raise PackageRefused(WRONG_SIGNER.format(name=name)) from error
    if header.protocol != PROTOCOL_VERSION:
        raise PackageRefused(
            f"同步包“{name}”使用同步协议版本 {header.protocol}，本程序为 {PROTOCOL_VERSION}，"
            "请升级版本较旧的一方后再导入，未导入任何数据。"
        )
    if direction is not None and header.direction != direction:
        raise PackageRefused(f"同步包“{name}”的方向不对（{header.direction}），未导入任何数据。")
    members: dict[str, Any] = manifest["members"]
    _check_members(archive, name, members)
    with archive.open(BODY) as stream:
        body = json.load(stream)
    attachments = sorted(member[len(ATTACHMENTS) :] for member in members if member != BODY)
    return OpenedPackage(header, body, attachments, archive)


def _manifest_of(archive: zipfile.ZipFile, name: str) -> tuple[dict[str, Any], bytes, bytes]:
    """(manifest, its exact bytes, the signature) — structure only, not yet trusted."""
    try:
        if archive.getinfo(MANIFEST).file_size > MAX_MANIFEST_BYTES:
            raise ValueError("manifest too large")
        encoded = archive.read(MANIFEST)
        signature = unb64(archive.read(SIGNATURE).decode("ascii"))
        manifest = json.loads(encoded)
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise ValueError("unknown format")
        if canonical_bytes(manifest) != encoded or not isinstance(manifest.get("members"), dict):
            raise ValueError("manifest not canonical")
    except (*_DAMAGED, UnicodeDecodeError, UserError) as error:
        raise PackageRefused(NOT_A_PACKAGE.format(name=name)) from error
    return manifest, encoded, signature


def _header_of(manifest: dict[str, Any], name: str) -> PackageHeader:
    try:
        header = PackageHeader(**manifest["header"])
    except (KeyError, TypeError) as error:
        raise PackageRefused(NOT_A_PACKAGE.format(name=name)) from error
    if header.direction not in DIRECTIONS or not isinstance(header.sequence, int):
        raise PackageRefused(NOT_A_PACKAGE.format(name=name))
    return header


def _check_members(archive: zipfile.ZipFile, name: str, members: dict[str, Any]) -> None:
    """Exactly the listed members, each of its listed size and hash (streamed)."""
    expected = {*members, MANIFEST, SIGNATURE}
    present = set(archive.namelist())
    if present != expected or BODY not in members:
        raise PackageRefused(TAMPERED.format(name=name))
    for member, facts in members.items():
        if not _member_matches(archive, member, facts):
            raise PackageRefused(TAMPERED.format(name=name))


def _member_matches(archive: zipfile.ZipFile, member: str, facts: Mapping[str, Any]) -> bool:
    if archive.getinfo(member).file_size != facts.get("size"):
        return False
    if member.startswith(ATTACHMENTS) and member[len(ATTACHMENTS) :] != facts.get("sha256"):
        return False
    digest = hashlib.sha256()
    try:
        with archive.open(member) as stream:
            for chunk in _chunks(stream):
                digest.update(chunk)
    except _DAMAGED:
        return False
    return digest.hexdigest() == facts.get("sha256")


def _chunks(stream: IO[bytes]) -> Iterator[bytes]:
    return iter(lambda: stream.read(CHUNK), b"")

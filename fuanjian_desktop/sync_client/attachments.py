"""Evidence files to and from HQ by SHA-256, in resumable chunks (a 2 GB video on a flaky link).

Up: HQ names the hashes it lacks; each is read from the sealed store chunk by chunk and sent in
pieces of :data:`PIECE_BYTES` from where HQ says it stands, then completed (HQ checks the hash).
Down: a file the laptop's records name but its store lacks is fetched with ``Range`` from
where the sealed partial download stops (``evidence.store.PartialDownloads``), then moved into
the store with its hash checked. Nothing is in memory beyond one piece, nothing plaintext on disk.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sqlalchemy import select

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.evidence.maintenance import KEY_PURPOSE, store_of
from fuanjian_desktop.evidence.store import EvidenceStore, PartialDownloads
from fuanjian_desktop.models import EvidenceFile
from fuanjian_desktop.security.file_cipher import DamagedCipherFile
from fuanjian_desktop.sync_client.errors import SyncError
from fuanjian_desktop.sync_client.transport import Transport

PIECE_BYTES = 4 * 1024 * 1024  # per PUT and per sealed piece of a download (HQ takes ≤ 8 MiB)
DOWNLOADS_FOLDER = "evidence-downloads"
OCTETS = "application/octet-stream"
UNAVAILABLE = ("not_found", "scope")  # HQ has no such file, or none this squad may see

# called with (bytes done, bytes in all) as pieces go
ByteProgress = Callable[[int, int], None]


@dataclass(frozen=True)
class Attachment:
    """One evidence file named by a record: its hash, extension and size."""

    sha256: str
    extension: str
    size: int


def upload_missing(
    transport: Transport, store: EvidenceStore, files: list[Attachment], progress: ByteProgress
) -> tuple[int, list[str]]:
    """Upload the ``files`` HQ lacks; (bytes sent, hashes this laptop itself lacks)."""
    if not files:
        return 0, []
    answer = transport.json("POST", "/attachments/missing", {"sha256": [f.sha256 for f in files]})
    wanted = set(answer.get("missing", []))
    todo = [item for item in files if item.sha256 in wanted]
    absent = [item.sha256 for item in todo if not store.holds_original(item.sha256, item.extension)]
    total = sum(item.size for item in todo if item.sha256 not in absent)
    sent = 0
    for item in todo:
        if item.sha256 in absent:
            continue
        sent += upload_one(transport, store, item, _offset(progress, sent, total))
    return sent, absent


def upload_one(
    transport: Transport, store: EvidenceStore, item: Attachment, progress: ByteProgress
) -> int:
    """Send one file from where HQ's partial upload stands; the bytes sent this time."""
    path = f"/attachments/{item.sha256}/upload"
    start = int(transport.json("GET", path)["received"])
    received = start
    for offset, piece in _pieces(store.original_chunks(item.sha256, item.extension), start):
        response = transport.send(
            "PUT", path, piece, params={"offset": offset}, content_type=OCTETS, accept=(409,)
        )
        if response.status_code == 409:  # HQ stands elsewhere (another try crossed ours)
            raise SyncError(
                "证据文件上传位置与区局不一致，下次同步将从区局记录的位置继续。", "conflict"
            )
        received = int(response.json()["received"])
        progress(received - start, item.size)
    complete = transport.send(
        "POST", f"/attachments/{item.sha256}/complete", _size_body(item.size), accept=(422,)
    )
    if complete.status_code == 422:
        raise SyncError(
            f"证据文件 {item.sha256[:12]}… 上传后校验不一致，区局已丢弃，下次同步重新上传。",
            "hash_mismatch",
        )
    return received - start


def _pieces(chunks: Iterator[bytes], start: int) -> Iterator[tuple[int, bytes]]:
    """(offset, bytes) pieces of at most :data:`PIECE_BYTES` from ``start`` on."""
    position, buffer = 0, bytearray()
    offset = start
    for chunk in chunks:
        if position + len(chunk) <= start:
            position += len(chunk)
            continue
        buffer += chunk[max(0, start - position) :]
        position += len(chunk)
        while len(buffer) >= PIECE_BYTES:
            yield offset, bytes(buffer[:PIECE_BYTES])
            offset += PIECE_BYTES
            del buffer[:PIECE_BYTES]
    if buffer:
        yield offset, bytes(buffer)


def _offset(progress: ByteProgress, base: int, total: int) -> ByteProgress:
    """A file's own progress reported as part of all files' (``base`` bytes before it)."""

    def report(done: int, _size: int) -> None:
        progress(base + done, total)

    return report


def _size_body(size: int) -> bytes:
    return f'{{"size": {size}}}'.encode()


# --- down -------------------------------------------------------------------------------------


def partial_downloads(database: Database) -> PartialDownloads:
    """The sealed partial downloads beside ``database`` (outside the evidence folder)."""
    if database.key is None:
        raise SyncError("数据已锁定，证据文件无法下载，请重新登录后再同步。", "locked")
    return PartialDownloads(database.folder / DOWNLOADS_FOLDER, database.key.derive(KEY_PURPOSE))


def missing_files(database: Database) -> list[Attachment]:
    """Evidence files the records name that the store does not hold (pulled from elsewhere)."""
    store = store_of(database)
    with database.read() as session:
        rows = session.execute(
            select(EvidenceFile.sha256, EvidenceFile.extension, EvidenceFile.size_bytes)
        ).all()
    return [
        Attachment(sha, extension, size)
        for sha, extension, size in rows
        if not store.holds_original(sha, extension)
    ]


def download_missing(
    transport: Transport, database: Database, progress: ByteProgress
) -> tuple[int, list[str]]:
    """Fetch every missing file; (bytes received, hashes HQ does not have either).

    A file HQ does not hold (its laptop never had it to upload) is passed over, so the others
    still arrive; it is asked for again next round.
    """
    store, partial = store_of(database), partial_downloads(database)
    files = missing_files(database)
    total = sum(item.size for item in files)
    got, unavailable = 0, []
    for item in files:
        try:
            got += download_one(transport, store, partial, item, _offset(progress, got, total))
        except SyncError as error:
            if error.code not in UNAVAILABLE:
                raise
            unavailable.append(item.sha256)
    return got, unavailable


def download_one(
    transport: Transport,
    store: EvidenceStore,
    partial: PartialDownloads,
    item: Attachment,
    progress: ByteProgress,
) -> int:
    """Fetch one file from where its partial download stops; the bytes received this time."""
    start = partial.received(item.sha256)
    headers = {"Range": f"bytes={start}-"} if start else {}
    received = 0
    with transport.stream(f"/attachments/{item.sha256}", headers) as response:
        if response.status_code == 200 and start:  # HQ sent it whole: start again
            partial.discard(item.sha256)
            start = 0
        offset, buffer = start, bytearray()
        try:
            for chunk in response.iter_bytes():
                buffer += chunk
                received += len(chunk)
                if len(buffer) >= PIECE_BYTES:
                    partial.append(item.sha256, offset, bytes(buffer))
                    offset += len(buffer)
                    buffer.clear()
                    progress(offset, item.size)
        finally:  # what arrived before a cut is kept (sealed) for the next try
            if buffer:
                partial.append(item.sha256, offset, bytes(buffer))
    try:
        partial.finish(store, item.sha256, item.extension)
    except DamagedCipherFile as error:
        raise SyncError(
            f"从区局下载的证据文件 {item.sha256[:12]}… 校验不一致，已丢弃，下次同步重新下载。",
            "hash_mismatch",
        ) from error
    progress(item.size, item.size)
    return received

"""HQ's attachment store on its own: resumable appends, the hash check, atomic install, reads."""

from __future__ import annotations

import hashlib
import io
import threading
import time
from pathlib import Path

import pytest

from fuanjian_desktop.errors import NotFound
from fuanjian_desktop.hq import attachments
from fuanjian_desktop.hq.attachments import (
    READ_CHUNK_BYTES,
    AttachmentStore,
    BadHash,
    HashMismatch,
    OffsetMismatch,
    TooLarge,
)

CONTENT = b"photo bytes " * 1000
SHA = hashlib.sha256(CONTENT).hexdigest()


@pytest.fixture
def store(tmp_path: Path) -> AttachmentStore:
    """An empty store under a fresh data folder."""
    return AttachmentStore(tmp_path / "data")


def test_chunks_at_the_received_offset_build_the_file(store: AttachmentStore) -> None:
    """Three chunks, each at the count HQ reported, complete into the file under its hash."""
    assert store.received(SHA) == 0
    assert store.append(SHA, 0, CONTENT[:5000]) == 5000
    assert store.received(SHA) == 5000
    assert store.append(SHA, 5000, CONTENT[5000:9000]) == 9000
    assert store.append(SHA, 9000, CONTENT[9000:]) == len(CONTENT)
    assert not store.holds(SHA)
    assert store.complete(SHA, len(CONTENT)) is True
    assert store.holds(SHA)
    assert store.path(SHA) == store.root / SHA[:2] / SHA
    assert store.path(SHA).read_bytes() == CONTENT
    assert list(store.uploads.iterdir()) == []


def test_a_chunk_at_another_offset_is_refused_with_the_received_count(
    store: AttachmentStore,
) -> None:
    """Resending an acknowledged chunk or skipping ahead writes nothing and names the count."""
    store.append(SHA, 0, CONTENT[:100])
    for wrong in (0, 50, 101):
        with pytest.raises(OffsetMismatch) as refused:
            store.append(SHA, wrong, CONTENT[wrong : wrong + 10])
        assert refused.value.received == 100
    assert store.received(SHA) == 100


def test_content_that_does_not_hash_to_its_name_is_dropped(store: AttachmentStore) -> None:
    """One flipped byte: complete refuses, the partial is gone, the upload starts from 0."""
    damaged = bytearray(CONTENT)
    damaged[1234] ^= 1
    store.append(SHA, 0, bytes(damaged))
    with pytest.raises(HashMismatch):
        store.complete(SHA, len(CONTENT))
    assert not store.holds(SHA)
    assert store.received(SHA) == 0


def test_more_bytes_than_declared_are_dropped(store: AttachmentStore) -> None:
    """A partial longer than the stated size is not the file the laptop means: dropped, even
    when its bytes are the right ones (HQ records the size it was told)."""
    store.append(SHA, 0, CONTENT)
    with pytest.raises(HashMismatch):
        store.complete(SHA, len(CONTENT) - 1)
    assert store.received(SHA) == 0
    assert not store.holds(SHA)


def test_an_unfinished_upload_is_kept_for_resuming(store: AttachmentStore) -> None:
    """Completing too early is a resume point (409), not a loss of what was received."""
    store.append(SHA, 0, CONTENT[:10])
    with pytest.raises(OffsetMismatch) as early:
        store.complete(SHA, len(CONTENT))
    assert early.value.received == 10
    assert store.received(SHA) == 10


def test_a_held_file_takes_nothing_more(store: AttachmentStore) -> None:
    """A second laptop uploading the same photo: no bytes written, completion is a no-op."""
    store.append(SHA, 0, CONTENT)
    store.complete(SHA, len(CONTENT))
    assert store.append(SHA, 0, b"other") == len(CONTENT)
    assert store.complete(SHA, len(CONTENT)) is False
    with pytest.raises(HashMismatch):
        store.complete(SHA, len(CONTENT) + 1)
    assert store.path(SHA).read_bytes() == CONTENT


def test_an_attachment_over_the_limit_is_refused(tmp_path: Path) -> None:
    """One byte over the store's bound is refused before it is written."""
    store = AttachmentStore(tmp_path, max_bytes=len(CONTENT) - 1)
    store.append(SHA, 0, CONTENT[:-1])
    with pytest.raises(TooLarge):
        store.append(SHA, len(CONTENT) - 1, CONTENT[-1:])
    assert store.received(SHA) == len(CONTENT) - 1


def test_put_installs_only_a_matching_stream(store: AttachmentStore) -> None:
    """An offline package's member goes in only when its bytes hash to its name."""
    with pytest.raises(HashMismatch):
        store.put(SHA, io.BytesIO(CONTENT + b"!"))
    assert not store.holds(SHA)
    assert list(store.uploads.iterdir()) == []
    assert store.put(SHA, io.BytesIO(CONTENT)) is True
    assert store.put(SHA, io.BytesIO(CONTENT)) is False
    assert store.path(SHA).read_bytes() == CONTENT


def test_reads_come_in_bounded_chunks_from_any_start(tmp_path: Path) -> None:
    """A range read yields exactly the bytes asked, never a chunk above the read size."""
    big = bytes(range(256)) * (3 * READ_CHUNK_BYTES // 256 + 7)
    digest = hashlib.sha256(big).hexdigest()
    store = AttachmentStore(tmp_path)
    store.put(digest, io.BytesIO(big))
    chunks = list(store.read(digest, 1000, len(big) - 1000))
    assert b"".join(chunks) == big[1000:]
    assert max(len(chunk) for chunk in chunks) == READ_CHUNK_BYTES
    assert b"".join(store.read(digest, 5, 10)) == big[5:15]


@pytest.mark.parametrize("name", ["../../etc/passwd", SHA.upper(), SHA[:-1], SHA + "0", ""])
def test_only_a_lower_case_sha256_names_a_file(store: AttachmentStore, name: str) -> None:
    """Anything but 64 lower-case hex digits is refused before touching the disk."""
    with pytest.raises(BadHash):
        store.received(name)
    with pytest.raises(BadHash):
        store.append(name, 0, b"x")


def test_a_file_hq_lacks_is_not_found(store: AttachmentStore) -> None:
    """Opening or sizing an absent file is a NotFound (404), not a crash."""
    with pytest.raises(NotFound):
        store.size(SHA)
    with pytest.raises(NotFound):
        store.open(SHA)


def test_racing_appends_at_one_offset_write_once(
    store: AttachmentStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Six threads append the same 1 MiB chunk at offset 0 together: one is written, five are
    told the count (the per-hash lock; without it the file would hold several copies). A pause
    between the offset check and the write holds the race window open."""
    make_folder = attachments.make_private_folder

    def make_folder_slowly(path: Path) -> Path:
        time.sleep(0.05)
        return make_folder(path)

    monkeypatch.setattr(attachments, "make_private_folder", make_folder_slowly)
    chunk = bytes(range(256)) * 4096
    digest = hashlib.sha256(chunk).hexdigest()
    barrier = threading.Barrier(6)
    outcomes: list[int | str] = []

    def append() -> None:
        barrier.wait()
        try:
            outcomes.append(store.append(digest, 0, chunk))
        except OffsetMismatch as refused:
            outcomes.append(f"at {refused.received}")

    threads = [threading.Thread(target=append) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(map(str, outcomes)) == [str(len(chunk))] + [f"at {len(chunk)}"] * 5
    assert store.complete(digest, len(chunk)) is True

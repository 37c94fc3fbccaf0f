"""Evidence encryption at scale: a 2 GB video sealed and read back in bounded memory, and the
cost of sealing on a photo import.

``python bench/evidence_cipher.py [--size-mib 2048] [--photos 30]``

1. A sparse file of ``--size-mib`` MiB (a video) is sealed with ``encrypt_file`` and streamed
   back with ``decrypted_chunks``; reported: MB/s each way, the traced Python memory peak
   (tracemalloc) and the process's peak RSS growth, against the file size.
2. ``--photos`` 12-megapixel-like JPEGs (4000×3000 noise, ≈ 9 MB each) are imported into a
   plaintext store and into a sealed one (check, decode, thumbnail, write); reported: median and
   p95 per photo and the ratio sealed / plaintext, then reading a thumbnail back.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for `python bench/...py`

from PIL import Image

from bench.timing import Summary
from fuanjian_desktop.evidence.store import EvidenceStore
from fuanjian_desktop.security import file_cipher

KEY = bytes(range(32))
MIB = 1024 * 1024
LABELS = (("plaintext", None), ("sealed", KEY))


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def large_file(folder: Path, size_mib: int) -> None:
    source = folder / "video.mp4"
    with source.open("wb") as file:
        file.truncate(size_mib * MIB)
        for offset in range(0, size_mib * MIB, 64 * MIB):
            file.seek(offset)
            file.write(random.Random(offset).randbytes(4096))
    target = folder / "video.mp4.enc"
    rss_before = rss_mib()
    tracemalloc.start()
    started = time.perf_counter()
    sha = file_cipher.encrypt_file(KEY, source, target)
    sealed_s = time.perf_counter() - started
    started = time.perf_counter()
    digest = hashlib.sha256()
    for chunk in file_cipher.decrypted_chunks(KEY, target):
        digest.update(chunk)
    read_s = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert digest.hexdigest() == sha, "read back differs"
    mb = size_mib * MIB / 1e6
    print(
        f"{size_mib} MiB file: sealed {sealed_s:.1f} s ({mb / sealed_s:.0f} MB/s), "
        f"read back {read_s:.1f} s ({mb / read_s:.0f} MB/s)"
    )
    print(
        f"  traced peak {peak / MIB:.1f} MiB, peak RSS growth {rss_mib() - rss_before:.1f} MiB "
        f"(file {size_mib} MiB; the two hashes agree)"
    )
    source.unlink()
    target.unlink()


def photos(folder: Path, count: int) -> list[Path]:
    made = []
    for number in range(count):
        path = folder / f"IMG_{number:04d}.jpg"
        noise = random.Random(number).randbytes(4000 * 3000 * 3)
        Image.frombytes("RGB", (4000, 3000), noise).save(path, "JPEG", quality=92)
        made.append(path)
    return made


def import_cost(folder: Path, count: int) -> None:
    sources = photos(folder, count)
    size = sum(path.stat().st_size for path in sources) / count / MIB
    stores = {label: EvidenceStore(folder / f"store-{label}", key) for label, key in LABELS}
    samples: dict[str, list[float]] = {label: [] for label, _ in LABELS}
    for number, path in enumerate(sources):  # alternate which goes first: caches favour neither
        order = list(stores) if number % 2 == 0 else list(reversed(stores))
        for label in order:
            started = time.perf_counter()
            stores[label].add_photo(path)
            samples[label].append((time.perf_counter() - started) * 1000)
    results = {label: Summary.of(samples[label]) for label in stores}
    sha = hashlib.sha256(sources[0].read_bytes()).hexdigest()
    for label, store in stores.items():
        thumbs = []
        for _ in range(20):
            started = time.perf_counter()
            store.read_thumbnail(sha)
            thumbs.append((time.perf_counter() - started) * 1000)
        print(
            f"{label:>9}: import per photo ({size:.1f} MB, 12 MP) median "
            f"{results[label].median_ms:.0f} ms, p95 {results[label].p95_ms:.0f} ms; "
            f"thumbnail read median {Summary.of(thumbs).median_ms:.2f} ms"
        )
    ratio = results["sealed"].median_ms / results["plaintext"].median_ms
    print(f"import ratio sealed / plaintext (median): {ratio:.2f}×")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mib", type=int, default=2048)
    parser.add_argument("--photos", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        large_file(Path(folder), args.size_mib)
        import_cost(Path(folder), args.photos)


if __name__ == "__main__":
    main()

"""A small HQ at the HTTP boundary for the client's unit tests (the real one: tests/sync_e2e).

It speaks the wire protocol of ``docs/sync-protocol.md`` as far as the client can tell:
signatures are verified, a batch key is applied once (same body → the stored result again;
other body → 409), the chain must continue from the anchor, pulls page by revision, attachments
upload and download in resumable pieces. Faults are switched on per test: a push applied and
then the connection lost before the answer, a download cut after some bytes, a revoked device.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from fuanjian_desktop.ids import new_id
from fuanjian_desktop.security.audit_chain import GENESIS
from fuanjian_desktop.security.canonical_json import canonical_bytes
from fuanjian_desktop.sync_protocol.keys import b64, public_raw
from fuanjian_desktop.sync_protocol.signing import verify
from fuanjian_desktop.sync_protocol.version import HEADER_PROTOCOL

BASE_URL = "http://hq.test"
SECRET = bytes(range(32))
ESCROW_PRIVATE = X25519PrivateKey.from_private_bytes(bytes(range(1, 33)))
ESCROW_PUBLIC_B64 = b64(public_raw(ESCROW_PRIVATE.public_key()))
HQ_SIGNING_PRIVATE = Ed25519PrivateKey.from_private_bytes(bytes(range(2, 34)))
HQ_SIGNING_PUBLIC_B64 = b64(public_raw(HQ_SIGNING_PRIVATE.public_key()))


def video_envelope(data: bytes) -> dict[str, Any]:
    """The evidence_file record of a video another laptop recorded (``data`` its content)."""
    return {
        "table": "evidence_file",
        "id": new_id(),
        "version": 1,
        "op": "upsert",
        "fields": {
            "sha256": hashlib.sha256(data).hexdigest(),
            "extension": ".mp4",
            "size_bytes": len(data),
            "original_name": "现场.mp4",
            "width": None,
            "height": None,
            "captured_at": None,
            "camera": None,
            "created_at": "2026-12-01T08:00:00+00:00",
            "updated_at": "2026-12-01T08:00:00+00:00",
        },
        "children": {},
        "base_revision": None,
        "audit_event_id": None,
    }


def answer(status: int, body: Any, protocol: str = "1") -> httpx.Response:
    return httpx.Response(status, json=body, headers={HEADER_PROTOCOL: protocol})


def refusal(status: int, code: str, message: str = "拒绝") -> httpx.Response:
    return answer(status, {"error": code, "message": message})


@dataclass
class FakeHq:
    """HQ's state and the faults to inject."""

    device_id: str = "D" * 26
    squad_id: str = ""
    squad_name: str = "园岭中队"
    batches: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    applied: list[str] = field(default_factory=list)  # batch keys, once each when applied
    records: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    record_pushes: list[tuple[str, str, int]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    anchor: tuple[int, str] = (0, GENESIS)
    revision: int = 0
    published: list[dict[str, Any]] = field(default_factory=list)
    attachments: dict[str, bytes] = field(default_factory=dict)
    uploads: dict[str, bytearray] = field(default_factory=dict)
    log: list[tuple[str, str]] = field(default_factory=list)
    escrows: list[dict[str, Any]] = field(default_factory=list)
    revoked: bool = False
    protocol: str = "1"
    lose_push_answers: int = 0  # apply, then drop the connection, this many times
    cut_download_after: int | None = None  # bytes sent before the link drops (once)
    cut_upload_after_pieces: int | None = None  # PUTs accepted before the link drops (once)

    def client(self) -> httpx.Client:
        """An HTTP client whose every request reaches this HQ."""
        return httpx.Client(transport=httpx.MockTransport(self.handle), base_url=BASE_URL)

    def publish(self, envelope: dict[str, Any], origin: str = "other-device") -> int:
        """Make a record visible to the device's pulls (HQ-made or another laptop's)."""
        self.revision += 1
        self.published.append({**envelope, "revision": self.revision, "origin_device": origin})
        return self.revision

    # --- dispatch --------------------------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/v1")
        self.log.append((request.method, path))
        if request.headers.get(HEADER_PROTOCOL) != "1":
            return refusal(426, "protocol", "协议版本不一致")
        body = request.read()
        if path == "/enroll":
            return self._enroll(json.loads(body))
        target = request.url.raw_path.decode()
        if verify(SECRET, request.method, target, body, dict(request.headers), _now(request)):
            return refusal(401, "signature")
        if self.revoked:
            return refusal(401, "revoked")
        if path == "/status":
            return self._status()
        if path == "/push":
            return self._push(json.loads(body))
        if path == "/pull":
            return self._pull(request.url.params)
        if path == "/escrow":
            self.escrows.append(json.loads(body))
            return answer(200, {})
        if path == "/attachments/missing":
            wanted = json.loads(body)["sha256"]
            return answer(200, {"missing": [s for s in wanted if s not in self.attachments]})
        return self._attachment(request, path, body)

    def _enroll(self, asked: dict[str, Any]) -> httpx.Response:
        if asked.get("code") != "GOOD-CODE":
            return refusal(401, "enrollment", "接入码不正确")
        self.device_id = asked["device_id"]
        return answer(
            200,
            {
                "device_id": self.device_id,
                "secret": b64(SECRET),
                "squad_id": self.squad_id,
                "squad_name": self.squad_name,
                "hq_signing_public_key": HQ_SIGNING_PUBLIC_B64,
                "hq_escrow_public_key": ESCROW_PUBLIC_B64,
                "server_time": "2026-12-07T00:00:00+00:00",
            },
        )

    def _status(self) -> httpx.Response:
        anchor = {"device_seq": self.anchor[0], "event_hash": self.anchor[1]}
        return answer(200, {"device_id": self.device_id, "flagged": None, "anchor": anchor})

    # --- push --------------------------------------------------------------------------------

    def _push(self, batch: dict[str, Any]) -> httpx.Response:
        digest = hashlib.sha256(canonical_bytes(batch)).hexdigest()
        key = batch["batch_key"]
        if key in self.batches:
            stored_digest, result = self.batches[key]
            if stored_digest != digest:
                return refusal(409, "idempotency_mismatch", "批次内容不一致")
            return answer(200, result)
        chain = batch["chain_from"]
        if (chain["device_seq"], chain["event_hash"]) != self.anchor:
            return refusal(409, "chain", f"链不连续：{chain} ≠ {self.anchor}")
        known = {e["id"] for e in self.events} | {e["id"] for e in batch["audit_events"]}
        unaccounted = [r["id"] for r in batch["records"] if r["audit_event_id"] not in known]
        if unaccounted:  # as HQ's chain check: a change without its event is not accepted
            return refusal(409, "chain", f"没有对应操作记录的修改：{unaccounted[:3]}")
        previous = self.anchor[1]
        for event in batch["audit_events"]:
            fields = event["fields"]
            assert fields["prev_hash"] == previous, "events out of chain order"
            previous = fields["event_hash"]
            self.events.append(event)
            self.anchor = (fields["device_seq"], previous)
        applied = []
        for record in batch["records"]:
            self.revision += 1
            self.records[(record["table"], record["id"])] = record
            self.record_pushes.append((record["table"], record["id"], record["version"]))
            applied.append(
                {
                    "table": record["table"],
                    "id": record["id"],
                    "revision": self.revision,
                    "merged": False,
                }
            )
        result = {
            "batch_key": key,
            "applied": applied,
            "conflicts": [],
            "anchor": {"device_seq": self.anchor[0], "event_hash": self.anchor[1]},
            "quarantined": False,
        }
        self.batches[key] = (digest, result)
        self.applied.append(key)
        if self.lose_push_answers:
            self.lose_push_answers -= 1
            raise httpx.ReadError("connection lost after HQ committed")
        return answer(200, result)

    # --- pull --------------------------------------------------------------------------------

    def _pull(self, params: httpx.QueryParams) -> httpx.Response:
        cursor, limit = int(params["cursor"]), int(params["limit"])
        if "tables" in params:
            wanted = params["tables"].split(",")
            page = [r for r in self.published if r["table"] in wanted]
            return answer(200, {"records": page, "cursor": 0, "more": False})
        after = [r for r in self.published if r["revision"] > cursor]
        page = after[:limit]
        last = page[-1]["revision"] if page else cursor
        return answer(200, {"records": page, "cursor": last, "more": len(after) > limit})

    # --- attachments -------------------------------------------------------------------------

    def _attachment(self, request: httpx.Request, path: str, body: bytes) -> httpx.Response:
        parts = path.strip("/").split("/")
        sha = parts[1]
        if len(parts) == 2:
            return self._download(request, sha)
        received = self.uploads.setdefault(sha, bytearray())
        if parts[2] == "upload" and request.method == "GET":
            return answer(200, {"received": len(received)})
        if parts[2] == "upload":
            if int(request.url.params["offset"]) != len(received):
                return answer(409, {"error": "conflict", "received": len(received)})
            received += body
            if self.cut_upload_after_pieces is not None:
                self.cut_upload_after_pieces -= 1
                if self.cut_upload_after_pieces < 0:
                    self.cut_upload_after_pieces = None
                    raise httpx.ReadError("link dropped during upload")
            return answer(200, {"received": len(received)})
        if hashlib.sha256(received).hexdigest() != sha:
            del self.uploads[sha]
            return refusal(422, "hash_mismatch")
        self.attachments[sha] = bytes(self.uploads.pop(sha))
        return answer(200, {})

    def _download(self, request: httpx.Request, sha: str) -> httpx.Response:
        if sha not in self.attachments:
            return refusal(404, "not_found")
        data = self.attachments[sha]
        start = int(request.headers.get("Range", "bytes=0-")[6:].rstrip("-") or 0)
        status = 206 if start else 200
        cut, self.cut_download_after = self.cut_download_after, None
        return httpx.Response(
            status, headers={HEADER_PROTOCOL: "1"}, content=_pieces(data[start:], cut)
        )


def _pieces(data: bytes, cut: int | None) -> Iterator[bytes]:
    """The body in 64 KiB pieces, the link dropping after ``cut`` bytes if given."""
    sent = 0
    for start in range(0, len(data), 65536):
        if cut is not None and sent >= cut:
            raise httpx.ReadError("link dropped during download")
        piece = data[start : start + 65536]
        sent += len(piece)
        yield piece


def _now(request: httpx.Request) -> int:
    return int(request.headers.get("X-FJ-Timestamp", "0"))

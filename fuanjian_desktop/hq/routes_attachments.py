"""``/v1/attachments``: evidence files by SHA-256, uploaded resumably, downloaded by range.

Upload: the laptop asks which hashes HQ lacks, asks how much of one HQ has (``GET …/upload``),
sends the rest in chunks of at most 8 MiB at that offset (``PUT …/upload?offset=N``), then
``POST …/complete``: HQ hashes what it received and keeps it only if it matches. Any device may
upload (the bytes prove themselves); a download is allowed only for a hash that an evidence
record visible to the device's squad names, so no squad reads another squad's photos.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from fuanjian_desktop.hq.attachments import check_sha256
from fuanjian_desktop.hq.auth import SignedChunk, SignedJson
from fuanjian_desktop.hq.http_body import validated
from fuanjian_desktop.hq.http_context import Context, HqContext
from fuanjian_desktop.hq.http_errors import ApiError
from fuanjian_desktop.hq.models import HqAttachment, HqRecord
from fuanjian_desktop.models.evidence import EvidenceFile

SHA256_PATTERN = r"^[0-9a-f]{64}$"
MAX_HASHES_PER_QUESTION = 10_000
_RANGE = re.compile(r"bytes=(\d+)-(\d*)")
SCOPE_MESSAGE = "本机所在中队没有引用这个附件的记录，区局不能提供（不同中队的证据互不可见）。"

router = APIRouter(prefix="/attachments")
Sha256 = Annotated[str, Path(pattern=SHA256_PATTERN)]


class MissingQuestion(BaseModel):
    """Which of these files does HQ lack?"""

    sha256: list[str] = Field(max_length=MAX_HASHES_PER_QUESTION)


class Completion(BaseModel):
    """The uploader's statement of the whole file's size."""

    size: int = Field(ge=0)


@router.post("/missing")
def missing(request: SignedJson, context: Context) -> dict[str, Any]:
    """The asked hashes HQ does not hold yet, in the order asked, each once."""
    question = validated(MissingQuestion, request.body)
    asked = dict.fromkeys(check_sha256(sha) for sha in question.sha256)
    return {"missing": [sha for sha in asked if not context.store.holds(sha)]}


@router.get("/{sha256}/upload")
def upload_state(
    sha256: Sha256,
    request: SignedJson,
    context: Context,
) -> dict[str, int]:
    """How many bytes of ``sha256`` HQ has (where the laptop resumes)."""
    return {"received": context.store.received(sha256)}


@router.put("/{sha256}/upload")
def upload_chunk(
    sha256: Sha256,
    offset: Annotated[int, Query(ge=0)],
    request: SignedChunk,
    context: Context,
) -> dict[str, int]:
    """Append one chunk at ``offset`` (409 with the right ``received`` when it is not)."""
    return {"received": context.store.append(sha256, offset, request.body)}


@router.post("/{sha256}/complete")
def complete(
    sha256: Sha256,
    request: SignedJson,
    context: Context,
) -> dict[str, Any]:
    """Accept the uploaded file if it hashes to ``sha256`` (422 ``hash_mismatch`` otherwise)."""
    size = validated(Completion, request.body).size
    context.store.complete(sha256, size)
    with context.db.write() as session:
        # also after a crash between the file's rename and this row: the file is the truth
        if session.get(HqAttachment, sha256) is None:
            session.add(
                HqAttachment(
                    sha256=sha256,
                    size=size,
                    stored_at=context.now(),
                    origin_device=request.device_id,
                )
            )
    return {"sha256": sha256, "size": size}


@router.get("/{sha256}")
def download(
    http: Request,
    sha256: Sha256,
    request: SignedJson,
    context: Context,
) -> StreamingResponse:
    """The file, whole (200) or from ``Range: bytes=N-`` (206), streamed in chunks."""
    with context.db.read() as session:
        if not _visible(session, sha256, request.squad_id):
            raise ApiError(403, "scope", SCOPE_MESSAGE)
    size = context.store.size(sha256)
    wanted = _range(http.headers.get("range"), size)
    if wanted is None:
        return _stream(context, sha256, 0, size, size, 200)
    start, end = wanted
    return _stream(context, sha256, start, end + 1, size, 206)


def _visible(session: Session, sha256: str, squad_id: str) -> bool:
    """Whether a current evidence record of ``squad_id`` (or one published to all) names it."""
    evidence = EvidenceFile.__table__
    named = (
        select(HqRecord.entity_id)
        .join(evidence, evidence.c.id == HqRecord.entity_id)
        .where(
            HqRecord.table_name == EvidenceFile.__tablename__,
            HqRecord.deleted.is_(False),
            evidence.c.sha256 == sha256,
            or_(HqRecord.squad_id == squad_id, HqRecord.squad_id.is_(None)),
        )
        .limit(1)
    )
    return session.scalar(named) is not None


def _range(header: str | None, size: int) -> tuple[int, int] | None:
    """``(first, last)`` byte of a single ``bytes=N-`` / ``bytes=N-M`` range within the file.

    ``None`` (answer the whole file, as RFC 9110 allows a server to) for no range, a form this
    server does not serve, or one that starts at or past the end: a laptop whose partial copy is
    already whole but unfinished (a crash before its last step) then simply starts again rather
    than being refused every round.
    """
    match = _RANGE.fullmatch(header.strip()) if header else None
    if match is None:
        return None
    first = int(match.group(1))
    last = min(int(match.group(2) or size - 1), size - 1)
    return (first, last) if first <= last else None


def _stream(
    context: HqContext, sha256: str, start: int, stop: int, size: int, status: int
) -> StreamingResponse:
    headers = {"Content-Length": str(stop - start), "Accept-Ranges": "bytes"}
    if status == 206:
        headers["Content-Range"] = f"bytes {start}-{stop - 1}/{size}"
    return StreamingResponse(
        context.store.read(sha256, start, stop - start),
        status_code=status,
        headers=headers,
        media_type="application/octet-stream",
    )

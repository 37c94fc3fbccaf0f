"""What the transcript editor reads when it opens (on the worker): the transcript with its
journal, the rights notice as it will print, and the case's violations for the templates."""

from __future__ import annotations

from dataclasses import dataclass

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.documents.sheet import Dialogue, Paragraph, Sheet
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.cases import cases
from fuanjian_desktop.services.documents import documents
from fuanjian_desktop.services.transcripts import transcripts
from fuanjian_desktop.services.transcripts.transcripts import TranscriptState


@dataclass(frozen=True)
class LoadedTranscript:
    """The transcript as the editor shows it."""

    state: TranscriptState
    notice: str  # the statutory opening with names and certificates filled in; "" if none
    violation_codes: tuple[str, ...]


def load_transcript(database: Database, actor: Actor, document_id: str) -> LoadedTranscript:
    """Read everything the editor shows (one background call)."""
    state = transcripts.open_transcript(database, actor, document_id)
    sheet, _qr = documents.document_sheet(database, actor, document_id)
    case_id = state.document.case_id
    codes = (
        tuple(choice.code for choice in cases.charged_violations(database, actor, case_id).choices)
        if case_id
        else ()
    )
    return LoadedTranscript(state, notice_text(sheet), codes)


def notice_text(sheet: Sheet) -> str:
    """The paragraph printed just before the record (or before the reply to it): the rights
    notice the inspector reads out. The spec decides its words; this only finds it."""
    notice = ""
    for block in sheet.blocks:
        if isinstance(block, Dialogue):
            return notice
        if isinstance(block, Paragraph):
            notice = "".join(run.text for run in block.runs)
    return ""

"""The typing journal of drafts: what was typed since the last audited save.

A transcript is typed at speaking pace; saving every pause through the audit trail would store
the whole record again each time. The journal keeps only the latest typed values of a draft,
one row per document, committed within a moment of the keystroke, so a crash or power loss
loses nothing. A checkpoint folds it into the document through the audit trail and removes it.
It is local working state: neither audited nor synced.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from fuanjian_desktop.db.base import Base, UtcDateTime, utc_now


class DraftJournal(Base):
    """The values typed into a draft since its last audited save."""

    __tablename__ = "draft_journal"

    document_id: Mapped[str] = mapped_column(
        String(26), ForeignKey("case_document.id", ondelete="CASCADE"), primary_key=True
    )
    values: Mapped[dict[str, Any]] = mapped_column(JSON)
    saved_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)

"""Enforcement cases (案件): the party, handlers, violations, procedure events and documents.

The stage and the milestone dates of a case come from its events; the computed deadlines are
stored (``case_deadline``) and recomputed whenever a fact they depend on changes, and the
earliest open one is copied to ``next_due_on`` so the case list filters on one indexed column.

The case list (``services.cases.case_queries``) filters by squad, stage, handler and due date and
counts every filter value on each change; ``bench/cases.py`` times it over 100,000 cases
against a 100 ms goal. So most of the case indexes carry, after the columns they search on,
the other columns the list filters and sorts on plus ``id`` (the rowid is not the case id):
SQLite answers from the index without reading case rows, and the list indexes give the
display order (newest opened first) without a sort.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fuanjian_desktop.db.base import Base, SyncedRecord, UtcDateTime


class Case(SyncedRecord, Base):
    """One case: 一案一卷."""

    __tablename__ = "enforcement_case"
    __table_args__ = (
        # one squad's list, in display order; also its stage and handler counts
        Index(
            "ix_enforcement_case_squad_list", "squad_id", "opened_on", "id", "stage", "next_due_on"
        ),
        # one squad's overdue / due-soon cases and their counts
        Index("ix_enforcement_case_squad_due", "squad_id", "next_due_on"),
        # every squad's list (区局), in display order
        Index("ix_enforcement_case_list", "opened_on", "id", "squad_id", "stage", "next_due_on"),
        # every squad's cases of one stage, and the stage counts
        Index("ix_enforcement_case_stage_due", "stage", "next_due_on", "opened_on", "id"),
        # every squad's overdue / due-soon cases and their counts
        Index("ix_enforcement_case_due", "next_due_on", "stage", "opened_on", "id"),
    )

    case_no: Mapped[str] = mapped_column(String(60), unique=True)
    year: Mapped[int] = mapped_column(Integer)
    serial: Mapped[int] = mapped_column(Integer)
    squad_id: Mapped[str] = mapped_column(ForeignKey("squad.id"))
    procedure: Mapped[str] = mapped_column(String(10))
    source: Mapped[str] = mapped_column(String(20))
    source_note: Mapped[str | None] = mapped_column(Text)
    party_kind: Mapped[str] = mapped_column(String(10))
    enterprise_id: Mapped[str | None] = mapped_column(ForeignKey("enterprise.id"), index=True)
    party_name: Mapped[str] = mapped_column(String(200))
    party_id_type: Mapped[str] = mapped_column(String(12))
    party_id_no: Mapped[str | None] = mapped_column(String(18))
    party_representative: Mapped[str | None] = mapped_column(String(50))
    party_phone: Mapped[str | None] = mapped_column(String(30))
    party_address: Mapped[str | None] = mapped_column(String(300))
    cause: Mapped[str] = mapped_column(String(300))
    facts: Mapped[str | None] = mapped_column(Text)
    stage: Mapped[str] = mapped_column(String(30))
    outcome: Mapped[str | None] = mapped_column(String(20))
    opened_on: Mapped[dt.date] = mapped_column(Date)
    filed_on: Mapped[dt.date | None] = mapped_column(Date)
    decided_on: Mapped[dt.date | None] = mapped_column(Date)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    total_fine: Mapped[int] = mapped_column(Integer, default=0)
    paid_amount: Mapped[int] = mapped_column(Integer, default=0)
    other_penalties: Mapped[list[str]] = mapped_column(JSON, default=list)
    extension_days: Mapped[int] = mapped_column(Integer, default=0)
    reviewer_id: Mapped[str | None] = mapped_column(ForeignKey("app_user.id"))
    next_due_on: Mapped[dt.date | None] = mapped_column(Date)
    next_due_label: Mapped[str | None] = mapped_column(String(60))
    created_by_id: Mapped[str] = mapped_column(ForeignKey("app_user.id"))

    handler_rows: Mapped[list[CaseHandler]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="CaseHandler.position"
    )

    def audit_snapshot(self) -> dict[str, Any]:
        """Column values plus the handlers, who live in their own table."""
        handlers = [f"{row.full_name}（{row.cert_no}）" for row in self.handler_rows]
        return {**super().audit_snapshot(), "handlers": handlers}


class CaseHandler(Base):
    """A handler (承办人) of a case, with the name and 执法证号 as on the case file."""

    __tablename__ = "case_handler"
    # the handlers of the listed cases, read from the index alone (the case list's counts)
    __table_args__ = (Index("ix_case_handler_case_user", "case_id", "user_id"),)

    case_id: Mapped[str] = mapped_column(
        ForeignKey("enforcement_case.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("app_user.id"), index=True)
    full_name: Mapped[str] = mapped_column(String(50))
    cert_no: Mapped[str | None] = mapped_column(String(30))


class CaseViolation(SyncedRecord, Base):
    """A violation charged in a case, with the 裁量 applied to it."""

    __tablename__ = "case_violation"

    case_id: Mapped[str] = mapped_column(ForeignKey("enforcement_case.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300))
    violated_article: Mapped[str] = mapped_column(String(300))
    penalty_article: Mapped[str] = mapped_column(String(300))
    target: Mapped[str] = mapped_column(String(10), default="unit")
    overdue: Mapped[bool] = mapped_column(Boolean, default=False)
    tier: Mapped[str] = mapped_column(String(20))
    circumstances: Mapped[list[str]] = mapped_column(JSON, default=list)
    fine: Mapped[int] = mapped_column(Integer, default=0)
    reason: Mapped[str] = mapped_column(Text, default="")
    # why the stage differs from the derived one, where the law leaves room (penalty_basis)
    basis_reason: Mapped[str] = mapped_column(Text, default="", server_default="")


class CaseEvent(SyncedRecord, Base):
    """One step taken in a case: the timeline. ``milestones`` maps event keys to dates."""

    __tablename__ = "case_event"
    __table_args__ = (Index("ix_case_event_action_on", "action", "occurred_on"),)

    case_id: Mapped[str] = mapped_column(ForeignKey("enforcement_case.id"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    stage_before: Mapped[str] = mapped_column(String(30))
    stage_after: Mapped[str] = mapped_column(String(30))
    occurred_on: Mapped[dt.date] = mapped_column(Date)
    actor_id: Mapped[str | None] = mapped_column(ForeignKey("app_user.id"))
    actor_name: Mapped[str] = mapped_column(String(50))
    note: Mapped[str | None] = mapped_column(Text)
    milestones: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class CaseDocument(SyncedRecord, Base):
    """An enforcement document (执法文书) of a case or of an inspection, through its life.

    The table keeps the name it had when only cases had documents. A 草稿 (``draft``) holds the
    editable ``values``; issuing (已签发) freezes the composed ``sheet`` with its ``sha256``, the
    文号 and the moment, so later settings or wording never change what was signed. Serving
    (已送达) adds the method, date and recipient. An issued document is changed only by a new
    ``edition`` that ``corrects`` it (the old one becomes 已更正, ``superseded``) or voided
    (已作废) with its reason. ``edition`` counts corrections; ``version`` is the sync counter.
    """

    __tablename__ = "case_document"
    # a document belongs to exactly one case or one inspection
    __table_args__ = (CheckConstraint("(case_id IS NULL) <> (inspection_id IS NULL)", "owner"),)

    case_id: Mapped[str | None] = mapped_column(ForeignKey("enforcement_case.id"), index=True)
    inspection_id: Mapped[str | None] = mapped_column(ForeignKey("inspection.id"), index=True)
    type_key: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(100))
    variant: Mapped[str | None] = mapped_column(String(20))
    number: Mapped[str | None] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(10))
    values: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    sheet: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    sha256: Mapped[str | None] = mapped_column(String(64))
    issued_on: Mapped[dt.date | None] = mapped_column(Date)
    issued_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    served_on: Mapped[dt.date | None] = mapped_column(Date)
    served_method: Mapped[str | None] = mapped_column(String(20))
    recipient: Mapped[str | None] = mapped_column(String(50))
    event_id: Mapped[str | None] = mapped_column(ForeignKey("case_event.id"))
    edition: Mapped[int] = mapped_column(Integer, default=1)
    corrects_id: Mapped[str | None] = mapped_column(ForeignKey("case_document.id"), index=True)
    correction_reason: Mapped[str | None] = mapped_column(Text)
    void_reason: Mapped[str | None] = mapped_column(Text)


class CaseLink(SyncedRecord, Base):
    """Evidence of a case: a linked inspection, hazard or photo."""

    __tablename__ = "case_link"
    __table_args__ = (UniqueConstraint("case_id", "kind", "target_id"),)

    case_id: Mapped[str] = mapped_column(ForeignKey("enforcement_case.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[str] = mapped_column(String(26), index=True)


class CaseDeadlineRow(Base):
    """A statutory deadline of a case as last computed (derived, so not synced)."""

    __tablename__ = "case_deadline"

    case_id: Mapped[str] = mapped_column(
        ForeignKey("enforcement_case.id", ondelete="CASCADE"), primary_key=True
    )
    rule_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    label: Mapped[str] = mapped_column(String(60))
    start: Mapped[dt.date] = mapped_column(Date)
    due: Mapped[dt.date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(12))
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(300))
    explanation: Mapped[str] = mapped_column(Text)


class CaseRemedy(SyncedRecord, Base):
    """An administrative reconsideration (行政复议) or lawsuit (行政诉讼) against the decision."""

    __tablename__ = "case_remedy"
    __table_args__ = (UniqueConstraint("case_id", "kind"),)

    case_id: Mapped[str] = mapped_column(ForeignKey("enforcement_case.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    result: Mapped[str] = mapped_column(String(20))
    filed_on: Mapped[dt.date] = mapped_column(Date)
    concluded_on: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)

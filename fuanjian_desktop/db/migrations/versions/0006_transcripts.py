"""transcripts: the typing journal of drafts; 陈述申辩记录 becomes question-and-answer pairs

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 18:00:00.000000

A 当事人陈述申辩笔录 draft typed before 0006 holds its record as one text; it becomes the list of
{id, q, a} pairs the transcript editor edits: lines starting 问： open a pair, lines starting 答：
fill its answer, other lines continue the text before them. Issued documents keep their frozen
sheets and are not touched.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


STATEMENT_DRAFTS = (
    'SELECT id, "values" FROM case_document '
    "WHERE type_key = 'statement_record' AND status = 'draft'"
)


def upgrade() -> None:
    op.create_table(
        "draft_journal",
        sa.Column("document_id", sa.String(length=26), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("saved_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["case_document.id"],
            name=op.f("fk_draft_journal_document_id_case_document"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_draft_journal")),
    )
    _convert_statement_drafts(str, qa_pairs)


def _convert_statement_drafts(kind: type, convert: Any) -> None:
    """Rewrite the ``record`` of every 陈述申辩笔录 draft whose record is of ``kind``."""
    connection = op.get_bind()
    for document_id, raw in connection.execute(sa.text(STATEMENT_DRAFTS)).all():
        values = json.loads(raw) if isinstance(raw, str) else dict(raw or {})
        if isinstance(values.get("record"), kind):
            values["record"] = convert(values["record"])
            connection.execute(
                sa.text('UPDATE case_document SET "values" = :values WHERE id = :id'),
                {"values": json.dumps(values, ensure_ascii=False), "id": document_id},
            )


def qa_pairs(text: str) -> list[dict[str, Any]]:
    """The pairs of a record typed as 问：/答： lines (see the module docstring)."""
    pairs: list[dict[str, Any]] = []
    part = "a"
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("问：") or not pairs:
            pairs.append({"id": f"m{len(pairs) + 1}", "q": "", "a": ""})
            part = "q" if line.startswith("问：") else "a"
            line = line.removeprefix("问：")
        elif line.startswith("答："):
            part, line = "a", line.removeprefix("答：")
        pair = pairs[-1]
        pair[part] = f"{pair[part]}\n{line}" if pair[part] else line
    return pairs


def qa_text(pairs: list[dict[str, Any]]) -> str:
    """The pairs written back as 问：/答： lines (the record as 0005 kept it)."""
    lines = []
    for pair in pairs:
        lines += [f"问：{pair['q']}"] if pair.get("q") else []
        lines += [f"答：{pair['a']}"] if pair.get("a") else []
    return "\n".join(lines)


def downgrade() -> None:
    _convert_statement_drafts(list, qa_text)
    op.drop_table("draft_journal")

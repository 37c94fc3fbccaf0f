"""What HQ makes of one pushed record: fast-forward, three-way merge, tombstone or conflict.

HQ is the merge point (``docs/sync-protocol.md``, "Merge at HQ"). The pushed envelope names the
HQ revision the laptop's copy started from (``base_revision``). If HQ's current state is still
that revision (or HQ has none), the push simply becomes current. Otherwise the fields merge three
ways (``sync_protocol.merge.three_way``): a field changed on one side only takes that side's
value; changed on both to different values keeps HQ's and raises a conflict. Frozen fields (an
issued document, an archived case, a taken number) never change: a different pushed value is an
``immutable`` conflict. A deletion against a record changed meanwhile, or a change against a
record deleted meanwhile, is a ``delete`` conflict; HQ keeps its side until a person decides.

HQ keeps every version it receives: the pushed version is always stored as a revision; when the
merge result differs from it (HQ kept something of its own), the result is stored as a second
revision (``merged``) that becomes current and that the pushing laptop pulls back — even when it
only restates HQ's state, so the laptop's copy returns to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fuanjian_desktop.hq.store import Current, Revision
from fuanjian_desktop.sync_protocol.codec import DELETE
from fuanjian_desktop.sync_protocol.merge import FieldConflict, three_way

IN_PUSH = -1  # Current.seq of a state made earlier in the same push


@dataclass
class Pushed:
    """One record envelope of a push with the squads it belongs and goes to."""

    envelope: dict[str, Any]
    owner: str | None
    audience: str | None

    @property
    def table(self) -> str:
        """The record's table."""
        return str(self.envelope["table"])

    @property
    def entity_id(self) -> str:
        """The record's envelope id."""
        return str(self.envelope["id"])

    @property
    def key(self) -> tuple[str, str]:
        """(table, id)."""
        return self.table, self.entity_id

    @property
    def base_revision(self) -> int | None:
        """The HQ revision the laptop's copy started from (``None``: new on the laptop)."""
        base = self.envelope.get("base_revision")
        return None if base is None else int(base)

    def revision(self, device_id: str, *, current: bool) -> Revision:
        """The version as pushed, as a revision of ``device_id``."""
        envelope = self.envelope
        deleting = envelope["op"] == DELETE
        return Revision(
            table=self.table,
            entity_id=self.entity_id,
            version=int(envelope["version"]),
            op=str(envelope["op"]),
            fields={} if deleting else dict(envelope.get("fields") or {}),
            children={} if deleting else dict(envelope.get("children") or {}),
            device_id=device_id,
            audience=self.audience,
            owner=self.owner,
            current=current,
        )


@dataclass
class Decision:
    """The revisions one pushed record leads to, and the conflicts it raised.

    ``answer`` is the revision the laptop stores as its new base: the merge result if there is
    one, else the received version, or HQ's unchanged current one (``unchanged_seq``) when the
    push repeated it exactly.
    """

    received: Revision | None
    merged: Revision | None = None
    conflicts: list[FieldConflict] = field(default_factory=list)
    unchanged_seq: int | None = None

    @property
    def answer(self) -> Revision | None:
        """The revision answered for this record (``None``: ``unchanged_seq``)."""
        return self.merged or self.received

    def revisions(self) -> list[Revision]:
        """The revisions to store, in order."""
        return [item for item in (self.received, self.merged) if item is not None]


def decide(
    pushed: Pushed, current: Current | None, base: dict[str, Any] | None, device_id: str
) -> Decision:
    """HQ's decision on ``pushed`` given its ``current`` state and the ``base`` envelope
    (the revision ``base_revision`` names, when it is a revision of this record)."""
    if current is None:
        return Decision(pushed.revision(device_id, current=True))
    if _repeats(pushed, current, device_id):
        return Decision(None, unchanged_seq=current.seq)
    here = current.envelope(pushed.table, pushed.entity_id)
    started_from = current.seq == IN_PUSH or pushed.base_revision == current.seq
    result = three_way(pushed.table, here if started_from else base, here, pushed.envelope)
    if not result.merged:
        return Decision(pushed.revision(device_id, current=True))
    received = pushed.revision(device_id, current=False)
    merged = pushed.revision(device_id, current=True)
    merged.op = result.op
    merged.fields, merged.children = dict(result.fields), dict(result.children)
    if result.op == DELETE:
        merged.fields, merged.children = {}, {}
    merged.version = max(received.version, current.version) + 1
    merged.merged = True
    return Decision(received, merged, list(result.conflicts))


def _repeats(pushed: Pushed, current: Current, device_id: str) -> bool:
    """The push repeats HQ's current version exactly (a re-sent batch under a new key)."""
    envelope = pushed.envelope
    deleting = envelope["op"] == DELETE
    return (
        current.device_id == device_id
        and current.op == envelope["op"]
        and current.version == int(envelope["version"])
        and current.fields == ({} if deleting else envelope.get("fields") or {})
        and current.children == ({} if deleting else envelope.get("children") or {})
    )


def in_push_state(revision: Revision) -> Current:
    """The state a revision made earlier in the same push leaves (for a later envelope of the
    same record in that push, which continues from it)."""
    return Current(
        owner=revision.owner,
        deleted=revision.op == DELETE,
        seq=IN_PUSH,
        version=revision.version,
        op=revision.op,
        fields=revision.fields,
        children=revision.children,
        device_id=revision.device_id,
    )

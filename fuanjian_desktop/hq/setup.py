"""``hq init``: the HQ schema, HQ's keys and the bureau's reference data, ready for laptops.

Running it again is safe and is how the bureau publishes a changed catalogue: keys and org units
already there stay, and a reference file is published again only when its content changed, so a
laptop pulls only what is new.

What laptops receive from here: the org units (``squad`` records, to every device) and the
resources the app reads at run time (``reference_file`` records, to every device) — checklists,
the violation catalogue and penalty tiers, the holiday calendar, procedure deadlines and settings,
document wording, organisation, numbering, types and layouts, registry categories and divisions,
on-site measures and transcript questions. Fonts, styles, screens and demo data ship with the
program and are not the bureau's to change. The enterprise registry is not loaded here: the
squads' laptops import their registers (企业台账导入) and push them, and HQ publishes the union to
every device as the registry master (``docs/sync-protocol.md``); a squad's register file can also
be loaded here (``hq init --registry FILE --squad S``, ``hq.registry``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from fuanjian_desktop import reference
from fuanjian_desktop.hq.database import migrate_hq, open_hq
from fuanjian_desktop.hq.envelopes import hq_envelope, wire_now
from fuanjian_desktop.hq.models import HqKey
from fuanjian_desktop.hq.number_blocks import number_plan
from fuanjian_desktop.hq.publish import publish_many
from fuanjian_desktop.hq.registry import RegistryFile, RegistryLoaded, load_registry
from fuanjian_desktop.models import ReferenceFile, Squad
from fuanjian_desktop.resources import resources_root
from fuanjian_desktop.sync_protocol.keys import b64, private_raw, public_raw

REFERENCE_FOLDERS = (
    "calendar",
    "checklists",
    "documents",
    "inspection",
    "org",
    "penalties",
    "procedure",
    "registry",
    "transcripts",
    "violations",
)
"""The ``resources/`` folders whose JSON files are the bureau's reference data."""
SIGNING, ESCROW = "signing", "escrow"


@dataclass(frozen=True)
class InitReport:
    """What ``hq init`` did, for its output lines."""

    keys_made: tuple[str, ...]
    units_added: int
    files_published: int
    files_unchanged: int
    plan: str
    registry: RegistryLoaded | None = None

    def lines(self) -> list[str]:
        """The Chinese summary ``hq init`` prints."""
        keys = "、".join(self.keys_made) or "已有，未改动"
        lines = [
            "区局数据库已就绪。",
            f"区局密钥：{keys}",
            f"机构：新增 {self.units_added} 个",
            f"参考数据文件：发布 {self.files_published} 个，未变 {self.files_unchanged} 个",
            f"号段计划：{self.plan}",
        ]
        return lines + (self.registry.lines() if self.registry else [])


def initialise_hq(url: str, registry: RegistryFile | None = None) -> InitReport:
    """Create or upgrade the schema, then add what is missing, and the squad register
    ``registry`` (checked beforehand) if given; one transaction for the data."""
    plan = number_plan()  # a broken plan stops init before anything is written
    migrate_hq(url)
    db = open_hq(url)
    try:
        with db.write() as session:
            keys = ensure_keys(session)
            units = publish_org_units(session)
            published, unchanged = publish_reference_files(session)
            loaded = load_registry(session, registry) if registry else None
    finally:
        db.close()
    described = f"每段 {plan.block_size} 号，剩余不足 {plan.threshold} 号时补发（{plan.prefix}）"
    return InitReport(keys, units, published, unchanged, described, loaded)


def ensure_keys(session: Session) -> tuple[str, ...]:
    """HQ's Ed25519 signing key (packages to laptops) and X25519 escrow key (sealed recovery
    keys), made once; returns the Chinese names of those made now."""
    made: list[str] = []
    if session.get(HqKey, SIGNING) is None:
        signing = Ed25519PrivateKey.generate()
        session.add(_key(SIGNING, private_raw(signing), public_raw(signing.public_key())))
        made.append("签名密钥")
    if session.get(HqKey, ESCROW) is None:
        escrow = X25519PrivateKey.generate()
        session.add(_key(ESCROW, private_raw(escrow), public_raw(escrow.public_key())))
        made.append("托管密钥")
    return tuple(made)


def _key(name: str, private: bytes, public: bytes) -> HqKey:
    return HqKey(name=name, private_b64=b64(private), public_b64=b64(public))


def publish_org_units(session: Session) -> int:
    """Publish the bureau and its squads (``resources/org/squads.json``) that HQ lacks, under the
    ids the bureau fixed there (the laptops' ``ensure_org_units`` uses the same ones)."""
    existing = set(session.scalars(select(Squad.short_name)))
    bureau, *squads = reference.org_units()
    missing = [spec for spec in (bureau, *squads) if spec.short_name not in existing]
    envelopes = [
        hq_envelope(
            "squad",
            spec.id,
            {
                "name": spec.name,
                "short_name": spec.short_name,
                "is_bureau": spec is bureau,
                "street": spec.street or None,
                "parent_id": None if spec is bureau else bureau.id,
            },
        )
        for spec in missing
    ]
    publish_many(session, envelopes, None)
    return len(envelopes)


def reference_files() -> Iterator[tuple[str, str]]:
    """(path relative to ``resources/`` with ``/``, UTF-8 text) of every reference file."""
    root = resources_root()
    for folder in REFERENCE_FOLDERS:
        for path in sorted((root / folder).rglob("*.json")):
            yield path.relative_to(root).as_posix(), path.read_text(encoding="utf-8")


def publish_reference_files(session: Session) -> tuple[int, int]:
    """Publish each reference file whose content HQ does not have yet; (published, unchanged)."""
    current = {row.path: row.sha256 for row in session.scalars(select(ReferenceFile))}
    envelopes, unchanged = [], 0
    for path, content in reference_files():
        digest = hashlib.sha256(content.encode("utf-8")).hexdigest()
        if current.get(path) == digest:
            unchanged += 1
            continue
        fields = {"sha256": digest, "content": content, "received_at": wire_now()}
        envelopes.append(hq_envelope("reference_file", path, fields, stamped=False))
    publish_many(session, envelopes, None)
    return len(envelopes), unchanged

"""The app's write paths as the crash child takes them, each through the real service.

Every write returns what the child reports once it has committed: the kind, the record's id, its
version read back after the commit and the value written (a token unique to the write, so the
parent can tell this write's value from every other; a stage, a 文号, a hash or a length where
the service chooses the value). ``tests.crash.checks.AUDITED`` names the field each is read from.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy import select

from fuanjian_desktop.checklists.model import HazardLevel, Item
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.inspection_rules import Answer
from fuanjian_desktop.models import (
    Case,
    CaseDocument,
    DraftJournal,
    Enterprise,
    EvidenceFile,
    Hazard,
    InspectionAnswer,
    InspectionPhoto,
)
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.cases.case_actions import StepInput
from fuanjian_desktop.services.documents import documents
from fuanjian_desktop.services.inspections import evidence, hazards, inspections
from fuanjian_desktop.services.inspections.inspections import local_today
from fuanjian_desktop.services.registry import registry
from fuanjian_desktop.services.transcripts import transcripts
from tests.cases import open_plain_case, perform_written
from tests.crash.plan import Plan

SAMPLING = "sampling_voucher"
SAMPLED = {
    "time_range": "2026年3月5日9时30分至10时",
    "place": "仓库二楼",
    "items": [{"name": "液化气钢瓶", "spec": "YSP35.5", "quantity": "2瓶"}],
}
ANSWER_TEXT = "我们车间有十二名工人，去年只组织过一次消防演练，没有做过安全生产教育培训。"


@dataclass(frozen=True)
class Done:
    """One committed write as the child announces it."""

    kind: str
    record_id: str
    version: int
    value: str

    def line(self) -> str:
        """``done <kind> <id> <version> <value>`` (the value never holds a space)."""
        return f"done {self.kind} {self.record_id} {self.version} {self.value}"

    @classmethod
    def parse(cls, line: str) -> Done:
        """The write announced by :meth:`line`."""
        _, kind, record_id, version, value = line.split(" ")
        return cls(kind, record_id, int(version), value)


@dataclass
class Writer:
    """The child's state: the database, who acts, the targets, the random source."""

    database: Database
    actors: dict[str, Actor]
    plan: Plan
    rng: random.Random
    scratch: Path  # photos are made here, outside the data folder
    items: list[Item]
    first: str = ""  # the kind of the child's first write ("" for a random one)
    counter: int = 0

    def token(self) -> str:
        """A value no other write of the run uses (seed and count)."""
        self.counter += 1
        return f"t{self.rng.getrandbits(32):08x}n{self.counter}"

    def version_of(self, model: type[Any], record_id: str) -> int:
        """The committed version of a record (read after its write committed)."""
        with self.database.read() as session:
            record = session.get(model, record_id)
            assert record is not None
            return int(record.version)


def edit_enterprise(w: Writer) -> Done:
    """企业台账: change an enterprise's notes (the dialog saves the whole draft)."""
    enterprise_id = w.rng.choice(w.plan.enterprises)
    token = w.token()
    draft = registry.load_draft(w.database, enterprise_id)
    registry.update_enterprise(
        w.database, w.actors["zhangwei"], enterprise_id, replace(draft, notes=f"备注{token}")
    )
    return Done("registry", enterprise_id, w.version_of(Enterprise, enterprise_id), token)


def answer_item(w: Writer) -> Done:
    """检查表: answer an item (不符合 opens a hazard, another answer removes it again)."""
    item = w.rng.choice(w.items)
    result = w.rng.choice(list(Answer))
    token = w.token()
    inspections.answer_item(
        w.database, w.actors["zhangwei"], w.plan.inspection, item, result, f"备注{token}"
    )
    with w.database.read() as session:
        answer = session.scalar(
            select(InspectionAnswer).where(
                InspectionAnswer.inspection_id == w.plan.inspection,
                InspectionAnswer.item_id == item.id,
            )
        )
        assert answer is not None
    return Done("answer", answer.id, answer.version, f"{result.value}:{token}")


def import_photo(w: Writer) -> Done:
    """照片: import a new photo (a PNG no other write made) onto the inspection or an item."""
    path = _new_photo(w)
    item_id = w.rng.choice(["", *[item.id for item in w.items]])
    report = evidence.attach_photos(
        w.database, w.actors["zhangwei"], w.plan.inspection, item_id, [path]
    )
    assert report.attached == 1, report.summary
    sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    path.unlink()
    with w.database.read() as session:
        photo = session.scalar(
            select(InspectionPhoto)
            .join(EvidenceFile)
            .where(
                InspectionPhoto.inspection_id == w.plan.inspection,
                InspectionPhoto.item_id == item_id,
                EvidenceFile.sha256 == sha256,
            )
        )
        assert photo is not None
    return Done("photo", photo.id, photo.version, sha256)


def _new_photo(w: Writer) -> Path:
    from PIL import Image

    pixels = bytes(w.rng.getrandbits(8) for _ in range(16 * 16 * 3))
    path = w.scratch / f"现场{w.counter}-{w.rng.getrandbits(32):08x}.png"
    Image.frombytes("RGB", (16, 16), pixels).save(path, "PNG")
    return path


def edit_hazard(w: Writer) -> Done:
    """隐患台账: reword a pending hazard (its level and period kept)."""
    hazard_id = w.rng.choice(w.plan.hazards)
    with w.database.read() as session:
        hazard = session.get(Hazard, hazard_id)
        assert hazard is not None
    token = w.token()
    level = HazardLevel(hazard.level)
    edit = hazards.HazardEdit(f"隐患{token}", level, hazard.rectification, hazard.days)
    hazards.update_hazard(w.database, w.actors["zhangwei"], hazard_id, edit)
    return Done("hazard", hazard_id, w.version_of(Hazard, hazard_id), token)


def case_step(w: Writer) -> Done:
    """案件: file (立案审批) a case the child opened, or open a new one when none waits."""
    today = local_today()
    waiting = _unfiled_cases(w)
    if waiting:
        case_id = w.rng.choice(waiting)
        perform_written(
            w.database, w.actors["liuyang"], case_id, "approve_filing", StepInput(on=today), today
        )
    else:
        partner = w.actors["lina"].user_id or ""
        case_id = open_plain_case(w.database, w.actors["zhangwei"], partner, today)
    with w.database.read() as session:
        case = session.get(Case, case_id)
        assert case is not None
        return Done("case", case_id, case.version, case.stage)


def _unfiled_cases(w: Writer) -> list[str]:
    with w.database.read() as session:
        query = select(Case.id).where(
            Case.created_by_id == w.actors["zhangwei"].user_id,
            Case.filed_on.is_(None),
            Case.outcome.is_(None),
            Case.opened_on == local_today(),
        )
        return sorted(session.scalars(query))


def issue_document(w: Writer) -> Done:
    """文书: draft a 抽样取证凭证 of the case, fill it and issue it (three commits)."""
    zhang = w.actors["zhangwei"]
    draft = documents.create_draft(w.database, zhang, type_key=SAMPLING, case_id=w.plan.case)
    documents.save_draft(w.database, zhang, draft, SAMPLED)
    view = documents.issue_document(w.database, zhang, draft, local_today())
    with w.database.read() as session:
        document = session.get(CaseDocument, draft)
        assert document is not None and view.number
        return Done("document", draft, document.version, view.number)


def type_transcript(w: Writer) -> Done:
    """询问笔录: type a few characters into the journal (neither audited nor synced)."""
    pairs = [dict(pair) for pair in typed_values(w.database, w.plan.transcript)["qa"]]
    if not pairs or len(pairs[-1]["a"]) >= len(expected_answer(len(pairs) - 1)):
        pairs.append({"id": f"p{len(pairs)}", "q": expected_question(len(pairs)), "a": ""})
    last = len(pairs) - 1
    grown = len(pairs[last]["a"]) + w.rng.randint(1, 5)
    pairs[last]["a"] = expected_answer(last)[:grown]
    transcripts.autosave(w.database, w.actors["zhangwei"], w.plan.transcript, {"qa": pairs})
    return Done("typing", w.plan.transcript, 0, str(typed_length(w)))


def fold_journal(w: Writer) -> Done:
    """询问笔录: fold the journal into the draft through the audit trail (on close, every five
    minutes of typing)."""
    transcripts.checkpoint(w.database, w.actors["zhangwei"], w.plan.transcript)
    version = w.version_of(CaseDocument, w.plan.transcript)
    return Done("checkpoint", w.plan.transcript, version, str(typed_length(w)))


def typed_length(w: Writer) -> int:
    """Characters of answers the transcript holds (draft and journal together)."""
    return sum(len(pair["a"]) for pair in typed_values(w.database, w.plan.transcript)["qa"])


def typed_values(database: Database, document_id: str) -> dict[str, Any]:
    """A draft transcript's values with its journal over them, as reopening it shows them."""
    with database.read() as session:
        document = session.get(CaseDocument, document_id)
        assert document is not None
        journal = session.get(DraftJournal, document_id)
        return {**document.values, **(journal.values if journal else {})}


def expected_question(index: int) -> str:
    """The question of pair ``index`` (0-based)."""
    return f"第{index + 1}问：你单位是否组织从业人员进行安全生产教育和培训？"


def expected_answer(index: int) -> str:
    """The whole answer pair ``index`` is typed towards, a few characters per write."""
    return f"第{index + 1}答：{ANSWER_TEXT}"


WRITES: dict[str, Callable[[Writer], Done]] = {
    "registry": edit_enterprise,
    "answer": answer_item,
    "photo": import_photo,
    "hazard": edit_hazard,
    "case": case_step,
    "document": issue_document,
    "typing": type_transcript,
    "checkpoint": fold_journal,
}
# how often each is chosen: typing and answering are what a day in the field is made of
WEIGHTS = {
    "registry": 2,
    "answer": 4,
    "photo": 2,
    "hazard": 2,
    "case": 1,
    "document": 1,
    "typing": 6,
    "checkpoint": 1,
}


def next_write(w: Writer) -> Callable[[Writer], Done]:
    """The write the harness asked to come first, then writes chosen by :data:`WEIGHTS` from
    the child's random source."""
    if w.first:
        kind, w.first = w.first, ""
        return WRITES[kind]
    kinds = list(WRITES)
    return WRITES[w.rng.choices(kinds, [WEIGHTS[kind] for kind in kinds])[0]]

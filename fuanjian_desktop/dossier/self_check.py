"""The pre-archive check (自查): what a case-file review (案卷评查) would find in a volume.

From plain facts (:class:`DossierFacts`, filled by ``services/dossiers/self_check.py``) it finds
a missing document (those the steps taken issue, and those the procedure requires), a document
issued but never served, a served document the 送达回执 does not list, a paper-signed document
without its scan, a photo without a caption, a break in the audio-video record without a
reason, document dates out of order and a page total that disagrees with the 目录; the
procedure guard's defects come in as they are. Each finding is scored against the review items
of ``resources/dossier/review_items.json`` (§4.4): 100 less the deductions, each item losing at
most its points; a veto item (一票否决) makes the volume 不合格 whatever the score.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from fuanjian_desktop.domain.documents.document_types import document_types
from fuanjian_desktop.domain.procedure import ACTIONS_BY_CODE, Procedure
from fuanjian_desktop.resources import load_json_resource

FULL_SCORE = 100
RECEIPT = "service_receipt"


@dataclass(frozen=True)
class DossierDocument:
    """A document in the volume (issued, served or superseded by a correction)."""

    item_key: str  # "doc:<case_document id>"
    type_key: str
    title: str
    number: str | None
    status: str
    issued_on: dt.date | None
    served_on: dt.date | None
    served_method: str | None
    scanned: bool
    of_inspection: bool  # a linked inspection's: served and signed on the document itself

    @property
    def served_kind(self) -> bool:
        """Whether documents of this kind are served on the party (types.json)."""
        kind = document_types().get(self.type_key)
        return kind is not None and kind.served

    @property
    def name(self) -> str:
        """As messages name it: 《title》文号."""
        return f"《{self.title}》{self.number or ''}"


@dataclass(frozen=True)
class DossierPhoto:
    """A photo of the case: how a person finds it, and its 证据名称/说明."""

    label: str
    caption: str | None


@dataclass(frozen=True)
class DossierMedia:
    """An audio-video record: what it is, the step it records, when, why it breaks off."""

    title: str
    step_label: str
    started_at: dt.datetime
    ended_at: dt.datetime
    gap_reason: str | None


@dataclass(frozen=True)
class DossierFacts:
    """Everything the check judges, as plain values (see the module docstring)."""

    procedure: Procedure
    steps: tuple[tuple[str, dt.date], ...]
    milestones: Mapping[str, dt.date]
    documents: tuple[DossierDocument, ...]
    receipt_rows: tuple[str, ...] | None  # 送达文书名称、文号 of the 送达回执 in force
    photos: tuple[DossierPhoto, ...] = ()
    media: tuple[DossierMedia, ...] = ()
    index_total: int | None = None  # the total the 目录 states (its last 页号)
    volume_total: int | None = None  # numbered pages of the built volume
    defects: tuple[tuple[str, str, str], ...] = ()  # the guard's (code, message, review item)
    filed_by: str | None = None  # the 备考表's 立卷人 as it will print (blank: None or "")
    checked_by: str | None = None  # the 备考表's 检查人


@dataclass(frozen=True)
class ReviewLine:
    """One review item: ``key`` "section.item", its label with the section's, its points."""

    key: str
    label: str
    points: int
    veto: bool


@dataclass(frozen=True)
class Finding:
    """One finding: its review item, what is wrong and how to fix it, and what it costs."""

    code: str
    item: str
    item_label: str
    message: str
    deduction: int
    veto: bool
    blocks_archive: bool
    item_key: str | None = None  # the dossier item it concerns (doc:<id>, photos, media)


@dataclass(frozen=True)
class SelfCheck:
    """The findings in review-item order, the score out of 100 and the two verdicts."""

    findings: tuple[Finding, ...]
    score: int
    vetoed: bool  # 一票否决: the volume is 不合格 whatever the score
    blocking: bool  # something to put right before the volume may be archived


@functools.cache
def _data() -> dict[str, Any]:
    data: dict[str, Any] = load_json_resource("dossier", "review_items.json")
    return data


@functools.cache
def review_items() -> dict[str, ReviewLine]:
    """Every review item by key, in the order of the review sheet."""
    return {
        f"{section['key']}.{item['key']}": ReviewLine(
            f"{section['key']}.{item['key']}",
            f"{section['label']}·{item['label']}",
            int(item["points"]),
            bool(section["veto"]),
        )
        for section in _data()["sections"]
        for item in section["items"]
    }


@functools.cache
def _document_items() -> dict[str, str]:
    """The content item each document type belongs to (for a missing non-main document)."""
    return {
        type_key: f"{section['key']}.{item['key']}"
        for section in _data()["sections"]
        for item in section["items"]
        for type_key in item.get("documents", ())
    }


def self_check(facts: DossierFacts) -> SelfCheck:
    """Every finding of the volume, scored."""
    order = list(review_items())
    found = [*_defects(facts), *(f for check in CHECKS for f in check(facts))]
    findings = tuple(sorted(found, key=lambda f: order.index(f.item)))
    return SelfCheck(
        findings,
        score(findings),
        any(f.veto for f in findings),
        any(f.blocks_archive for f in findings),
    )


def score(findings: tuple[Finding, ...]) -> int:
    """100 less the deductions, each review item losing at most its points."""
    lost: dict[str, int] = defaultdict(int)
    for finding in findings:
        lost[finding.item] += finding.deduction
    items = review_items()
    return FULL_SCORE - sum(min(total, items[key].points) for key, total in lost.items())


def _finding(
    code: str, message: str, item_key: str | None = None, *, rule: Mapping[str, Any] | None = None
) -> Finding:
    """A finding of ``code`` scored by its rule (``findings`` in the data, or ``rule``)."""
    rule = rule or _data()["findings"][code]
    item = review_items()[rule["item"]]
    return Finding(
        code,
        item.key,
        item.label,
        message,
        int(rule["deduction"]),
        item.veto,
        bool(rule["blocks_archive"]),
        item_key,
    )


def _defects(facts: DossierFacts) -> Iterator[Finding]:
    """The procedure guard's defects, each under the item its code (or category) maps to."""
    mapping = _data()["defects"]
    for code, message, category in facts.defects:
        rule = mapping["codes"].get(code) or mapping["by_review_item"][category]
        yield _finding(code, message, rule=rule)


def _issuing_steps(facts: DossierFacts) -> dict[str, tuple[dt.date, str]]:
    """Type key → (date, label) of the earliest step taken that issues such a document."""
    first: dict[str, tuple[dt.date, str]] = {}
    for code, step_on in facts.steps:
        action = ACTIONS_BY_CODE.get(code)
        if action is None:  # a step this version does not know issues nothing it knows
            continue
        for type_key in action.documents:
            if type_key not in first or step_on < first[type_key][0]:
                first[type_key] = (step_on, action.label)
    return first


def _expected_documents(facts: DossierFacts) -> dict[str, str]:
    """Type key → why the volume must hold it: a step taken issues it, or the procedure
    requires it for the way the case ended."""
    expected = {key: f"已办理“{label}”" for key, (_, label) in _issuing_steps(facts).items()}
    outcomes = [ACTIONS_BY_CODE[code].outcome for code, _ in facts.steps if code in ACTIONS_BY_CODE]
    outcome = next((o for o in reversed(outcomes) if o is not None), None)
    if "hearing_notice_served" in facts.milestones:
        expected.setdefault("hearing_rights_notice", "本案已告知听证权利")
    required = _data()["required_documents"].get(facts.procedure.value, {})
    for type_key in required.get(str(outcome), ()):
        expected.setdefault(type_key, f"{facts.procedure.label}案件必须有")
    return expected


def _missing_documents(facts: DossierFacts) -> Iterator[Finding]:
    present = {document.type_key for document in facts.documents}
    main = set(_data()["main_stage_documents"]["types"])
    kinds = document_types()
    for type_key, why in _expected_documents(facts).items():
        if type_key in present:
            continue
        title = kinds[type_key].title
        message = (
            f"案卷缺少《{title}》（{why}）。请签发该文书；已作废的，请重新制作并签发后再归档。"
        )
        if type_key in main:
            yield _finding("main_document_missing", message)
        else:
            rule = {**_data()["findings"]["document_missing"], "item": _document_items()[type_key]}
            yield _finding("document_missing", message, rule=rule)


def _unserved(facts: DossierFacts) -> Iterator[Finding]:
    for document in facts.documents:
        if document.served_kind and document.status == "issued" and document.served_on is None:
            yield _finding(
                "not_served",
                f"{document.name}已签发，但没有送达记录。已送达的，请在文书列表中登记送达"
                "（送达方式、日期、签收人）；未送达的，请依法送达后登记。",
                document.item_key,
            )


def _receipt(facts: DossierFacts) -> Iterator[Finding]:
    """Every document served on the party has its line on the case's one 送达回执 (template 40,
    注1). The generated receipt is final once the decision is served; a document served later
    is written onto the same paper receipt by hand, so once that paper original is scanned it
    is the record, and only an unscanned receipt leaves the later service unproven."""
    exempt = set(_data()["signed_on_document"]["types"])
    receipt = next(
        (
            d
            for d in reversed(facts.documents)
            if d.type_key == RECEIPT and d.status != "superseded"
        ),
        None,
    )
    for document in facts.documents:
        served = document.served_on
        if not document.served_kind or served is None:
            continue
        if document.of_inspection or document.type_key in exempt:
            continue
        if facts.receipt_rows is None or receipt is None:
            yield _finding(
                "not_in_receipt",
                f"{document.name}已送达，但本案没有文书送达回执。请制作文书送达回执，"
                "列明该文书的送达情况。",
                document.item_key,
            )
            continue
        if any(_lists(row, document) for row in facts.receipt_rows):
            continue
        later = receipt.issued_on is not None and served > receipt.issued_on
        if later and receipt.scanned:
            continue
        how = (
            "请在纸质送达回执上续填该文书的送达情况并由受送达人签收，再扫描附在回执上"
            if later
            else "请更正文书送达回执，补列该文书"
        )
        yield _finding(
            "not_in_receipt",
            f"{document.name}已送达，但文书送达回执中没有该文书的送达记录。{how}"
            "（一个案件的各类文书统一使用一份送达回执）。",
            document.item_key,
        )


def _lists(row: str, document: DossierDocument) -> bool:
    """Whether a 送达回执 row names ``document``: its title and, if it has one, its 文号."""
    return f"《{document.title}》" in row and (document.number or "") in row


def paper_signed(document: DossierDocument) -> bool:
    """Whether the legal original of ``document`` is a paper sheet someone signed (then a
    volume without its scan carries a 系统生成副本, marked so in the 目录)."""
    rule = _data()["paper_originals"]
    if document.type_key in rule["types"]:
        return True
    served = document.served_kind and document.served_on is not None
    on_paper = document.served_method not in rule["not_on_paper"]
    return served and bool(rule["served_types"]) and on_paper


def _scans(facts: DossierFacts) -> Iterator[Finding]:
    for document in facts.documents:
        if paper_signed(document) and not document.scanned:
            yield _finding(
                "no_scan",
                f"{document.name}的原件是纸质签名件，尚未附扫描件，电子卷中以系统生成副本入卷"
                "（目录备注“系统生成副本”）。请扫描签名原件并附在该文书上。",
                document.item_key,
            )


def _photos(facts: DossierFacts) -> Iterator[Finding]:
    for photo in facts.photos:
        if not (photo.caption or "").strip():
            yield _finding(
                "photo_caption",
                f"照片{photo.label}没有证据名称或说明。请在照片证据中填写说明（拍摄的是什么、"
                "证明什么）。",
                "photos",
            )


def _media(facts: DossierFacts) -> Iterator[Finding]:
    tolerance = dt.timedelta(seconds=int(_data()["media_gap_seconds"]))
    by_step: dict[str, list[DossierMedia]] = defaultdict(list)
    for record in facts.media:
        by_step[record.step_label].append(record)
    for step_label, records in by_step.items():
        ordered = sorted(records, key=lambda record: record.started_at)
        for before, after in pairwise(ordered):
            gap = after.started_at - before.ended_at
            if gap > tolerance and not (after.gap_reason or "").strip():
                yield _finding(
                    "media_gap",
                    f"“{step_label}”的音像记录在“{before.title}”与“{after.title}”之间中断"
                    f"{_duration(gap)}，没有说明原因。请在音像资料中填写中断原因。",
                    "media",
                )


def _duration(gap: dt.timedelta) -> str:
    """``5分钟``, ``1分1秒`` or ``45秒``."""
    minutes, seconds = divmod(int(gap.total_seconds()), 60)
    if not seconds:
        return f"{minutes}分钟"
    return f"{minutes}分{seconds}秒" if minutes else f"{seconds}秒"


def _dates(facts: DossierFacts) -> Iterator[Finding]:
    chain = _data()["document_date_chain"]
    kinds = document_types()
    first: dict[str, dt.date] = {}
    for document in facts.documents:
        on = document.issued_on
        if on is not None and document.type_key in chain["types"]:
            first[document.type_key] = min(on, first.get(document.type_key, on))
    dated = [(type_key, first[type_key]) for type_key in chain["types"] if type_key in first]
    for (earlier, earlier_on), (later, later_on) in pairwise(dated):
        strict = later == chain["strict_before"]
        if later_on < earlier_on or (strict and later_on == earlier_on):
            yield _finding(
                "document_date_order",
                f"《{kinds[later].title}》的日期（{later_on:%Y-%m-%d}）早于"
                f"{'或等于' if later_on == earlier_on else ''}《{kinds[earlier].title}》的日期"
                f"（{earlier_on:%Y-%m-%d}），程序顺序颠倒。请核对各环节日期，确有笔误的请更正文书。",
            )
    yield from _before_steps(facts)
    for document in facts.documents:
        issued, served = document.issued_on, document.served_on
        if issued is not None and served is not None and served < issued:
            yield _finding(
                "served_before_issued",
                f"{document.name}的送达日期（{served:%Y-%m-%d}）早于签发日期"
                f"（{issued:%Y-%m-%d}）。请核对送达记录。",
                document.item_key,
            )


def _before_steps(facts: DossierFacts) -> Iterator[Finding]:
    """A document dated before the first step that issues it (a 决定书 older than its
    approval): the document and the procedure disagree on when it happened."""
    first = _issuing_steps(facts)
    for document in facts.documents:
        step, issued = first.get(document.type_key), document.issued_on
        if step is None or issued is None or document.of_inspection or issued >= step[0]:
            continue
        yield _finding(
            "document_before_step",
            f"{document.name}的日期（{issued:%Y-%m-%d}）早于签发它的步骤“{step[1]}”"
            f"（{step[0]:%Y-%m-%d}）。请核对文书日期和办案步骤的日期。",
            document.item_key,
        )


def _page_total(facts: DossierFacts) -> Iterator[Finding]:
    stated, counted = facts.index_total, facts.volume_total
    if stated is not None and counted is not None and stated != counted:
        yield _finding(
            "page_total",
            f"卷内目录所列页号至第{stated}页，而案卷实际编号页数为{counted}页。"
            "请重新生成案卷，使目录页号与案卷页面一致。",
        )


def _backnotes(facts: DossierFacts) -> Iterator[Finding]:
    """The 备考表 is signed off by its 立卷人 and 检查人 (GB/T 9705): a volume frozen without
    them carries the blanks forever."""
    blank = [
        label
        for label, name in (("立卷人", facts.filed_by), ("检查人", facts.checked_by))
        if not (name or "").strip()
    ]
    if blank:
        names = "、".join(blank)
        yield _finding(
            "backnotes_missing",
            f"备考表的{names}尚未填写。请在案卷页的备考表中填写{names}后再归档。",
            "notes",
        )


CHECKS = (
    _missing_documents,
    _unserved,
    _receipt,
    _scans,
    _photos,
    _media,
    _dates,
    _page_total,
    _backnotes,
)

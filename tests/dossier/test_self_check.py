"""The pre-archive check: nothing on a complete case, each finding on a case broken in one
place, and the score worked out by hand from the review items (§4.4; review_items.json)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from fuanjian_desktop.domain.guard.case_guard import ReviewItem as GuardItem
from fuanjian_desktop.domain.procedure import Procedure
from fuanjian_desktop.dossier.self_check import (
    DossierDocument,
    DossierFacts,
    DossierMedia,
    DossierPhoto,
    Finding,
    review_items,
    self_check,
)
from fuanjian_desktop.resources import load_json_resource


def on(month: int, day: int) -> dt.date:
    return dt.date(2026, month, day)


def at(day: int, hour: int, minute: int, second: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, second, tzinfo=dt.UTC)


def doc(
    key: str,
    type_key: str,
    title: str,
    number: str | None,
    issued: dt.date,
    served: dt.date | None = None,
    *,
    method: str | None = None,
    scanned: bool = False,
    inspection: bool = False,
) -> DossierDocument:
    status = "served" if served else "issued"
    return DossierDocument(
        f"doc:{key}", type_key, title, number, status, issued, served, method, scanned, inspection
    )


DECISION = "（深福）应急罚〔2026〕3号"
NOTICE = "（深福）应急罚告〔2026〕3号"
DOCUMENTS = (
    doc("check", "inspection_record", "现场检查记录", "（深福）应急检记〔2026〕5号", on(3, 2),
        on(3, 2), method="直接送达", scanned=True, inspection=True),
    doc("order", "rectification_order", "责令限期整改指令书", "（深福）应急责改〔2026〕7号",
        on(3, 2), on(3, 2), method="直接送达", scanned=True, inspection=True),
    doc("filing", "filing_approval", "立案审批表", "（深福）应急立〔2026〕3号", on(3, 5)),
    doc("inquiry", "inquiry_record", "询问笔录", None, on(3, 10), scanned=True),
    doc("report", "investigation_report", "案件调查终结报告", "（深福）应急终报〔2026〕3号",
        on(3, 25)),
    doc("notice", "penalty_notice", "行政处罚告知书", NOTICE, on(3, 28), on(3, 28),
        method="直接送达", scanned=True),
    doc("approval", "case_handling_approval", "案件处理呈批表", "（深福）应急处呈〔2026〕3号",
        on(4, 3)),
    doc("decision", "penalty_decision", "行政处罚决定书", DECISION, on(4, 8), on(4, 9),
        method="留置送达", scanned=True),
    doc("receipt", "service_receipt", "文书送达回执", "（深福）应急回〔2026〕3号", on(4, 9),
        scanned=True),
    doc("closing", "closing_approval", "结案审批表", "（深福）应急结〔2026〕3号", on(5, 8)),
)  # fmt: skip
STEPS = (
    ("approve_filing", on(3, 5)),
    ("end_investigation", on(3, 25)),
    ("pass_review", on(3, 26)),
    ("serve_notice", on(3, 28)),
    ("waive_statement", on(3, 30)),
    ("submit_decision", on(4, 3)),
    ("approve_decision", on(4, 8)),
    ("serve_decision", on(4, 9)),
    ("record_payment", on(4, 20)),
    ("submit_closing", on(5, 8)),
    ("approve_closing", on(5, 10)),
)
COMPLETE = DossierFacts(
    procedure=Procedure.GENERAL,
    steps=STEPS,
    milestones={
        "filed": on(3, 5),
        "investigation_ended": on(3, 25),
        "legal_reviewed": on(3, 26),
        "notice_served": on(3, 28),
        "statement_waived": on(3, 30),
        "decision_submitted": on(4, 3),
        "decided": on(4, 8),
        "decision_served": on(4, 9),
        "closing_submitted": on(5, 8),
        "closed": on(5, 10),
    },
    documents=DOCUMENTS,
    receipt_rows=(f"《行政处罚告知书》{NOTICE}", f"《行政处罚决定书》{DECISION}"),
    photos=(DossierPhoto("第1张", "消防通道堆放杂物"), DossierPhoto("第2张", "整改后通道畅通")),
    media=(
        # one 执法记录仪 split into files 30 s apart: no break; a 5-minute break with its reason
        DossierMedia("检查1", "现场检查", at(2, 9, 0), at(2, 9, 15), None),
        DossierMedia("检查2", "现场检查", at(2, 9, 15, 30), at(2, 9, 30), None),
        DossierMedia("检查3", "现场检查", at(2, 9, 35), at(2, 9, 40), "更换电池"),
        DossierMedia("询问", "询问", at(10, 14, 0), at(10, 15, 0), None),
    ),
    index_total=14,
    volume_total=14,
    filed_by="王芳",
    checked_by="刘洋",
)


def without(key: str) -> tuple[DossierDocument, ...]:
    return tuple(d for d in DOCUMENTS if d.item_key != f"doc:{key}")


def changed(key: str, **fields: object) -> tuple[DossierDocument, ...]:
    return tuple(replace(d, **fields) if d.item_key == f"doc:{key}" else d for d in DOCUMENTS)  # type: ignore[arg-type]


def only(facts: DossierFacts) -> Finding:
    findings = self_check(facts).findings
    assert len(findings) == 1, findings
    return findings[0]


def test_a_complete_case_has_no_finding() -> None:
    check = self_check(COMPLETE)
    assert check.findings == ()
    assert (check.score, check.vetoed, check.blocking) == (100, False, False)


def test_a_missing_main_stage_document_is_a_veto_that_blocks() -> None:
    finding = only(replace(COMPLETE, documents=without("closing")))
    assert (finding.code, finding.item, finding.item_label) == (
        "main_document_missing",
        "basic.main_documents",
        "基本标准·主要环节文书齐全",
    )
    assert "《结案审批表》" in finding.message and "已办理“提请结案”" in finding.message
    assert (finding.veto, finding.blocks_archive, finding.deduction) == (True, True, 0)
    check = self_check(replace(COMPLETE, documents=without("closing")))
    assert (check.score, check.vetoed, check.blocking) == (100, True, True)


def test_the_procedure_requires_documents_even_without_their_step() -> None:
    """A penalty case whose steps lack 批准立案 still needs its 立案审批表."""
    steps = tuple(step for step in STEPS if step[0] != "approve_filing")
    finding = only(replace(COMPLETE, steps=steps, documents=without("filing")))
    assert finding.code == "main_document_missing"
    assert "《立案审批表》（一般程序案件必须有）" in finding.message


def test_a_missing_document_of_another_step_costs_points_in_its_item() -> None:
    """先行登记保存 taken, its two documents absent: 2 points each from 强制措施 (10)."""
    facts = replace(COMPLETE, steps=(*STEPS, ("preserve_evidence", on(3, 12))))
    check = self_check(facts)
    assert [(f.code, f.item, f.deduction) for f in check.findings] == [
        ("document_missing", "content.measures", 2),
        ("document_missing", "content.measures", 2),
    ]
    assert "《先行登记保存证据审批表》" in check.findings[0].message
    assert (check.score, check.vetoed, check.blocking) == (96, False, True)


def test_a_hearing_offered_needs_its_notice() -> None:
    facts = replace(
        COMPLETE, milestones={**COMPLETE.milestones, "hearing_notice_served": on(3, 28)}
    )
    finding = only(facts)
    assert finding.code == "main_document_missing" and "《行政处罚听证告知书》" in finding.message


def test_a_document_issued_but_never_served() -> None:
    documents = changed("notice", status="issued", served_on=None, served_method=None)
    finding = only(replace(COMPLETE, documents=documents))
    assert (finding.code, finding.item, finding.deduction) == ("not_served", "content.service", 2)
    assert finding.item_key == "doc:notice" and finding.blocks_archive
    assert NOTICE in finding.message and "登记送达" in finding.message


def test_a_document_served_after_the_receipt_is_on_its_scanned_paper_original() -> None:
    """A 催告书 served after the 送达回执 was made is written onto the paper receipt by hand:
    once that receipt is scanned it is the record; unscanned, the service is unproven.
    Inspection documents are signed on themselves and never need a row."""
    reminder = doc("reminder", "payment_reminder", "缴纳罚款催告书", "（深福）应急催〔2026〕1号",
                   on(4, 25), on(4, 25), method="直接送达", scanned=True)  # fmt: skip
    steps = (*STEPS, ("serve_payment_reminder", on(4, 25)))
    facts = replace(COMPLETE, documents=(*DOCUMENTS, reminder), steps=steps)
    assert self_check(facts).findings == ()
    unscanned = replace(facts, documents=(*changed("receipt", scanned=False), reminder))
    findings = self_check(unscanned).findings
    assert [(f.code, f.item_key) for f in findings] == [
        ("not_in_receipt", "doc:reminder"),
        ("no_scan", "doc:receipt"),
    ]
    finding = findings[0]
    assert (finding.item, finding.deduction, finding.blocks_archive) == (
        "content.service",
        1,
        False,
    )
    assert "请在纸质送达回执上续填该文书的送达情况" in finding.message


def test_an_onsite_decision_is_signed_on_itself_and_needs_no_receipt() -> None:
    decision = doc("onsite", "onsite_penalty_decision", "行政（当场）处罚决定书（单位）",
                   "（深福）应急罚当〔2026〕2号", on(3, 2), on(3, 2), method="直接送达",
                   scanned=True)  # fmt: skip
    closing = doc(
        "closing", "closing_approval", "结案审批表", "（深福）应急结〔2026〕9号", on(3, 9)
    )
    simple = DossierFacts(
        procedure=Procedure.SIMPLE,
        steps=(("decide_onsite", on(3, 2)), ("submit_closing", on(3, 9))),
        milestones={"decided": on(3, 2), "decision_served": on(3, 2)},
        documents=(decision, closing),
        receipt_rows=None,
        filed_by="王芳",
        checked_by="刘洋",
    )
    assert self_check(simple).findings == ()
    assert only(replace(simple, documents=(closing,))).code == "main_document_missing"


def test_a_case_without_a_receipt_lists_every_served_document() -> None:
    check = self_check(replace(COMPLETE, receipt_rows=None))
    assert [(f.code, f.item_key) for f in check.findings] == [
        ("not_in_receipt", "doc:notice"),
        ("not_in_receipt", "doc:decision"),
    ]
    assert check.score == 98


def test_a_receipt_row_must_carry_the_number_too() -> None:
    rows = ("《行政处罚告知书》（深福）应急罚告〔2026〕2号", f"《行政处罚决定书》{DECISION}")
    finding = only(replace(COMPLETE, receipt_rows=rows))
    assert (finding.code, finding.item_key) == ("not_in_receipt", "doc:notice")
    assert "请更正文书送达回执，补列该文书" in finding.message


def test_a_paper_signed_document_without_its_scan() -> None:
    """A transcript and a document served in person need their signed original; one served
    electronically has none."""
    documents = changed("inquiry", scanned=False)
    finding = only(replace(COMPLETE, documents=documents))
    assert (finding.code, finding.item, finding.deduction) == ("no_scan", "system.originals", 0)
    assert "系统生成副本" in finding.message and not finding.blocks_archive
    decision = changed("decision", scanned=False)
    assert only(replace(COMPLETE, documents=decision)).item_key == "doc:decision"
    electronic = changed("decision", scanned=False, served_method="电子送达")
    assert self_check(replace(COMPLETE, documents=electronic)).findings == ()


def test_photos_without_a_caption_cost_a_point_each_up_to_the_item() -> None:
    one = only(replace(COMPLETE, photos=(DossierPhoto("第3张（现场检查 2026-03-02）", " "),)))
    assert (one.code, one.item, one.deduction, one.item_key) == (
        "photo_caption", "surface.wording", 1, "photos",
    )  # fmt: skip
    assert "第3张（现场检查 2026-03-02）" in one.message and one.blocks_archive
    five = tuple(DossierPhoto(f"第{n}张", None) for n in range(5))
    assert self_check(replace(COMPLETE, photos=five)).score == 96  # 文书填写规范 has 4 points


def test_a_break_in_the_recording_needs_a_reason() -> None:
    media = (
        DossierMedia("检查1", "现场检查", at(2, 9, 0), at(2, 9, 15), None),
        DossierMedia("检查2", "现场检查", at(2, 9, 20), at(2, 9, 30), None),
    )
    finding = only(replace(COMPLETE, media=media))
    assert (finding.code, finding.item, finding.item_key) == (
        "media_gap", "content.investigation", "media",
    )  # fmt: skip
    assert "中断5分钟" in finding.message and finding.blocks_archive
    # 61 seconds is a break; 60 is not (the tolerance in review_items.json)
    short = (media[0], replace(media[1], started_at=at(2, 9, 16, 0)))
    assert self_check(replace(COMPLETE, media=short)).findings == ()
    longer = (media[0], replace(media[1], started_at=at(2, 9, 16, 1)))
    assert "中断1分1秒" in only(replace(COMPLETE, media=longer)).message


def moved(code: str, to: dt.date) -> tuple[tuple[str, dt.date], ...]:
    """The steps with ``code`` taken on ``to`` instead."""
    return tuple((step, to if step == code else day) for step, day in STEPS)


def test_a_decision_dated_on_the_day_of_its_notice_is_a_date_inversion() -> None:
    """告知 < 决定 strictly (the 陈述申辩 period lies between); 决定 ≤ 送达 may be the same day."""
    same_day = replace(
        COMPLETE,
        documents=changed("decision", issued_on=on(3, 28)),
        steps=moved("approve_decision", on(3, 28)),
    )
    finding = only(same_day)
    assert (finding.code, finding.item, finding.veto) == (
        "document_date_order", "basic.procedure", True,
    )  # fmt: skip
    assert "早于或等于《行政处罚告知书》" in finding.message and not finding.blocks_archive
    earlier = replace(
        COMPLETE,
        documents=changed("closing", issued_on=on(4, 1)),
        steps=moved("submit_closing", on(4, 1)),
    )
    assert "《结案审批表》的日期（2026-04-01）早于《文书送达回执》" in only(earlier).message


def test_a_document_dated_before_the_step_that_issues_it() -> None:
    finding = only(replace(COMPLETE, documents=changed("decision", issued_on=on(4, 7))))
    assert (finding.code, finding.item, finding.item_key) == (
        "document_before_step", "basic.procedure", "doc:decision",
    )  # fmt: skip
    assert "早于签发它的步骤“批准处罚决定”（2026-04-08）" in finding.message


def test_a_document_served_before_it_was_issued() -> None:
    documents = changed("notice", served_on=on(3, 27))
    finding = only(replace(COMPLETE, documents=documents))
    assert (finding.code, finding.item_key) == ("served_before_issued", "doc:notice")


def test_the_index_total_must_equal_the_numbered_pages() -> None:
    finding = only(replace(COMPLETE, index_total=13))
    assert (finding.code, finding.item, finding.deduction) == ("page_total", "surface.index", 2)
    assert "至第13页" in finding.message and "14页" in finding.message and finding.blocks_archive


def test_the_notes_need_their_filer_and_checker_before_archiving() -> None:
    finding = only(replace(COMPLETE, checked_by=" "))
    assert (finding.code, finding.item, finding.deduction, finding.item_key) == (
        "backnotes_missing", "surface.other", 1, "notes",
    )  # fmt: skip
    assert finding.blocks_archive and "备考表的检查人尚未填写" in finding.message
    both = only(replace(COMPLETE, filed_by=None, checked_by=None))
    assert "立卷人、检查人" in both.message


def test_guard_defects_map_by_code_then_by_category() -> None:
    defects = (
        ("handlers", "持有执法证的承办人只有1名", "主体"),
        ("statement_period_open", "陈述申辩期未届满", "程序"),
        ("case_limit_passed", "已超过办案期限", "程序"),
        ("document_incomplete", "缺少签收人", "文书"),
    )
    check = self_check(replace(COMPLETE, defects=defects))
    assert [(f.code, f.item, f.deduction, f.veto, f.blocks_archive) for f in check.findings] == [
        ("statement_period_open", "basic.procedure", 0, True, False),
        ("handlers", "basic.two_officers", 0, True, False),
        ("document_incomplete", "surface.wording", 1, False, True),
        ("case_limit_passed", "content.decision", 3, False, False),
    ]
    assert check.findings[1].message == "持有执法证的承办人只有1名"
    assert (check.score, check.vetoed, check.blocking) == (96, True, True)


def test_the_score_caps_each_item_at_its_points() -> None:
    """By hand: 办案期限 ×4 = 12 → 10 (审查和决定, 10 points); 照片 ×5 = 5 → 4; 页数 2;
    回执 1: 100 − 17 = 83."""
    defects = tuple(("case_limit_passed", "超期", "程序") for _ in range(4))
    facts = replace(
        COMPLETE,
        defects=defects,
        photos=tuple(DossierPhoto(f"第{n}张", "") for n in range(5)),
        index_total=15,
        receipt_rows=(f"《行政处罚决定书》{DECISION}",),
    )
    check = self_check(facts)
    assert len(check.findings) == 11
    assert (check.score, check.vetoed) == (83, False)


def test_the_review_items_add_up_and_every_guard_category_is_mapped() -> None:
    items = review_items()
    points = {section: 0 for section in ("basic", "surface", "content", "system")}
    for key, item in items.items():
        points[key.split(".")[0]] += item.points
    assert points == {"basic": 0, "surface": 20, "content": 80, "system": 0}
    assert all(item.veto == key.startswith("basic.") for key, item in items.items())
    data = load_json_resource("dossier", "review_items.json")
    assert set(data["defects"]["by_review_item"]) == {str(item) for item in GuardItem}
    kinds = {row["key"] for row in load_json_resource("documents", "types.json")["types"]}
    filed = [
        type_key
        for section in data["sections"]
        for item in section["items"]
        for type_key in item.get("documents", ())
    ]
    assert sorted(filed) == sorted(kinds)  # every kind of document belongs to one content item
    rules = [*data["findings"].values(), *data["defects"]["codes"].values()]
    assert all(rule["item"] in items or rule["item"] == "by_document" for rule in rules)


def test_a_case_decided_after_a_hearing_needs_no_handling_approval() -> None:
    """举行听证 leads straight to 决定审批 (domain/procedure.py): no 案件处理呈批表 is issued,
    so none is required; the hearing's own documents are."""
    hearing_steps = (
        *STEPS[:4],
        ("request_hearing", on(3, 30)),
        ("schedule_hearing", on(3, 31)),
        ("hold_hearing", on(4, 8)),
        *STEPS[6:],
    )
    rights = doc(
        "rights",
        "hearing_rights_notice",
        "行政处罚听证告知书",
        "（深福）应急听告〔2026〕1号",
        on(3, 28),
        on(3, 28),
        method="直接送达",
        scanned=True,
    )
    meeting = doc(
        "meeting",
        "hearing_meeting_notice",
        "行政处罚听证会通知书",
        "（深福）应急听通〔2026〕1号",
        on(3, 31),
        on(3, 31),
        method="直接送达",
        scanned=True,
    )
    record = doc("hearing", "hearing_record", "听证笔录", None, on(4, 8), scanned=True)
    report = doc(
        "report2", "hearing_report", "听证会报告书", "（深福）应急听报〔2026〕1号", on(4, 8)
    )
    assert COMPLETE.receipt_rows is not None
    rows = (*COMPLETE.receipt_rows, rights.name, meeting.name)
    facts = replace(
        COMPLETE,
        steps=hearing_steps,
        milestones={**COMPLETE.milestones, "hearing_notice_served": on(3, 28)},
        documents=(*without("approval"), rights, meeting, record, report),
        receipt_rows=rows,
    )
    assert self_check(facts).findings == ()
    missing = only(replace(facts, documents=(*without("approval"), rights, meeting, report)))
    assert missing.code == "main_document_missing"
    assert "《听证笔录》（已办理“举行听证”）" in missing.message

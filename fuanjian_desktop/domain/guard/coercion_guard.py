"""The guard's defects of 行政强制措施: 查封扣押 and 停止供电 (registered in ``case_guard.CHECKS``).

A 案卷评查 checks that a seizure was approved before it was decided (行政强制法第十八条, or within
24 hours when taken on site, 第十九条), that it lasted no longer than thirty days or was
extended once, in time, by approval (第二十五条), that it ended with a 处理决定 (第二十七条)
before the case closed, and that a power cut was within the squad's powers (安全生产法第七十条).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from fuanjian_desktop.domain.coercion import (
    EXTEND_STEP,
    SEIZURE_RULE,
    extensions,
    power_cut_allowed,
    seizure_end,
    seizure_law,
)
from fuanjian_desktop.domain.guard.case_guard import PROGRESS, CaseFacts, Defect, ReviewItem

FORCE_LAW = "《中华人民共和国行政强制法》"
SEIZURE_STEPS = frozenset({"approve_seizure", "decide_seizure"})


def coercion_defects(facts: CaseFacts) -> Iterator[Defect]:
    """Every defect of the case's coercive measures, in review order."""
    yield from _onsite_seizure(facts)
    yield from _seizure_approval(facts)
    yield from _seizure_missing(facts)
    yield from _seizure_extensions(facts)
    yield from _seizure_extended_after_disposal(facts)
    yield from _seizure_limit(facts)
    yield from _seizure_open_at_closing(facts)
    yield from _power_cut(facts)


def _onsite_seizure(facts: CaseFacts) -> Iterator[Defect]:
    """A 查封、扣押 taken during the inspection must be approved and decided in writing."""
    onsite = facts.onsite_seizure_on
    if onsite is None:
        return
    law = seizure_law()
    if not facts.dated("seizure_decided"):
        yield Defect(
            "onsite_seizure_undocumented",
            f"现场检查时（{onsite:%Y年%m月%d日}）已采取查封、扣押措施，但本案没有批准手续和"
            f"查封扣押决定书（{law.onsite_source}）。请先办理“批准查封扣押”，再送达查封扣押"
            "决定书及清单。",
            ReviewItem.PROCEDURE,
            PROGRESS - SEIZURE_STEPS,
        )
    approved = facts.dated("seizure_approved")
    limit = onsite + dt.timedelta(days=law.onsite_report_days)
    if approved and approved > limit:
        yield Defect(
            "onsite_seizure_approved_late",
            f"现场查封、扣押于{onsite:%Y年%m月%d日}实施，{approved:%Y年%m月%d日}才补办批准手续，"
            f"超过二十四小时（{law.onsite_source}）。请在案卷中说明迟延原因。",
            ReviewItem.PROCEDURE,
            frozenset(),
        )


def _seizure_approval(facts: CaseFacts) -> Iterator[Defect]:
    """The leader approves before the 决定书 is served (or the same day)."""
    decided, approved = facts.dated("seizure_decided"), facts.dated("seizure_approved")
    if decided and (approved is None or approved > decided):
        yield Defect(
            "seizure_unapproved",
            f"查封扣押决定前未经行政机关负责人批准（{FORCE_LAW}第十八条第（一）项）。"
            "请先由中队负责人“批准查封扣押”（行政强制审批表）。",
            ReviewItem.PROCEDURE,
            frozenset({"decide_seizure"}),
        )


def _seizure_missing(facts: CaseFacts) -> Iterator[Defect]:
    """An extension or a 处理决定 needs a seizure to act on."""
    if facts.dated("seizure_decided"):
        return
    for milestone, what in (("seizure_extended", "延长查封扣押期限"), ("seizure_disposed", "处理")):
        if facts.dated(milestone):
            yield Defect(
                f"{milestone}_without_seizure",
                f"本案没有送达查封扣押决定书，无从{what}（{FORCE_LAW}第二十四条）。"
                "请核对是否已办理查封扣押。",
                ReviewItem.PROCEDURE,
                frozenset({"extend_seizure", "dispose_seizure"}),
            )


def _seizure_extensions(facts: CaseFacts) -> Iterator[Defect]:
    """One extension, decided while the first thirty days still run."""
    decided = facts.dated("seizure_decided")
    dates = extensions(facts.steps)
    if decided is None or not dates:
        return
    law = seizure_law()
    if len(dates) > law.extensions_allowed:
        yield Defect(
            "seizure_extended_twice",
            f"查封扣押期限已延长过一次，不得再次延长（{law.source}）。"
            "请在期限届满前作出没收、移送或者解除的处理决定。",
            ReviewItem.PROCEDURE,
            frozenset({"extend_seizure"}),
        )
    original = seizure_end(decided)
    if dates[0] > original:
        yield Defect(
            "seizure_extended_late",
            f"查封扣押期限已于{original:%Y年%m月%d日}届满，{dates[0]:%Y年%m月%d日}才决定延长"
            f"（{FORCE_LAW}第二十五条：延长须在期限内经批准并书面告知当事人）。"
            "期限届满的，请立即作出处理决定（解除查封扣押）。",
            ReviewItem.PROCEDURE,
            frozenset({"extend_seizure"}),
        )


def _seizure_extended_after_disposal(facts: CaseFacts) -> Iterator[Defect]:
    """Once the 处理决定 is made the seizure has ended: there is nothing left to extend."""
    codes = [code for code, _ in facts.steps]
    if "dispose_seizure" in codes and EXTEND_STEP in codes[codes.index("dispose_seizure") :]:
        yield Defect(
            "seizure_extended_after_disposal",
            f"查封扣押已作出处理决定，不能再延长期限（{FORCE_LAW}第二十五条、第二十七条）。"
            "需要重新查封扣押的，请另行报批。",
            ReviewItem.PROCEDURE,
            frozenset({EXTEND_STEP}),
        )


def _seizure_limit(facts: CaseFacts) -> Iterator[Defect]:
    """The 处理决定 comes by the period's last day (extended or not)."""
    limit = facts.deadline(SEIZURE_RULE)
    if limit is None:
        return
    disposed = facts.dated("seizure_disposed")
    late = disposed > limit.due if disposed else limit.is_overdue(facts.today)
    if late:
        yield Defect(
            "seizure_limit_passed",
            f"查封扣押已超过期限（{limit.explanation}），未在期限内作出处理决定"
            f"（{limit.rule.source}）。请立即作出处理决定，不再需要查封扣押的予以解除。",
            ReviewItem.PROCEDURE,
            frozenset() if disposed else PROGRESS,
        )


def _seizure_open_at_closing(facts: CaseFacts) -> Iterator[Defect]:
    """A case does not close with property still seized."""
    closing = facts.dated("closing_submitted") or facts.dated("closed")
    if closing and facts.dated("seizure_decided") and not facts.dated("seizure_disposed"):
        yield Defect(
            "seizure_open_at_closing",
            f"查封扣押尚未作出处理决定即结案（{FORCE_LAW}第二十七条）。"
            "请先作出没收、移送或者解除的处理决定。",
            ReviewItem.PROCEDURE,
            frozenset({"submit_closing", "approve_closing"}),
        )


def _power_cut(facts: CaseFacts) -> Iterator[Defect]:
    """停止供电 only with the delegated power; 恢复 only after a 停止."""
    if facts.dated("power_cut") and not power_cut_allowed(facts.settings):
        yield Defect(
            "power_cut_not_delegated",
            "本中队未受委托采取停止供电（供应民用爆炸物品）措施：《中华人民共和国安全生产法》"
            "第七十条规定由负有安全生产监督管理职责的部门经主要负责人批准采取。"
            "委托书载明此项职权的，请管理员在“办案程序设置”中开启；否则请报区局办理。",
            ReviewItem.SUBJECT,
            frozenset({"cut_power"}),
        )
    if facts.dated("power_restored") and not facts.dated("power_cut"):
        yield Defect(
            "power_restored_without_cut",
            "本案没有停止供电（供应民用爆炸物品）的记录，无从恢复（《中华人民共和国安全生产法》"
            "第七十条第二款）。请核对。",
            ReviewItem.PROCEDURE,
            frozenset({"restore_power"}),
        )

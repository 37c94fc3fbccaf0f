"""Demo 行政强制: the delegated power the demo squad holds, and the 鉴定委托书 of its seizure.

The demo squad is shown as one whose 委托书 includes 停止供电 (安全生产法第七十条), so its
power-cut story can run: an installation keeps the setting off until an administrator turns it
on. The 鉴定委托书 is no procedure step: the handler drafts it from the 文书 tab the working day
after the 查封扣押决定书, sending the seized equipment for testing, and issues it.
"""

from __future__ import annotations

from sqlalchemy import select

from fuanjian_desktop.demo.demo_documents import as_user, demo_values, written
from fuanjian_desktop.documents.spec import document_spec
from fuanjian_desktop.domain.coercion import coercion_data
from fuanjian_desktop.domain.deadlines import add_working_days
from fuanjian_desktop.ids import new_id
from fuanjian_desktop.models import Case, CaseDocument, LocalSetting
from fuanjian_desktop.services.documents.document_issue import chosen_variant, context_for, fill
from fuanjian_desktop.services.documents.documents import issue_draft
from fuanjian_desktop.services.procedure_settings import PREFIX
from fuanjian_desktop.services.unit_of_work import ActionScope

APPRAISAL = "appraisal_commission"


def grant_demo_powers(scope: ActionScope) -> None:
    """The demo installation holds the delegated 停止供电 power (off in a real installation)."""
    key = PREFIX + str(coercion_data()["power_cut"]["setting"])
    scope.session.merge(LocalSetting(key=key, value="1"))
    scope.log("演示数据：本中队受委托采取停止供电（供应民用爆炸物品）措施")


def issue_appraisal(scope: ActionScope, squad_id: str) -> None:
    """The 鉴定委托书 of the squad's latest seizure, listing the seized items."""
    found = scope.session.execute(
        select(Case, CaseDocument.issued_on)
        .join(CaseDocument, CaseDocument.case_id == Case.id)
        .where(Case.squad_id == squad_id, CaseDocument.type_key == "seizure_decision")
        .order_by(CaseDocument.issued_on.desc())
    ).first()
    if found is None:
        return
    case, seized_on = found
    if seized_on is None:
        return
    on = add_working_days(seized_on, 1)
    handler = as_user(scope, case.handler_rows[0].user_id)
    spec = document_spec(APPRAISAL)
    document = CaseDocument(id=new_id(), case_id=case.id, type_key=APPRAISAL, status="draft")
    context = context_for(scope.session, document, on)
    fill(document, spec, context, chosen_variant(spec, None, context))
    typed = written(demo_values().get(APPRAISAL, {}), on, case.party_name)
    document.values = {**document.values, **typed}
    scope.session.add(document)
    handler.record(document, f"新建《{document.title}》草稿", before=None)
    issue_draft(handler, document, on)

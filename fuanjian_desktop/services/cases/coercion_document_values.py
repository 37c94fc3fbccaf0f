"""The ``seizure.*``, ``power.*``, ``coercion.*`` and ``appraisal.*`` keys of a case's context.

Read from the case file: the 查封扣押决定书 in force (文号, 清单), the seizure's period from its
milestones through the deadline engine (so the decision prints the same last day the 工作台
shows), the notes of the coercive steps (延长理由, 处理决定), and the evidence lists of the
case's documents for the 鉴定委托书. A value the records do not hold stays empty.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fuanjian_desktop import reference
from fuanjian_desktop.domain.coercion import (
    coercion_data,
    disposal_basis,
    seizure_end,
    seizure_law,
)
from fuanjian_desktop.domain.documents.document_text import written_date
from fuanjian_desktop.domain.documents.document_types import IN_FORCE
from fuanjian_desktop.services.cases.case_document_values import item_line
from fuanjian_desktop.services.cases.case_file import CaseFile

COERCION_KEYS = (
    "coercion.request",
    *(
        f"seizure.{name}"
        for name in (
            "no", "decided_on", "from", "until", "extended_until", "items", "problems",
            "basis", "measures", "measure", "extension_reason", "disposal", "disposal_basis",
        )
    ),
    "power.cut_on",
    "appraisal.items",
)  # fmt: skip
COERCION_LIST_KEYS = frozenset({"appraisal.items"})
# the documents whose lists name things the case holds, and the column naming the model in each
EVIDENCE_LISTS = {
    "preservation_notice": "model",
    "seizure_decision": "model",
    "sampling_voucher": "spec",
}


def coercion_values(file: CaseFile) -> dict[str, object]:
    """Every key of :data:`COERCION_KEYS` the case file can fill."""
    seizure = _seizure(file)
    return {
        **seizure,
        "coercion.request": _request(file, seizure),
        "power.cut_on": file.on("power_cut"),
        "appraisal.items": _evidence_items(file),
    }


def _seizure(file: CaseFile) -> dict[str, str]:
    """The ``seizure.*`` keys: the decision in force, its period and the later steps' notes."""
    decision = file.latest("seizure_decision")
    rows = (decision.values.get("items") or []) if decision else []
    decided = file.milestones.get("seizure_decided")
    extended = "seizure_extended" in file.milestones
    disposal = _clause(file.note("dispose_seizure"))
    return {
        "seizure.no": file.number("seizure_decision"),
        "seizure.decided_on": written_date(decided),
        "seizure.from": written_date(decided),
        "seizure.until": written_date(seizure_end(decided)) if decided else "",
        "seizure.extended_until": (
            written_date(seizure_end(decided, True)) if decided and extended else ""
        ),
        "seizure.items": "、".join(item_line(row) for row in rows if row.get("name")),
        "seizure.problems": file.case.facts or "",
        "seizure.basis": _measure_basis(),
        "seizure.measures": "对本决定书所附《查封扣押（场所、设施、财物）清单》所列场所、设施、"
        f"财物予以{seizure_law().measure}。",
        "seizure.measure": seizure_law().measure,
        "seizure.extension_reason": _clause(file.note("extend_seizure")).rstrip("。"),
        "seizure.disposal": disposal,
        "seizure.disposal_basis": disposal_basis(disposal) if disposal else "",
    }


def _measure_basis() -> str:
    """The article that empowers the bureau to seize (the on-site measure's own basis)."""
    code = str(coercion_data()["seizure"]["basis_measure"])
    return next(m.basis for m in reference.onsite_measures() if m.code == code)


def _request(file: CaseFile, seizure: Mapping[str, str]) -> str:
    """报请审批的行政强制事项 of the approval the latest coercive step issues, for the handlers
    to edit; empty once that step's own 行政强制审批表 is issued (a form drafted for the next
    step is written by the handlers, or filled when that step issues it)."""
    templates: dict[str, str] = coercion_data()["requests"]
    event = next((e for e in reversed(file.events) if e.action in templates), None)
    if event is None or _approved(file, event.id):
        return ""
    values = {
        "note": _clause(event.note or ""),
        "basis": seizure["seizure.basis"],
        "seizure_no": seizure["seizure.no"],
        "until": seizure["seizure.until"],
        "extended_until": seizure["seizure.extended_until"],
        "items": seizure["seizure.items"] or "场所、设施、财物",
        "disposal_basis": seizure["seizure.disposal_basis"],
    }
    return templates[event.action].format_map(values)


def _approved(file: CaseFile, event_id: str) -> bool:
    """Whether the 行政强制审批表 of the step ``event_id`` has been issued."""
    return any(
        d.type_key == "coercion_approval" and d.event_id == event_id and d.status in IN_FORCE
        for d in file.documents
    )


def _clause(note: str) -> str:
    """A note as a sentence ending with 。 (empty stays empty)."""
    text = note.strip()
    return text if not text or text.endswith("。") else f"{text}。"


def _evidence_items(file: CaseFile) -> list[dict[str, str]]:
    """物品名称 / 规格型号 / 数量 / 备注 of what the case preserved, seized or sampled."""
    rows: list[dict[str, str]] = []
    for type_key, model in EVIDENCE_LISTS.items():
        document = file.latest(type_key)
        for row in (document.values.get("items") or []) if document else []:
            if row.get("name"):
                rows.append(_evidence_row(row, model))
    return rows


def _evidence_row(row: Mapping[str, Any], model: str) -> dict[str, str]:
    """One row of the 鉴定委托书 from a row of another list (``model``: its 规格 column)."""
    text = {key: str(row.get(key) or "").strip() for key in ("name", model, "quantity", "unit")}
    return {
        "name": text["name"],
        "model": text[model],
        "quantity": f"{text['quantity']}{text['unit']}",
        "remarks": str(row.get("remarks") or "").strip(),
    }

"""What the register, the 工作台 and the hazard dialog may do with a hazard, done one way.

复查 and 移交立案 are offered from three places; the rules for when they are offered, the
confirmation and the dialog opened live here so the three cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from fuanjian_desktop.domain.inspection_rules import HazardStatus
from fuanjian_desktop.domain.roles import Permission
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.inspections.hazards import HazardRow, transfer_hazard
from ui.context import AppContext
from ui.dialogs.recheck_dialog import RecheckDialog
from ui.errors import show_failure

WAITING = (HazardStatus.PENDING, HazardStatus.NOT_RECTIFIED)
_YES = QMessageBox.StandardButton.Yes
_NO = QMessageBox.StandardButton.No


def may_recheck(actor: Actor, hazard: HazardRow) -> bool:
    """A hazard still waiting for rectification can be re-checked by hazard managers."""
    return actor.can(Permission.MANAGE_HAZARDS) and hazard.status in WAITING


def may_transfer(actor: Actor, hazard: HazardRow) -> bool:
    """Only an overdue or unrectified hazard goes to a case (mirrors ``can_transfer``)."""
    return actor.can(Permission.MANAGE_HAZARDS) and hazard.overdue


def may_open_case(actor: Actor, hazard: HazardRow) -> bool:
    """An officer may open a case (立案) from a hazard that was not rectified: overdue,
    found 未整改 at a 复查, or already handed over (移交立案)."""
    unrectified = hazard.overdue or hazard.status is HazardStatus.TRANSFERRED
    return actor.can(Permission.HANDLE_CASES) and unrectified


def open_recheck(
    parent: QWidget, context: AppContext, hazard: HazardRow, on_saved: Callable[[], None]
) -> RecheckDialog:
    """Open the 复查 form for the hazard's inspection; the caller keeps the dialog alive."""
    dialog = RecheckDialog(context, hazard.inspection_id, parent)
    dialog.accepted.connect(on_saved)
    dialog.open()
    return dialog


def confirm_transfer(
    parent: QWidget, context: AppContext, hazard: HazardRow, today: dt.date
) -> bool:
    """Ask before handing the hazard over for a case; ``True`` once it is transferred."""
    question = (
        f"将“{hazard.venue}”的隐患移交立案？\n\n{hazard.description}\n\n"
        "移交后该隐患不再复查或修改，转入立案程序。"
    )
    if QMessageBox.question(parent, "移交立案", question, _YES | _NO, _NO) != _YES:
        return False
    try:
        transfer_hazard(context.database, context.actor, hazard.id, today)
    except UserError as error:
        show_failure(parent, error, "未能移交立案")
        return False
    return True

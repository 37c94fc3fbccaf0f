"""The 中队 filter of the squad-wide lists (隐患台账, 案件管理).

Bureau users and administrators choose any squad or 全部中队; a squad's own users see only
their squad, so the box is shown but cannot be changed.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from fuanjian_desktop.domain.roles import Role
from fuanjian_desktop.services.setup import list_squads
from ui.context import AppContext

ALL_SQUADS = "全部中队"


def squad_box(context: AppContext) -> QComboBox:
    """A combo of squads whose ``currentData()`` is the chosen squad id (``None``: all)."""
    actor = context.actor
    squads = list_squads(context.database)
    own = next((squad for squad in squads if squad.id == actor.squad_id), None)
    sees_all = own is None or own.is_bureau or Role.ADMIN.value in actor.roles
    box = QComboBox()
    if sees_all:
        box.addItem(ALL_SQUADS, None)
        for squad in squads:
            box.addItem(squad.short_name, squad.id)
    else:
        box.addItem(own.short_name, own.id)
    if own is not None and not own.is_bureau:
        box.setCurrentIndex(box.findData(own.id))
    box.setEnabled(box.count() > 1)
    return box

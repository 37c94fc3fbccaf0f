"""The 中队 filter of the squad-wide lists (隐患台账, 案件管理).

Bureau viewers (a bureau role, ``squad_scope.sees_all_squads``) choose any squad or 全部中队;
a squad's own users, administrators included, see only their squad, so the box is shown but
cannot be changed: the services refuse any other squad's list.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from fuanjian_desktop.services.setup import list_squads
from fuanjian_desktop.services.squad_scope import sees_all_squads
from ui.context import AppContext

ALL_SQUADS = "全部中队"


def squad_box(context: AppContext) -> QComboBox:
    """A combo of squads whose ``currentData()`` is the chosen squad id (``None``: all)."""
    actor = context.actor
    squads = list_squads(context.database)
    own = next((squad for squad in squads if squad.id == actor.squad_id), None)
    sees_all = sees_all_squads(actor)
    box = QComboBox()
    if sees_all:
        box.addItem(ALL_SQUADS, None)
        for squad in squads:
            box.addItem(squad.short_name, squad.id)
    elif own is not None:
        box.addItem(own.short_name, own.id)
    if own is not None and not own.is_bureau:
        box.setCurrentIndex(box.findData(own.id))
    box.setEnabled(box.count() > 1)
    return box

"""``hq stats``: the bureau's enforcement figures from the synced data, by the laptop's own code.

HQ's mirror tables carry the laptops' columns under the same names, so
``services.statistics.enforcement_statistics`` runs on them unchanged: one definition of every
figure, and HQ's lines equal a laptop's ``stats`` lines for the same data.
"""

from __future__ import annotations

from fuanjian_desktop.hq.database import HqDatabase
from fuanjian_desktop.services.setup import find_squad
from fuanjian_desktop.services.statistics import enforcement_statistics


def squad_id_of(db: HqDatabase, squad_name: str | None) -> str | None:
    """The org unit named by ``--squad`` (short or full name), ``None`` for all squads.

    An unknown name raises the laptop's own Chinese ``UserError`` listing the squads.
    """
    return find_squad(db.core(), squad_name).id if squad_name else None


def statistics_lines(db: HqDatabase, year: int, squad_id: str | None) -> list[str]:
    """The year's figures as ``名称: 数值`` lines, exactly as the laptop's ``stats`` prints them."""
    return [f"{name}: {value}" for name, value in enforcement_statistics(db.core(), year, squad_id)]

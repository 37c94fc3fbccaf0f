"""What every page needs: the open database, the signed-in actor, the worker helper."""

from __future__ import annotations

from dataclasses import dataclass

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.setup import Installation
from ui.workers import Workers


@dataclass(frozen=True)
class AppContext:
    """Handed from the composition root (``ui/app.py``) to the windows it builds."""

    database: Database
    actor: Actor
    installation: Installation
    workers: Workers
    squad_name: str

"""The signed-in part of the app: builds the main window over the core.

Kept apart from ``ui/app.py`` because it imports the whole core (SQLAlchemy, the models and
every page): start-up loads this module in the background while the sign-in window is shown.
"""

from __future__ import annotations

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.models import Squad
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.setup import installation
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.workers import Workers


def build_main_window(database: Database, actor: Actor, workers: Workers) -> MainWindow:
    """The main window for a signed-in actor."""
    name = squad_name(database, actor)
    context = AppContext(database, actor, installation(database), workers, name)
    return MainWindow(context)


def squad_name(database: Database, actor: Actor) -> str:
    """The full name of ``actor``'s squad (the window title, the recovery-key sheet)."""
    with database.read() as session:
        squad = session.get(Squad, actor.squad_id) if actor.squad_id else None
        return squad.name if squad else "未归属中队"

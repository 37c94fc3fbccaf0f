"""``python main.py sync …``: this laptop's sync commands (filled in by issue 16's work)."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from fuanjian_desktop.db.engine import Database


def add_sync_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    parents: list[argparse.ArgumentParser],
) -> None:
    """Register ``sync`` and its subcommands."""
    commands.add_parser("sync", help="与区局同步")


def run_sync(
    args: argparse.Namespace, open_database: Callable[[argparse.Namespace], Database]
) -> int:
    """Run one ``sync`` subcommand."""
    raise NotImplementedError

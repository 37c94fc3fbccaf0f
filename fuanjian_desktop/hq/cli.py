"""``python main.py hq …``: the HQ server's commands (filled in by issue 16's work)."""

from __future__ import annotations

import argparse


def add_hq_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``hq`` and its subcommands."""
    commands.add_parser("hq", help="区局服务器")


def run_hq(args: argparse.Namespace) -> int:
    """Run one ``hq`` subcommand."""
    raise NotImplementedError

"""``python main.py dossier``: write the electronic volume (案卷) of one case or of every one.

``--case CASE_NO --out FILE.pdf`` writes one case's volume; ``--all --out DIR`` writes one
volume per closed or archived case into ``DIR``, named by its 案号. An archived case's volume is
its frozen PDF (never recompiled). One line per file written; an unknown 案号, a case not yet
closed, or no closed case at all is a Chinese error (exit 1).

Light at import (``main.py`` builds its parser before the GUI's first window): the core is
imported inside :func:`run_dossier`.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fuanjian_desktop.db.engine import Database

# characters no file system takes in a name (Windows is the strictest), and whitespace
UNSAFE = re.compile(r'[\\/:*?"<>|\s\x00-\x1f]+')


def add_dossier_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    parents: list[argparse.ArgumentParser],
) -> None:
    """Register ``dossier`` (``parents``: ``--data-dir`` and the credentials)."""
    dossier = commands.add_parser(
        "dossier", parents=parents, help="写出案卷（电子卷 PDF）：一宗案件，或全部已结案件"
    )
    which = dossier.add_mutually_exclusive_group(required=True)
    which.add_argument("--case", dest="case_no", help="案号，如 （深福）应急立〔2026〕1号")
    which.add_argument("--all", action="store_true", help="每宗已结案或已归档的案件各写一卷")
    dossier.add_argument(
        "--out",
        required=True,
        type=Path,
        help="--case 时为 PDF 文件路径；--all 时为写入的文件夹",
    )


def safe_name(case_no: str) -> str:
    """A file name for the volume of ``case_no`` (the 案号 as written, minus what no file
    system accepts)."""
    return f"{UNSAFE.sub('_', case_no.strip()).strip('._') or '案卷'}.pdf"


def run_dossier(
    args: argparse.Namespace, open_database: Callable[[argparse.Namespace], Database]
) -> int:
    """Write the volume(s) asked for; print one line per file written."""
    database = open_database(args)
    try:
        if args.all:
            lines = _write_all(database, args.out)
        else:
            lines = [_write_one(database, args.case_no, args.out)]
    finally:
        database.close()
    print("\n".join(lines))
    return 0


def _write_one(database: Database, case_no: str, out: Path) -> str:
    from sqlalchemy import select

    from fuanjian_desktop.errors import UserError
    from fuanjian_desktop.models import Case

    with database.read() as session:
        found = session.execute(
            select(Case.id, Case.case_no).where(Case.case_no == case_no.strip())
        ).first()
        example = session.scalar(select(Case.case_no).limit(1))
    if found is None:
        hint = f"，例如“{example}”" if example else ""
        raise UserError(
            f"没有案号为“{case_no.strip()}”的案件。请照案件页上的案号原样输入"
            f"（括号为六角括号〔〕{hint}）。"
        )
    return _write(database, found.id, found.case_no, out)


def _write_all(database: Database, folder: Path) -> list[str]:
    from sqlalchemy import select

    from fuanjian_desktop.errors import UserError
    from fuanjian_desktop.models import Case
    from fuanjian_desktop.services.dossiers.volume import DOSSIER_STAGES

    with database.read() as session:  # the list only: each volume is built (and checked) once
        cases = session.execute(
            select(Case.id, Case.case_no)
            .where(Case.stage.in_(DOSSIER_STAGES))
            .order_by(Case.closed_on.desc(), Case.case_no)
        ).all()
    if not cases:
        raise UserError("没有已结案或已归档的案件，没有案卷可写。结案后再运行本命令。")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UserError(f"无法创建文件夹“{folder}”：{_why(error)}。") from None
    return [
        _write(database, case_id, case_no, folder / safe_name(case_no))
        for case_id, case_no in cases
    ]


def _write(database: Database, case_id: str, case_no: str, target: Path) -> str:
    """Write one case's volume to ``target``; the line that says so."""
    from fuanjian_desktop.errors import UserError
    from fuanjian_desktop.services.actor import SYSTEM
    from fuanjian_desktop.services.dossiers.volume import build_volume
    from fuanjian_desktop.services.inspections.inspections import local_today

    built = build_volume(database, SYSTEM, case_id, local_today())
    try:
        target.write_bytes(built.pdf)
    except OSError as error:
        raise UserError(f"无法写入“{target}”：{_why(error)}。请换一个可写入的位置。") from None
    return f"{target}\t{case_no}\t{built.item_count} 件 {built.page_count} 页"


def _why(error: OSError) -> str:
    """Why a file could not be written, in Chinese for the usual cases."""
    if isinstance(error, FileNotFoundError):
        return "所在的文件夹不存在"
    if isinstance(error, FileExistsError):
        return "已有同名的文件（--all 时 --out 须为文件夹）"
    if isinstance(error, PermissionError):
        return "没有写入权限"
    if isinstance(error, IsADirectoryError | NotADirectoryError):
        return "路径中有同名的文件夹或文件"
    return error.strerror or "写入失败"

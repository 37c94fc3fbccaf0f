"""``python main.py sync …``: join HQ, run a round, show the standing, offline packages.

Light at import (``main.py`` builds its parser before the GUI's first window): the core is
imported inside :func:`run_sync`. Failures are Chinese :class:`~fuanjian_desktop.errors.UserError`
messages that ``main.py`` prints on stderr with exit code 1.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fuanjian_desktop.db.engine import Database


def add_sync_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    parents: list[argparse.ArgumentParser],
) -> None:
    """Register ``sync`` and its subcommands (``parents``: ``--data-dir`` and credentials)."""
    sync = commands.add_parser("sync", help="与区局同步")
    actions = sync.add_subparsers(dest="sync_command", required=True)
    enroll = actions.add_parser(
        "enroll",
        parents=parents,
        help="用区局发放的接入码接入同步（空的数据文件夹：新建数据库，并用 --user 的区局账号启用）",
    )
    enroll.add_argument("--hq", required=True, help="区局服务器地址，如 https://10.0.0.5:8765")
    enroll.add_argument("--code", required=True, help="区局管理员发放的一次性接入码")
    trust = enroll.add_mutually_exclusive_group()
    trust.add_argument("--ca", type=Path, help="区局证书的 CA 文件（PEM）")
    trust.add_argument("--pin", help="区局证书的 SHA-256 指纹（64 位十六进制）")
    enroll.add_argument("--device-name", help="本机在区局的名称（默认：计算机名）")
    actions.add_parser("run", parents=parents, help="与区局同步一轮：上传、接收、证据文件")
    actions.add_parser("status", parents=parents, help="显示待上传数、上次同步时间和同步游标")
    export = actions.add_parser(
        "export", parents=parents, help="把待上传的数据写成离线数据包（.fjsync），交区局导入"
    )
    export.add_argument("--out", required=True, type=Path, help="数据包文件路径（.fjsync）")
    imported = actions.add_parser(
        "import", parents=parents, help="导入区局导出的离线数据包（.fjsync）"
    )
    imported.add_argument("package", type=Path, help="区局导出的数据包（.fjsync）")


def run_sync(
    args: argparse.Namespace, open_database: Callable[[argparse.Namespace], Database]
) -> int:
    """Run one ``sync`` subcommand; exit 0 on success (errors raise a Chinese UserError)."""
    if args.sync_command == "enroll":
        return _enroll(args, open_database)
    database = open_database(args)
    try:
        if args.sync_command == "run":
            from fuanjian_desktop.sync_client.round import run_round

            lines = run_round(database).lines()
        elif args.sync_command == "status":
            from fuanjian_desktop.sync_client.status import sync_status

            lines = sync_status(database).lines()
        elif args.sync_command == "export":
            from fuanjian_desktop.sync_client.packages import export_package

            lines = export_package(database, args.out).lines()
        else:
            from fuanjian_desktop.sync_client.packages import import_package

            lines = import_package(database, args.package).lines()
    finally:
        database.close()
    print("\n".join(lines))
    return 0


def _enroll(
    args: argparse.Namespace, open_database: Callable[[argparse.Namespace], Database]
) -> int:
    """Join HQ: an existing data folder, or a brand-new one for ``--user``."""
    import sys

    from fuanjian_desktop.command_access import PASSWORD_ENV, command_password, is_new_folder
    from fuanjian_desktop.config import resolve_data_folder
    from fuanjian_desktop.errors import UserError
    from fuanjian_desktop.sync_client.enroll import enroll, enroll_new_folder

    folder = resolve_data_folder(getattr(args, "data_dir", None))
    trust = {"ca_file": args.ca, "pin": args.pin, "device_name": args.device_name}
    if is_new_folder(folder.root):
        username = getattr(args, "user", None)
        if not username:
            raise UserError(
                "新电脑接入同步需要用 --user 指定本中队在区局的账号"
                f"（密码放在环境变量 {PASSWORD_ENV} 中，或在终端输入）。"
            )
        made = enroll_new_folder(
            folder, args.hq, args.code, username, command_password(username, False), **trust
        )
        joined = made.enrollment
        print(
            f"恢复密钥（忘记全部密码时用它打开数据，只显示这一次）：{made.recovery_code}",
            file=sys.stderr,
        )
    else:
        database = open_database(args)
        try:
            joined = enroll(database, args.hq, args.code, **trust)
        finally:
            database.close()
    print(f"已接入区局同步：{joined.squad_name}，本机设备 {joined.device_id}")
    print("下一步：运行 python main.py sync run 同步数据。")
    return 0

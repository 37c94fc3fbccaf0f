"""``python main.py hq …``: the bureau administrator's commands for the HQ server.

``main.py`` builds its parser for the GUI too, so this module stays light at import time: only
``argparse`` here, the server's modules are imported inside :func:`run_hq`.

HQ's data folder (attachments by SHA-256) is named by ``--data-dir`` for ``serve``, ``import``
and ``export`` alike (:func:`data_folder`): the option, else ``FUANJIAN_HQ_DATA_DIR``, else for a
SQLite database the folder ``hq-data`` beside its file. A PostgreSQL server needs one of the
first two: the database has no place on disk to go beside.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path

DATA_DIR_ENV = "FUANJIAN_HQ_DATA_DIR"
DATA_DIR_BESIDE_SQLITE = "hq-data"


def add_hq_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``hq`` and its subcommands."""
    database = argparse.ArgumentParser(add_help=False)
    database.add_argument(
        "--db",
        required=True,
        help="区局数据库：postgresql+psycopg://用户@主机/库名，或 sqlite:///路径/hq.db",
    )
    folder = argparse.ArgumentParser(add_help=False)
    folder.add_argument(
        "--data-dir",
        type=Path,
        help=f"区局数据文件夹（证据文件）；默认取环境变量 {DATA_DIR_ENV}，"
        f"SQLite 数据库则为其旁边的 {DATA_DIR_BESIDE_SQLITE} 文件夹",
    )
    hq = commands.add_parser("hq", help="区局服务器")
    sub = hq.add_subparsers(dest="hq_command", required=True)
    init = sub.add_parser(
        "init", parents=[database], help="建立或升级区局数据库，发布机构和参考数据"
    )
    init.add_argument(
        "--registry", type=Path, help="同时导入一个中队的企业台账（按台账导入模板填写的 .xlsx）"
    )
    init.add_argument("--squad", help="--registry 台账所属的中队简称或全称，如 园岭")
    serve = sub.add_parser("serve", parents=[database, folder], help="启动区局同步服务")
    serve.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
    serve.add_argument("--port", type=port_number, default=8765, help="监听端口（默认 8765）")
    serve.add_argument("--cert", type=Path, help="HTTPS 证书文件（PEM，与 --key 一起使用）")
    serve.add_argument("--key", type=Path, help="HTTPS 私钥文件（PEM）")
    enroll = sub.add_parser("enroll", parents=[database], help="为一个中队的电脑生成一次性接入码")
    enroll.add_argument("--squad", required=True, help="中队简称或全称，如 园岭")
    enroll.add_argument("--hours", type=int, default=72, help="有效小时数（默认 72）")
    sub.add_parser("devices", parents=[database], help="列出已登记的电脑及最后联系时间")
    revoke = sub.add_parser("revoke", parents=[database], help="停用一台电脑的同步")
    revoke.add_argument("device", help="设备编号（hq devices 第一列）")
    revoke.add_argument("--reason", help="停用原因，如 电脑遗失")
    imported = sub.add_parser(
        "import", parents=[database, folder], help="导入中队电脑导出的离线同步包"
    )
    imported.add_argument("package", type=Path, help="离线同步包（.fjsync）")
    exported = sub.add_parser(
        "export", parents=[database, folder], help="为一个中队导出离线同步包（区局签名）"
    )
    exported.add_argument("--squad", required=True, help="中队简称或全称，如 园岭")
    exported.add_argument("--out", required=True, type=Path, help="写出的 .fjsync 文件")
    stats = sub.add_parser("stats", parents=[database], help="按同步到区局的数据统计执法数据")
    stats.add_argument("--year", required=True, type=int, help="统计年度，如 2026")
    stats.add_argument("--squad", help="中队简称或全称（默认：全部中队）")


def port_number(text: str) -> int:
    """A TCP port for ``--port`` (argparse reports anything else as a usage error, exit 2)."""
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"端口应为 1–65535 之间的整数，收到“{text}”")
    return int(text)


def run_hq(args: argparse.Namespace) -> int:
    """Run one ``hq`` subcommand; user errors propagate to ``main`` (Chinese, exit 1)."""
    runners = {
        "init": _init,
        "serve": _serve,
        "enroll": _enroll,
        "devices": _devices,
        "revoke": _revoke,
        "import": _import,
        "export": _export,
        "stats": _stats,
    }
    return runners[args.hq_command](args)


def data_folder(args: argparse.Namespace) -> Path:
    """HQ's data folder for this command (see the module docstring for the order)."""
    from sqlalchemy.engine import make_url

    from fuanjian_desktop.errors import UserError

    if args.data_dir is not None:
        return Path(args.data_dir)
    if os.environ.get(DATA_DIR_ENV):
        return Path(os.environ[DATA_DIR_ENV])
    url = make_url(args.db)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        return Path(url.database).resolve().parent / DATA_DIR_BESIDE_SQLITE
    raise UserError(
        f"请用 --data-dir 指定区局数据文件夹（或设置环境变量 {DATA_DIR_ENV}），"
        "hq serve、hq import 和 hq export 须使用同一个文件夹。"
    )


def _init(args: argparse.Namespace) -> int:
    from fuanjian_desktop.errors import UserError
    from fuanjian_desktop.hq.registry import check_registry_file
    from fuanjian_desktop.hq.setup import initialise_hq

    if (args.registry is None) != (args.squad is None):
        raise UserError("导入企业台账需要同时提供 --registry（台账文件）和 --squad（所属中队）。")
    registry = check_registry_file(args.registry, args.squad) if args.registry else None
    print("\n".join(initialise_hq(args.db, registry).lines()))
    return 0


def _serve(args: argparse.Namespace) -> int:
    from fuanjian_desktop.hq.certificate import certificate_pin
    from fuanjian_desktop.hq.serve import serve

    if args.cert is not None:
        pin = certificate_pin(args.cert)
        print(f"证书指纹（SHA-256，电脑接入时 sync enroll --pin 填写）：{pin}", flush=True)
    return serve(args.db, data_folder(args), args.host, args.port, args.cert, args.key)


def _enroll(args: argparse.Namespace) -> int:
    from fuanjian_desktop.hq.database import open_hq
    from fuanjian_desktop.hq.enrollment import create_code

    now = dt.datetime.now(dt.UTC)
    db = open_hq(args.db)
    try:
        code = create_code(db, args.squad, args.hours, now)
    finally:
        db.close()
    expires = (now + dt.timedelta(hours=args.hours)).astimezone().strftime("%Y-%m-%d %H:%M")
    print(f"中队：{args.squad}")
    print(f"有效期至：{expires}（{args.hours} 小时），只能使用一次。")
    print("接入码（在电脑的“同步”页输入，或 sync enroll --code）：")
    print(code)
    return 0


def _devices(args: argparse.Namespace) -> int:
    from fuanjian_desktop.hq.database import open_hq
    from fuanjian_desktop.hq.devices import HEADER, device_lines

    db = open_hq(args.db)
    try:
        lines = device_lines(db)
    finally:
        db.close()
    print("\t".join(HEADER))
    for line in lines:
        print("\t".join(line.cells))
    if not lines:
        print("（尚无登记的电脑，请用 hq enroll 生成接入码）")
    return 0


def _revoke(args: argparse.Namespace) -> int:
    from fuanjian_desktop.hq.database import open_hq
    from fuanjian_desktop.hq.devices import revoke_device

    db = open_hq(args.db)
    try:
        print(revoke_device(db, args.device, args.reason))
    finally:
        db.close()
    return 0


def _import(args: argparse.Namespace) -> int:
    from fuanjian_desktop.hq.database import open_hq
    from fuanjian_desktop.hq.packages import import_package

    db = open_hq(args.db)
    try:
        print("\n".join(import_package(db, data_folder(args), args.package).lines()))
    finally:
        db.close()
    return 0


def _export(args: argparse.Namespace) -> int:
    from fuanjian_desktop.hq.database import open_hq
    from fuanjian_desktop.hq.packages import export_package

    db = open_hq(args.db)
    try:
        print("\n".join(export_package(db, data_folder(args), args.squad, args.out).lines()))
    finally:
        db.close()
    return 0


def _stats(args: argparse.Namespace) -> int:
    """Exit 2 for an unknown squad, as the laptop's ``stats`` does (a command-line mistake)."""
    import sys

    from fuanjian_desktop.errors import UserError
    from fuanjian_desktop.hq.database import open_hq
    from fuanjian_desktop.hq.stats import squad_id_of, statistics_lines

    db = open_hq(args.db)
    try:
        try:
            squad_id = squad_id_of(db, args.squad)
        except UserError as error:
            print(f"错误：{error.message}", file=sys.stderr)
            return 2
        print("\n".join(statistics_lines(db, args.year, squad_id)))
    finally:
        db.close()
    return 0

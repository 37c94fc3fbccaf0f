"""福安监 FuAnJian Desktop — entry point.

``python main.py [--data-dir DIR]`` starts the desktop app. Headless subcommands:

- ``demo``: create the demo database (idempotent) and print the demo accounts;
- ``screenshot``: save a PNG of the main window or one page, rendered offscreen;
- ``checklists --list``: list the checklist templates (id, version, title, item count);
- ``stats --year Y [--squad S]``: print the year's enforcement figures, one ``名称: 数值`` a line;
- ``documents samples --out DIR``: write every document type as PDF and DOCX, one line a file;
- ``review [--case CASE_NO]``: print every defect the procedure guard finds, one
  ``案号<TAB>评查项目<TAB>说明`` a line; exit 0 only when there is none;
- ``audit verify``: walk the audit hash chain and the issued documents' fingerprints; print the
  number verified (exit 0) or the first break (exit 1);
- ``backup`` / ``restore``: an encrypted, verified backup, and restoring one to a new folder;
- ``dossier --case CASE_NO --out FILE.pdf`` / ``dossier --all --out DIR``: the electronic 案卷 of
  one case / of every closed or archived case (archived: the frozen volume), one line a file;
- ``hq …``: the headquarters server (``fuanjian_desktop/hq/cli.py``);
- ``sync …``: this laptop's sync with headquarters (``fuanjian_desktop/sync_client/cli.py``).

The database is encrypted: every command that reads it opens it with
``command_access.open_for_command`` (``--user`` and the password from ``FUANJIAN_PASSWORD`` or a
prompt, or ``--recovery-key``; a demo installation opens with the published demo password).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from fuanjian_desktop.command_access import (
    PASSWORD_ENV,
    REVIEW_HINT,
    command_password,
    is_new_folder,
    open_for_command,
    open_or_create,
)

if TYPE_CHECKING:
    from fuanjian_desktop.errors import UserError

ROOT = Path(__file__).resolve().parent
VENV_PYTHON = ROOT / ".venv" / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
REQUIRED_MODULES = (
    "PySide6",
    "sqlalchemy",
    "alembic",
    "argon2",
    "platformdirs",
    "ulid",
    "sqlcipher3",
    "cryptography",
)


def use_project_environment() -> None:
    """Re-run in the project's ``.venv`` when this Python lacks the dependencies.

    So ``python main.py demo …`` works as documented once ``scripts/run`` or ``scripts/test`` has
    made the environment; without one, say in Chinese how to make it.
    """
    missing = [name for name in REQUIRED_MODULES if importlib.util.find_spec(name) is None]
    if not missing:
        return
    in_venv = Path(sys.prefix).resolve() == VENV_PYTHON.parent.parent.resolve()
    if VENV_PYTHON.exists() and not in_venv:
        os.execv(VENV_PYTHON, [str(VENV_PYTHON), str(Path(__file__).resolve()), *sys.argv[1:]])
    print(
        f"错误：当前 Python 缺少依赖（{'、'.join(missing)}）。"
        "请先运行 scripts/run，它会创建 .venv 并安装依赖。",
        file=sys.stderr,
    )
    sys.exit(2)


def build_parser() -> argparse.ArgumentParser:
    """Command-line options; ``--data-dir`` is accepted before or after the subcommand."""
    data_dir = argparse.ArgumentParser(add_help=False)
    data_dir.add_argument(
        "--data-dir",
        default=argparse.SUPPRESS,
        help="数据文件夹（默认：环境变量 FUANJIAN_DATA_DIR，或系统的用户数据目录）",
    )
    credentials = argparse.ArgumentParser(add_help=False)
    credentials.add_argument(
        "--user",
        default=argparse.SUPPRESS,
        help=f"以哪个账号打开加密的数据库（密码取自环境变量 {PASSWORD_ENV}，或在终端输入）",
    )
    credentials.add_argument(
        "--recovery-key", default=argparse.SUPPRESS, help="用打印的恢复密钥打开数据库"
    )
    parser = argparse.ArgumentParser(
        prog="main.py", description="福安监 安全生产执法桌面系统", parents=[data_dir]
    )
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("demo", parents=[data_dir, credentials], help="生成演示数据并列出演示账号")
    shot = commands.add_parser("screenshot", parents=[data_dir], help="离屏截取主窗口为PNG")
    shot.add_argument("--out", required=True, type=Path, help="PNG 文件路径")
    shot.add_argument(
        "--page",
        help="页面：workbench（工作台）、inspection（现场检查）、hazards（隐患台账）、"
        "cases（案件管理）、approvals（待我审批）、dossiers（案卷）、registry（企业台账）、"
        "audit（操作日志）、"
        "users（用户管理）、sync（同步）、conflicts（同步冲突）、"
        "case（一个案件，与 --case-id 一起使用）",
    )
    shot.add_argument("--case-id", help="--page case 时显示的案件（案件 id）")
    shot.add_argument(
        "--user", default="zhangwei", help="以哪个演示账号登录（默认执法人员 zhangwei）"
    )
    shot.add_argument(
        "--recovery-key", default=argparse.SUPPRESS, help="用打印的恢复密钥打开数据库"
    )
    checklists = commands.add_parser("checklists", help="检查表模板")
    checklists.add_argument(
        "--list", action="store_true", required=True, help="列出模板：编号 版本 名称 检查项数"
    )
    stats = commands.add_parser("stats", parents=[data_dir, credentials], help="年度执法统计")
    stats.add_argument("--year", required=True, type=int, help="统计年度，如 2026")
    stats.add_argument("--squad", help="中队简称或全称，如 园岭（默认：全部中队）")
    documents = commands.add_parser("documents", help="执法文书")
    samples = documents.add_subparsers(dest="documents_command", required=True).add_parser(
        "samples",
        parents=[data_dir, credentials],
        help="每种文书各写一份 PDF 和 Word 样本（取自演示数据）",
    )
    samples.add_argument("--out", required=True, type=Path, help="样本写入的文件夹")
    review = commands.add_parser(
        "review",
        parents=[data_dir, credentials],
        help="案卷评查：列出每宗案件的程序缺陷，一行一个",
    )
    review.add_argument("--case", dest="case_no", help="只评查这个案号的案件（默认：全部案件）")
    audit = commands.add_parser("audit", help="操作日志（执法全过程记录）")
    audit.add_subparsers(dest="audit_command", required=True).add_parser(
        "verify",
        parents=[data_dir, credentials],
        help="核验操作记录链和已签发文书的指纹；完整时退出码 0，发现问题时指出第一处并退出码 1",
    )
    backup = commands.add_parser(
        "backup",
        parents=[data_dir, credentials],
        help="写出加密、核验过的备份（数据库、证据、密钥文件）",
    )
    backup.add_argument("--out", required=True, type=Path, help="备份文件路径（不覆盖已有文件）")
    restore = commands.add_parser(
        "restore",
        parents=[data_dir, credentials],
        help="把备份恢复到新的或空的数据文件夹（用恢复密钥，或 --user 加该账号的密码）",
    )
    restore.add_argument(
        "backup_file", type=Path, help="备份文件（main.py backup 或自动备份写出的）"
    )
    from fuanjian_desktop.dossier_cli import add_dossier_parser
    from fuanjian_desktop.hq.cli import add_hq_parser
    from fuanjian_desktop.sync_client.cli import add_sync_parser

    add_dossier_parser(commands, [data_dir, credentials])
    add_hq_parser(commands)
    add_sync_parser(commands, [data_dir, credentials])
    return parser


def run_checklists() -> int:
    """Print one line per usable template; report refused files on stderr (exit 1)."""
    from fuanjian_desktop.checklists.loader import load_catalogue

    catalogue = load_catalogue()
    for template in catalogue.templates:
        print(f"{template.id} {template.version} {template.title} {len(template.items)} 项")
    for error in catalogue.errors:
        print(f"错误：{error.message}", file=sys.stderr)
    return 1 if catalogue.errors else 0


def run_demo(args: argparse.Namespace) -> int:
    """Create the encrypted demo database (or open the existing one) and print the accounts.

    The recovery key is printed when the demo is created: it is never shown again.
    """
    from fuanjian_desktop.config import resolve_data_folder
    from fuanjian_desktop.demo import demo
    from fuanjian_desktop.security.keyring import Keyring

    folder = resolve_data_folder(getattr(args, "data_dir", None))
    recovery: str | None = None
    database = open_or_create(args)
    try:
        created = demo.create_demo(database)
        cases = demo.demo_case_count(database)
        if created and database.key is not None:
            recovery = Keyring.load(folder).replace_recovery(database.key)
    finally:
        database.close()
    print(f"演示数据{'已生成' if created else '已存在，未重复生成'}：{folder.database}")
    print(f"演示案件 {cases} 宗，各办案阶段均有（立案审批至归档、不予立案、撤销立案、移送）。")
    print(f"演示账号（密码均为 {demo.DEMO_PASSWORD}）：")
    for account in demo.DEMO_ACCOUNTS:
        name, squad = account.full_name, account.squad
        print(f"  {account.username:<10} {name:<4} {squad:<4} {account.role_labels}")
    if recovery is not None:
        print(f"恢复密钥（忘记全部密码时用它打开数据，只显示这一次）：{recovery}")
    return 0


def run_stats(args: argparse.Namespace, year: int, squad_name: str | None) -> int:
    """Print the year's figures (definitions: ``services/statistics.py``) as ``名称: 数值``.

    An unknown squad is a mistake in the command line, so it exits 2 as argparse does for a bad
    argument; other user errors exit 1 from :func:`main`.
    """
    from fuanjian_desktop.errors import UserError
    from fuanjian_desktop.services.setup import find_squad
    from fuanjian_desktop.services.statistics import enforcement_statistics

    database = open_for_command(args)
    try:
        try:
            squad_id = find_squad(database, squad_name).id if squad_name else None
        except UserError as error:
            report(error)
            return 2
        for name, value in enforcement_statistics(database, year, squad_id):
            print(f"{name}: {value}")
    finally:
        database.close()
    return 0


def run_document_samples(args: argparse.Namespace, out: Path) -> int:
    """Write the samples from the database's issued documents (an empty one gets the demo)."""
    from fuanjian_desktop.demo import demo
    from fuanjian_desktop.services.documents.document_samples import write_samples
    from fuanjian_desktop.services.setup import installation

    database = open_or_create(args)
    try:
        if installation(database).mode is None:
            demo.create_demo(database)
        write_samples(database, out, on_file=print)
    finally:
        database.close()
    return 0


def run_review(args: argparse.Namespace, case_no: str | None) -> int:
    """Print each defect as ``案号<TAB>评查项目<TAB>说明``; exit 0 only when there is none.

    A missing or never set-up data folder, or an unknown 案号, is a mistake in the command line:
    a Chinese message and exit 2. Nothing is created: a review only reads.
    """
    from fuanjian_desktop.config import chosen_data_folder
    from fuanjian_desktop.errors import UserError
    from fuanjian_desktop.services.cases.case_review import UnknownCaseNumber, review_cases
    from fuanjian_desktop.services.inspections.inspections import local_today
    from fuanjian_desktop.services.setup import installation

    folder = chosen_data_folder(getattr(args, "data_dir", None))
    if not folder.database.is_file():
        report(UserError(f"数据文件夹“{folder.root}”中没有数据库。{REVIEW_HINT}"))
        return 2
    if is_new_folder(folder.root):  # a first start that added no account yet
        report(UserError(f"数据文件夹“{folder.root}”尚未初始化，没有案件。{REVIEW_HINT}"))
        return 2
    database = open_for_command(args)
    try:
        if installation(database).mode is None:
            report(UserError(f"数据文件夹“{folder.root}”尚未初始化，没有案件。{REVIEW_HINT}"))
            return 2
        try:
            found = review_cases(database, local_today(), case_no)
        except UnknownCaseNumber as error:
            report(error)
            return 2
    finally:
        database.close()
    for item in found:
        print(item.line)
    return 1 if found else 0


def run_audit_verify(args: argparse.Namespace) -> int:
    """Walk the audit chain and the issued documents; exit 0 when intact, 1 at the first break.

    Prints how many events and documents were verified, or names the first break (the event's
    number, time, actor and id, or the document's title and 文号) and what is wrong with it.
    """
    from fuanjian_desktop.services.trail_check import verify_trail

    database = open_for_command(args)
    try:
        found = verify_trail(database)
    finally:
        database.close()
    print(found.summary)
    return 0 if found.intact else 1


def run_backup(args: argparse.Namespace) -> int:
    """Write a verified, encrypted backup and say what it holds; exit 1 if evidence was missing."""
    from fuanjian_desktop.services.backups import create_backup

    database = open_for_command(args)
    try:
        written = create_backup(database, args.out)
    finally:
        database.close()
    print("\n".join(written.lines()))
    return 1 if written.missing_evidence else 0


def run_restore(args: argparse.Namespace) -> int:
    """Restore a backup into an empty folder with the recovery key or an account's password."""
    from fuanjian_desktop.config import chosen_data_folder
    from fuanjian_desktop.errors import UserError
    from fuanjian_desktop.services import backups

    folder = chosen_data_folder(getattr(args, "data_dir", None))
    recovery, username = getattr(args, "recovery_key", None), getattr(args, "user", None)
    if recovery:
        unlock = backups.with_recovery_code(recovery)
    elif username:
        unlock = backups.with_password(username, command_password(username, demo_keys=False))
    else:
        raise UserError(
            "恢复需要打印的恢复密钥（--recovery-key），或一个账号（--user）及其密码"
            f"（放在环境变量 {PASSWORD_ENV} 中，或在终端输入）。"
        )
    restored = backups.restore_backup(args.backup_file, folder, unlock)
    print("\n".join(restored.lines()))
    return 0


DATABASE_FAILURE = (
    "读写数据库时出错，数据库文件可能已损坏。请重新启动程序：启动时会检查数据库，"
    "损坏时可从最近一次完好的备份恢复（或运行 python main.py restore）。"
)


def is_database_failure(error: Exception) -> bool:
    """Whether ``error`` came from SQLite/SQLCipher (a damage the start-up check did not see)."""
    kinds = [
        getattr(sys.modules.get(name), "DatabaseError", None)
        for name in ("sqlcipher3.dbapi2", "sqlalchemy.exc", "sqlite3")
    ]
    return any(isinstance(error, kind) for kind in kinds if isinstance(kind, type))


def report(error: UserError) -> None:
    """A user error as the command line shows it: Chinese, on stderr."""
    print(f"错误：{error.message}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Dispatch to the GUI or a headless command; user errors print in Chinese, exit 1.

    The core is imported only inside each command, so the GUI can show its first window before
    SQLAlchemy and the models have loaded (see ``ui/startup.py``).
    """
    from fuanjian_desktop.errors import UserError
    from fuanjian_desktop.security.private_files import use_private_umask

    use_private_umask()  # everything written from here on is readable by this user only
    args = build_parser().parse_args(argv)
    data_dir = getattr(args, "data_dir", None)
    try:
        if args.command == "demo":
            return run_demo(args)
        if args.command == "checklists":
            return run_checklists()
        if args.command == "stats":
            return run_stats(args, args.year, args.squad)
        if args.command == "documents":
            return run_document_samples(args, args.out)
        if args.command == "review":
            return run_review(args, args.case_no)
        if args.command == "audit":
            return run_audit_verify(args)
        if args.command == "backup":
            return run_backup(args)
        if args.command == "restore":
            return run_restore(args)
        if args.command == "hq":
            from fuanjian_desktop.hq.cli import run_hq

            return run_hq(args)
        if args.command == "sync":
            from fuanjian_desktop.sync_client.cli import run_sync

            return run_sync(args, open_for_command)
        if args.command == "dossier":
            from fuanjian_desktop.dossier_cli import run_dossier

            return run_dossier(args, open_for_command)
        if args.command == "screenshot":
            from ui.screenshot import take_screenshot

            take_screenshot(open_for_command(args), args.out, args.page, args.user, args.case_id)
            print(f"截图已保存：{args.out}")
            return 0
        from ui.app import run_gui

        return run_gui(data_dir)
    except UserError as error:
        report(error)
        return 1
    except BrokenPipeError:  # the reader stopped early (… | head): not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as error:  # a damaged file found mid-command: Chinese, never a traceback
        if not is_database_failure(error):
            raise
        report(UserError(DATABASE_FAILURE))
        return 1


if __name__ == "__main__":
    use_project_environment()
    sys.exit(main())

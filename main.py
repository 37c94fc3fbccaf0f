"""福安监 FuAnJian Desktop — entry point.

``python main.py [--data-dir DIR]`` starts the desktop app. Headless subcommands:

- ``demo``: create the demo database (idempotent) and print the demo accounts;
- ``screenshot``: save a PNG of the main window or one page, rendered offscreen;
- ``checklists --list``: list the checklist templates (id, version, title, item count);
- ``stats --year Y [--squad S]``: print the year's enforcement figures, one ``名称: 数值`` a line;
- ``documents samples --out DIR``: write every document type as PDF and DOCX, one line a file;
- ``review [--case CASE_NO]``: print every defect the procedure guard finds, one
  ``案号<TAB>评查项目<TAB>说明`` a line; exit 0 only when there is none.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fuanjian_desktop.errors import UserError

ROOT = Path(__file__).resolve().parent
VENV_PYTHON = ROOT / ".venv" / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
REQUIRED_MODULES = ("PySide6", "sqlalchemy", "alembic", "argon2", "platformdirs", "ulid")


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
    parser = argparse.ArgumentParser(
        prog="main.py", description="福安监 安全生产执法桌面系统", parents=[data_dir]
    )
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("demo", parents=[data_dir], help="生成演示数据并列出演示账号")
    shot = commands.add_parser("screenshot", parents=[data_dir], help="离屏截取主窗口为PNG")
    shot.add_argument("--out", required=True, type=Path, help="PNG 文件路径")
    shot.add_argument(
        "--page",
        help="页面：workbench（工作台）、inspection（现场检查）、hazards（隐患台账）、"
        "cases（案件管理）、approvals（待我审批）、registry（企业台账）、audit（操作日志）、"
        "users（用户管理）、case（一个案件，与 --case-id 一起使用）",
    )
    shot.add_argument("--case-id", help="--page case 时显示的案件（案件 id）")
    shot.add_argument(
        "--user", default="zhangwei", help="以哪个演示账号登录（默认执法人员 zhangwei）"
    )
    checklists = commands.add_parser("checklists", help="检查表模板")
    checklists.add_argument(
        "--list", action="store_true", required=True, help="列出模板：编号 版本 名称 检查项数"
    )
    stats = commands.add_parser("stats", parents=[data_dir], help="年度执法统计")
    stats.add_argument("--year", required=True, type=int, help="统计年度，如 2026")
    stats.add_argument("--squad", help="中队简称或全称，如 园岭（默认：全部中队）")
    documents = commands.add_parser("documents", help="执法文书")
    samples = documents.add_subparsers(dest="documents_command", required=True).add_parser(
        "samples", parents=[data_dir], help="每种文书各写一份 PDF 和 Word 样本（取自演示数据）"
    )
    samples.add_argument("--out", required=True, type=Path, help="样本写入的文件夹")
    review = commands.add_parser(
        "review", parents=[data_dir], help="案卷评查：列出每宗案件的程序缺陷，一行一个"
    )
    review.add_argument("--case", dest="case_no", help="只评查这个案号的案件（默认：全部案件）")
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


def run_demo(data_dir: str | None) -> int:
    """Create the demo database and print the accounts."""
    from fuanjian_desktop.config import resolve_data_folder
    from fuanjian_desktop.db.startup import open_database
    from fuanjian_desktop.demo import demo

    folder = resolve_data_folder(data_dir)
    database = open_database(folder)
    try:
        created = demo.create_demo(database)
        cases = demo.demo_case_count(database)
    finally:
        database.close()
    print(f"演示数据{'已生成' if created else '已存在，未重复生成'}：{folder.database}")
    print(f"演示案件 {cases} 宗，各办案阶段均有（立案审批至归档、不予立案、撤销立案、移送）。")
    print(f"演示账号（密码均为 {demo.DEMO_PASSWORD}）：")
    for account in demo.DEMO_ACCOUNTS:
        name, squad = account.full_name, account.squad
        print(f"  {account.username:<10} {name:<4} {squad:<4} {account.role_labels}")
    return 0


def run_stats(data_dir: str | None, year: int, squad_name: str | None) -> int:
    """Print the year's figures (definitions: ``services/statistics.py``) as ``名称: 数值``.

    An unknown squad is a mistake in the command line, so it exits 2 as argparse does for a bad
    argument; other user errors exit 1 from :func:`main`.
    """
    from fuanjian_desktop.config import resolve_data_folder
    from fuanjian_desktop.db.startup import open_database
    from fuanjian_desktop.errors import UserError
    from fuanjian_desktop.services.setup import find_squad
    from fuanjian_desktop.services.statistics import enforcement_statistics

    database = open_database(resolve_data_folder(data_dir))
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


def run_document_samples(data_dir: str | None, out: Path) -> int:
    """Write the samples from the database's issued documents (an empty one gets the demo)."""
    from fuanjian_desktop.config import resolve_data_folder
    from fuanjian_desktop.db.startup import open_database
    from fuanjian_desktop.demo import demo
    from fuanjian_desktop.services.documents.document_samples import write_samples
    from fuanjian_desktop.services.setup import installation

    database = open_database(resolve_data_folder(data_dir))
    try:
        if installation(database).mode is None:
            demo.create_demo(database)
        write_samples(database, out, on_file=print)
    finally:
        database.close()
    return 0


def run_review(data_dir: str | None, case_no: str | None) -> int:
    """Print each defect as ``案号<TAB>评查项目<TAB>说明``; exit 0 only when there is none.

    A missing or never set-up data folder, or an unknown 案号, is a mistake in the command line:
    a Chinese message and exit 2. Nothing is created: a review only reads.
    """
    from fuanjian_desktop.config import chosen_data_folder
    from fuanjian_desktop.db.startup import open_database
    from fuanjian_desktop.errors import UserError
    from fuanjian_desktop.services.cases.case_review import UnknownCaseNumber, review_cases
    from fuanjian_desktop.services.inspections.inspections import local_today
    from fuanjian_desktop.services.setup import installation

    folder = chosen_data_folder(data_dir)
    if not folder.database.is_file():
        report(UserError(f"数据文件夹“{folder.root}”中没有数据库。{REVIEW_HINT}"))
        return 2
    database = open_database(folder)
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


REVIEW_HINT = "请用 --data-dir 指定本系统的数据文件夹，或先运行 python main.py demo 生成演示数据。"


def report(error: UserError) -> None:
    """A user error as the command line shows it: Chinese, on stderr."""
    print(f"错误：{error.message}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Dispatch to the GUI or a headless command; user errors print in Chinese, exit 1.

    The core is imported only inside each command, so the GUI can show its first window before
    SQLAlchemy and the models have loaded (see ``ui/startup.py``).
    """
    from fuanjian_desktop.errors import UserError

    args = build_parser().parse_args(argv)
    data_dir = getattr(args, "data_dir", None)
    try:
        if args.command == "demo":
            return run_demo(data_dir)
        if args.command == "checklists":
            return run_checklists()
        if args.command == "stats":
            return run_stats(data_dir, args.year, args.squad)
        if args.command == "documents":
            return run_document_samples(data_dir, args.out)
        if args.command == "review":
            return run_review(data_dir, args.case_no)
        if args.command == "screenshot":
            from ui.screenshot import take_screenshot

            take_screenshot(data_dir, args.out, args.page, args.user, args.case_id)
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


if __name__ == "__main__":
    use_project_environment()
    sys.exit(main())

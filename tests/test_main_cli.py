"""The headless commands reviewers and tools call, run exactly as documented."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.db.engine import Database

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, password: str | None = None) -> subprocess.CompletedProcess[str]:
    """``main.py`` with ``args`` in a child process; ``password`` goes in FUANJIAN_PASSWORD
    (none inherited), and no terminal is there to type one at."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("FUANJIAN_PASSWORD", None)
    if password is not None:
        env["FUANJIAN_PASSWORD"] = password
    return subprocess.run(
        [sys.executable, "main.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def test_demo_then_screenshot(tmp_path: Path):
    """`demo` then `screenshot` exit 0 and leave a full-size, non-blank PNG of the main window."""
    data = tmp_path / "D"
    first = run("demo", "--data-dir", str(data))
    assert first.returncode == 0, first.stderr
    assert "zhangwei" in first.stdout and "demo1234" in first.stdout
    again = run("demo", "--data-dir", str(data))
    assert again.returncode == 0 and "已存在" in again.stdout
    shot = run("screenshot", "--data-dir", str(data), "--out", str(data / "main.png"))
    assert shot.returncode == 0, shot.stderr
    image = QImage(str(data / "main.png"))
    assert (image.width(), image.height()) == (1366, 768)
    colours = {image.pixel(x, y) for x in range(0, 1366, 37) for y in range(0, 768, 23)}
    assert len(colours) > 5


def test_screenshot_of_a_named_page_needs_permission(
    demo_database: Database, data_folder: DataFolder, tmp_path: Path
):
    """A page the user may not open is refused in Chinese; the admin can shoot it."""
    data = data_folder.root
    refused = run(
        "screenshot", "--data-dir", str(data), "--out", str(tmp_path / "u.png"), "--page", "users"
    )
    assert refused.returncode == 1 and "无权访问" in refused.stderr
    admin = run(
        "screenshot",
        "--data-dir",
        str(data),
        "--out",
        str(tmp_path / "u.png"),
        "--page",
        "users",
        "--user",
        "zhaolei",
    )
    assert admin.returncode == 0, admin.stderr
    assert (tmp_path / "u.png").stat().st_size > 10_000


def test_screenshot_without_demo_data_explains_what_to_do(tmp_path: Path):
    """On an empty folder the command tells the user to run `demo` first."""
    result = run(
        "screenshot", "--data-dir", str(tmp_path / "empty"), "--out", str(tmp_path / "x.png")
    )
    assert result.returncode == 1
    assert "python main.py demo" in result.stderr


def test_checklists_list_prints_one_line_per_template():
    """`checklists --list`: id, version, title and `N 项`, one template per line."""
    result = run("checklists", "--list")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) >= 5
    for line in lines:
        assert re.fullmatch(r"[a-z_.]+ \d{4}\.\d+ \S+ \d+ 项", line), line
    assert any(line.startswith("three_small.shop 2026.1 三小场所·小档口") for line in lines)


@pytest.mark.parametrize("page", ["inspection", "hazards", "workbench"])
def test_screenshot_of_the_inspection_pages(
    demo_database: Database, data_folder: DataFolder, tmp_path: Path, page: str
):
    """The new pages render for the demo inspector without errors."""
    out = tmp_path / f"{page}.png"
    result = run(
        "screenshot", "--data-dir", str(data_folder.root), "--page", page, "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    assert QImage(str(out)).width() == 1366


def test_stats_prints_one_figure_per_line(demo_database: Database, data_folder: DataFolder):
    """`stats --year Y --squad 园岭`: `名称: 数值` lines, integers, from 立案 to 整改隐患."""
    result = run("stats", "--data-dir", str(data_folder.root), "--year", "2026", "--squad", "园岭")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    for line in lines:
        assert re.fullmatch(r"[\u4e00-\u9fff]+: \d+", line), line
    assert lines[0].startswith("立案: ") and lines[-1].startswith("整改隐患: ")
    assert "罚没金额: " in result.stdout and "行政诉讼胜诉: " in result.stdout


def test_stats_refuses_an_unknown_squad(demo_database: Database, data_folder: DataFolder):
    """An unknown squad is a command-line mistake: a Chinese message and exit code 2."""
    result = run("stats", "--data-dir", str(data_folder.root), "--year", "2026", "--squad", "北京")
    assert result.returncode == 2
    assert "没有名为“北京”的中队" in result.stderr and "园岭" in result.stderr
    assert result.stdout == ""


def test_documents_samples_writes_every_type_a_line_each(
    demo_database: Database, data_folder: DataFolder, tmp_path: Path
):
    """`documents samples --out DIR`: a PDF and a DOCX per document title, one line per file."""
    out = tmp_path / "样本"
    result = run("documents", "samples", "--data-dir", str(data_folder.root), "--out", str(out))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    files = sorted(path.name for path in out.iterdir())
    assert sorted(Path(line).name for line in lines) == files
    assert "责令限期整改指令书.pdf" in files and "行政处罚决定书（个人）.docx" in files
    assert "询问笔录.pdf" in files and "询问笔录.docx" in files
    coercion = (
        "行政强制审批表",
        "查封扣押决定书",
        "延长查封扣押期限决定书",
        "查封扣押处理决定书",
        "停止供电（供应民用爆炸物品）通知书",
        "停止供电（供应民用爆炸物品）决定书",
        "恢复供电（供应民用爆炸物品）通知书",
        "鉴定委托书",
    )  # the 2016 set's documents 7-14 and 23 (查封扣押清单 prints inside its 决定书)
    assert all(f"{title}.pdf" in files and f"{title}.docx" in files for title in coercion)
    assert len(files) == 92  # 46 titles: every type, 单位 and 个人 forms of the decisions


def test_documents_samples_in_an_empty_folder_makes_the_demo_first(tmp_path: Path):
    """An empty data folder gets the demo, whose documents the samples are."""
    result = run(
        "documents", "samples", "--data-dir", str(tmp_path / "d"), "--out", str(tmp_path / "o")
    )
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 92

"""Time to the first window and to the main window, against a bare PySide6 window.

``python bench/startup.py [--runs 5] [--enterprises N]`` (N=0, the default, is the demo data)

Each run starts a fresh ``sys.executable bench/startup_child.py …`` with the offscreen platform
and times, from ``Popen`` to the child's ``READY`` line, how long until the window has painted
(for the app: the signed-in main window with the first registry search shown). Bare and app
alternate order run by run, after one untimed warm-up of each (cold disk caches would otherwise
punish whichever runs first). The goal is app ≤ 1.5 × bare. The app child's own marks show where
the time goes; a ``python -X importtime`` run of it is summarised into ``bench/out/``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for `python bench/...py`

from bench.datasets import OUT_DIR, ensure_dataset, private_copy
from bench.generate import DEFAULT_SEED
from bench.timing import print_table

CHILD = Path(__file__).resolve().parent / "startup_child.py"
GOAL_RATIO = 1.5
APP_PHASES = (
    ("imports", "Python + Qt + app imports"),
    ("make_application", "QApplication, fonts, style sheet"),
    ("open_database", "open_database (schema check)"),
    ("sign_in", "auth.sign_in (argon2 verify + audit write)"),
    ("window_built", "build_main_window (starts the search)"),
    ("shown", "window.show() (polish, layout)"),
    ("results_shown", "工作台 lists reported back"),
    ("ready", "工作台 painted with its lists"),
)
COSTS = (
    ("argon2_verify", "argon2 verify inside sign_in"),
    ("workbench_query", "工作台 hazard queries (worker thread)"),
    ("register_fonts", "register_fonts (3 CJK fonts)"),
)
IMPORT_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


@dataclass(frozen=True)
class ChildRun:
    """One child process: wall time from Popen to READY, and what the child reported."""

    wall_ms: float
    report: dict[str, Any]
    window_ms: float | None = None


def child_env() -> dict[str, str]:
    """The environment of every child: offscreen, no platform theme plug-in."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("QT_QPA_PLATFORMTHEME", None)
    return env


def run_child(mode: str, data_dir: Path, *python_options: str) -> ChildRun:
    """Start one child, wait for its READY line, return the wall time and its report."""
    command = [sys.executable, *python_options, str(CHILD), mode, str(data_dir)]
    started = time.perf_counter()
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=child_env()
    ) as child:
        assert child.stdout is not None
        window_ms = None
        for line in child.stdout:
            if line.startswith("WINDOW"):
                window_ms = (time.perf_counter() - started) * 1000
            if line.startswith("READY "):
                wall_ms = (time.perf_counter() - started) * 1000
                report = json.loads(line.removeprefix("READY "))
                break
        else:
            raise RuntimeError(f"{mode} child exited without READY (code {child.wait()})")
    if report["status"] != 0:
        raise RuntimeError(f"{mode} child timed out or failed: {report}")
    return ChildRun(wall_ms, report, window_ms)


def alternate(data_dir: Path, runs: int) -> dict[str, list[ChildRun]]:
    """``runs`` bare and app starts, alternating which goes first, after one warm-up of each."""
    modes = ("bare", "window", "app")
    for mode in modes:
        run_child(mode, data_dir)
    results: dict[str, list[ChildRun]] = {mode: [] for mode in modes}
    for number in range(runs):
        for mode in modes if number % 2 == 0 else modes[::-1]:
            results[mode].append(run_child(mode, data_dir))
    return results


def median(values: list[float]) -> str:
    """Median formatted in ms."""
    return f"{statistics.median(values):.0f}"


def report_runs(results: dict[str, list[ChildRun]]) -> None:
    """Print wall times, the ratio, the app's phases and its instrumented costs."""
    bare = [run.wall_ms for run in results["bare"]]
    window = [run.window_ms or 0.0 for run in results["window"]]
    data_open = [run.wall_ms for run in results["window"]]
    app = [run.wall_ms for run in results["app"]]
    print_table(
        ["start", "median ms", "min ms", "max ms", "runs (ms)"],
        [
            _wall_row("bare PySide6 window", bare),
            _wall_row("福安监 sign-in window shown (real start)", window),
            _wall_row("福安监 sign-in window enabled (data open)", data_open),
            _wall_row("福安监 main window, signed in by script", app),
        ],
    )
    print()
    for label, times in (("first window", window), ("main window", app)):
        ratio = statistics.median(times) / statistics.median(bare)
        verdict = "meets" if ratio <= GOAL_RATIO else "misses"
        print(f"ratio {label}/bare = {ratio:.2f}× ({verdict} the ≤ {GOAL_RATIO}× goal)")
    print()
    print_table(["app child phase (ms since its first line)", "ends at", "takes"], _phases(results))
    print()
    print_table(["instrumented cost inside the app run", "median ms"], _costs(results))


def _wall_row(label: str, times: list[float]) -> list[object]:
    runs = " ".join(f"{t:.0f}" for t in times)
    return [label, median(times), f"{min(times):.0f}", f"{max(times):.0f}", runs]


def _phases(results: dict[str, list[ChildRun]]) -> list[list[object]]:
    app, bare = results["app"], results["bare"]
    rows: list[list[object]] = []
    previous = 0.0
    for key, label in APP_PHASES:
        ends = statistics.median(run.report["marks"][key] for run in app)
        rows.append([label, f"{ends:.0f}", f"{ends - previous:.0f}"])
        previous = ends
    interpreter = statistics.median(run.wall_ms - run.report["marks"]["ready"] for run in app)
    rows.append(["interpreter start + pipe (wall − ready)", "", f"{interpreter:.0f}"])
    bare_imports = statistics.median(run.report["marks"]["imports"] for run in bare)
    rows.append(["(bare child: PySide6.QtWidgets import)", f"{bare_imports:.0f}", ""])
    return rows


def _costs(results: dict[str, list[ChildRun]]) -> list[list[object]]:
    app = results["app"]
    rows: list[list[object]] = [
        [label, median([run.report["costs"].get(key, 0.0) for run in app])] for key, label in COSTS
    ]
    rows.append(["overdue hazards listed", f"{app[0].report['costs']['hits']:,}"])
    rows.append(["heavy libraries imported by then", ", ".join(app[0].report["loaded"]) or "none"])
    return rows


def importtime(data_dir: Path, out: Path, top: int = 15) -> list[tuple[int, int, str]]:
    """Run the app child under ``-X importtime``; write the slowest imports to ``out``."""
    command = [sys.executable, "-X", "importtime", str(CHILD), "app", str(data_dir)]
    done = subprocess.run(command, capture_output=True, text=True, env=child_env(), check=True)
    entries = [
        (int(match[1]), int(match[2]), f"{match[3][1:]}{match[4]}")
        for match in map(IMPORT_LINE.match, done.stderr.splitlines())
        if match
    ]
    by_cumulative = sorted(entries, key=lambda entry: entry[1], reverse=True)[:top]
    out.write_text(_importtime_text(entries, by_cumulative), encoding="utf-8")
    return by_cumulative


def _importtime_text(
    entries: list[tuple[int, int, str]], by_cumulative: list[tuple[int, int, str]]
) -> str:
    """The summary file: slowest by cumulative time, then self time summed per top package."""
    per_package: dict[str, int] = defaultdict(int)
    for self_us, _, name in entries:
        per_package[name.strip().split(".")[0]] += self_us
    lines = [
        f"app child, python -X importtime; {len(entries)} modules",
        "",
        "cumulative ms  module",
    ]
    lines += [f"{cumulative / 1000:13.1f}  {name}" for _, cumulative, name in by_cumulative]
    lines += ["", "self ms summed per top-level package"]
    heaviest = sorted(per_package.items(), key=lambda item: item[1], reverse=True)[:15]
    lines += [f"{total / 1000:13.1f}  {package}" for package, total in heaviest]
    return "\n".join(lines) + "\n"


def build_parser() -> argparse.ArgumentParser:
    """Command-line options."""
    parser = argparse.ArgumentParser(description="启动时间：福安监主窗口 对比 空白 PySide6 窗口")
    parser.add_argument("--runs", type=int, default=5, help="每种启动的计时次数（默认 5）")
    parser.add_argument("--enterprises", type=int, default=0, help="合成企业数（0 = 仅演示数据）")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="随机种子")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Measure on a private copy of the dataset (signing in writes), print and save reports."""
    args = build_parser().parse_args(argv)
    dataset = ensure_dataset(args.enterprises, args.seed)
    label = f"demo+{args.enterprises}" if args.enterprises else "demo"
    with tempfile.TemporaryDirectory(prefix="fuanjian-startup-") as scratch:
        data_dir = private_copy(dataset, Path(scratch))
        results = alternate(data_dir, args.runs)
        out = OUT_DIR / f"importtime-app-{label}.txt"
        slowest = importtime(data_dir, out)
    print(f"\nstartup on {label} data, {args.runs} runs each, offscreen, {sys.executable}\n")
    report_runs(results)
    print(f"\nslowest imports of the app child (cumulative; full list in {out}):")
    for _, cumulative, name in slowest[:5]:
        print(f"  {cumulative / 1000:7.1f} ms  {name.strip()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

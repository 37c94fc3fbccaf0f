"""The start script's Qt check: the platform plugin this session gets, what it lacks, in Chinese.

A real ``ldd`` runs on a small plugin built here whose ``libxcb-cursor.so.0`` is gone, the way a
fresh Debian/Ubuntu desktop lacks the ``libxcb-cursor0`` package that Qt 6.11's xcb plugin needs.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "qt_platform_check.py"
_spec = importlib.util.spec_from_file_location("qt_platform_check", SCRIPT)
assert _spec is not None and _spec.loader is not None
check = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = check  # dataclasses look their module up there
_spec.loader.exec_module(check)

needs_cc = pytest.mark.skipif(
    shutil.which("cc") is None or not sys.platform.startswith("linux"),
    reason="builds a shared library with the C compiler (Linux only)",
)


def build_plugin(folder: Path, platform: str, gone: tuple[str, ...] = ()) -> None:
    """``folder/platforms/libq<platform>.so``, linked against libraries that are then deleted.

    Each gone library is linked by an absolute name in a folder that is removed afterwards, so
    the loader looks only there and ``ldd`` reports it ``not found`` whatever the system has.
    """
    platforms = folder / "platforms"
    platforms.mkdir(parents=True, exist_ok=True)
    removed = folder / f"removed-{platform}"
    removed.mkdir()
    (folder / "stub.c").write_text("int stub(void) { return 1; }\n")
    linked = []
    for name in gone:
        library = removed / name
        compile_library(folder / "stub.c", library, f"-Wl,-soname,{library}")
        linked.append(str(library))
    (folder / "plugin.c").write_text("int plugin(void) { return 0; }\n")
    compile_library(
        folder / "plugin.c", platforms / f"libq{platform}.so", "-Wl,--no-as-needed", *linked
    )
    shutil.rmtree(removed)


def compile_library(source: Path, target: Path, *extra: str) -> None:
    """A shared library from one C file (``cc -shared``)."""
    subprocess.run(["cc", "-shared", "-fPIC", "-o", str(target), str(source), *extra], check=True)


def run_check(plugins: Path, *args: str, **session: str) -> subprocess.CompletedProcess[str]:
    """The check as the start script runs it, in a session with only ``session``'s variables."""
    environ = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DISPLAY", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE", "QT_QPA_PLATFORM"}
    }
    command = [sys.executable, str(SCRIPT), "--plugins-dir", str(plugins), *args]
    return subprocess.run(
        command, capture_output=True, text=True, env={**environ, **session}, check=False
    )


@needs_cc
def test_missing_xcb_cursor_names_its_package_in_chinese(tmp_path):
    """Under X11 without libxcb-cursor.so.0 the check fails and names libxcb-cursor0 and the
    apt-get command, in Chinese; --packages gives the start script the package to install."""
    build_plugin(tmp_path, "xcb", gone=("libxcb-cursor.so.0",))
    result = run_check(tmp_path, DISPLAY=":0")
    assert result.returncode == 1
    assert "xcb 平台插件）缺少系统库：libxcb-cursor.so.0" in result.stderr
    assert "sudo apt-get install libxcb-cursor0" in result.stderr
    assert run_check(tmp_path, "--packages", DISPLAY=":0").stdout.split() == ["libxcb-cursor0"]


@needs_cc
def test_every_missing_library_is_named_once_by_package(tmp_path):
    """Two libraries of one package (glib) and one of another give two packages, in order."""
    gone = ("libxkbcommon-x11.so.0", "libglib-2.0.so.0", "libgthread-2.0.so.0")
    build_plugin(tmp_path, "xcb", gone=gone)
    packages = run_check(tmp_path, "--packages", QT_QPA_PLATFORM="xcb").stdout.split()
    assert packages == ["libxkbcommon-x11-0", "libglib2.0-0"]


@needs_cc
def test_a_complete_plugin_passes(tmp_path):
    """Nothing missing: exit 0, nothing said, nothing to install."""
    build_plugin(tmp_path, "xcb")
    result = run_check(tmp_path, DISPLAY=":0")
    assert (result.returncode, result.stderr) == (0, "")
    assert run_check(tmp_path, "--packages", DISPLAY=":0").stdout.strip() == ""


@needs_cc
def test_wayland_falls_back_to_a_complete_xcb(tmp_path):
    """Qt falls back from wayland to xcb (XWayland), so a broken wayland plugin alone does not
    stop the start; with no X display to fall back to, its package is named (wayland-egl is
    the same plugin file)."""
    build_plugin(tmp_path, "wayland", gone=("libwayland-cursor.so.0",))
    build_plugin(tmp_path, "xcb")
    assert run_check(tmp_path, WAYLAND_DISPLAY="wayland-0", DISPLAY=":0").returncode == 0
    alone = run_check(tmp_path, WAYLAND_DISPLAY="wayland-0")
    assert alone.returncode == 1
    assert "sudo apt-get install libwayland-cursor0" in alone.stderr
    assert run_check(tmp_path, QT_QPA_PLATFORM="wayland-egl").returncode == 1


@needs_cc
def test_tests_without_a_display_check_only_offscreen(tmp_path):
    """CI has no display: a broken xcb plugin does not matter, the offscreen one is checked."""
    build_plugin(tmp_path, "xcb", gone=("libxcb-cursor.so.0",))
    build_plugin(tmp_path, "offscreen")
    assert run_check(tmp_path).returncode == 0
    assert run_check(tmp_path, QT_QPA_PLATFORM="offscreen:configfile=x.json").returncode == 0


@pytest.mark.parametrize(
    ("session", "order"),
    [
        ({}, ["offscreen"]),
        ({"DISPLAY": ":0"}, ["xcb"]),
        ({"WAYLAND_DISPLAY": "wayland-0"}, ["wayland"]),
        ({"XDG_SESSION_TYPE": "wayland", "DISPLAY": ":0"}, ["wayland", "xcb"]),
        ({"WAYLAND_DISPLAY": "wayland-0", "QT_QPA_PLATFORM": "xcb"}, ["xcb"]),
        ({"QT_QPA_PLATFORM": "wayland;xcb:option"}, ["wayland", "xcb"]),
    ],
)
def test_platform_order_follows_qt(session, order):
    """The plugins in Qt 6.11's order (createPlatformIntegration): QT_QPA_PLATFORM wins, else
    wayland before xcb; no display at all means the tests' offscreen plugin."""
    assert check.platform_order(session) == order


def test_ldd_output_is_read_by_library_name():
    """Only ``=> not found`` lines count, by file name, each once (ldd repeats a missing one)."""
    output = (
        "\tlinux-vdso.so.1 (0x00007ffd)\n"
        "\tlibxcb-cursor.so.0 => not found\n"
        "\tlibxcb.so.1 => /lib/x86_64-linux-gnu/libxcb.so.1 (0x00007f2b)\n"
        "\t/opt/gone/libxcb-icccm.so.4 => not found\n"
        "\tlibxcb-cursor.so.0 => not found\n"
    )
    assert check.not_found(output) == ["libxcb-cursor.so.0", "libxcb-icccm.so.4"]

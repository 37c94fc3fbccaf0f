"""Can Qt open a window on this Linux desktop? Names, in Chinese, the packages it still needs.

``python scripts/qt_platform_check.py [--packages] [--plugins-dir DIR]``

Run by ``scripts/bootstrap.sh`` with the venv's python before the app starts. Qt picks its
platform plugin from the session (``QT_QPA_PLATFORM``; else ``wayland`` under Wayland, ``xcb``
under X11), and a plugin whose system libraries are missing makes Qt stop with an English
"could not load the Qt platform plugin". So this check runs ``ldd`` on the very plugin Qt will
load (its closure includes the bundled Qt libraries) and maps each library ``ldd`` cannot find
to the Debian/Ubuntu/统信UOS/麒麟 package that ships it. It never imports Qt: a missing library
must be named, not crash the check.

Exit status 0 when nothing is missing; otherwise 1 with the Chinese explanation on stderr.
``--packages`` prints the missing packages (space separated, maybe nothing) and exits 0, so the
start script can install them when it runs as root with apt-get.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

# The system libraries Qt 6.11's xcb, wayland and offscreen plugins and QtWidgets link, by the
# Debian package that ships them (dpkg -S on Debian 12; the same names on Ubuntu, 统信UOS, 麒麟).
SONAME_PACKAGES = {
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libGLX.so.0": "libglx0",
    "libGLdispatch.so.0": "libglvnd0",
    "libOpenGL.so.0": "libopengl0",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libXau.so.6": "libxau6",
    "libXdmcp.so.6": "libxdmcp6",
    "libbrotlicommon.so.1": "libbrotli1",
    "libbrotlidec.so.1": "libbrotli1",
    "libdbus-1.so.3": "libdbus-1-3",
    "libexpat.so.1": "libexpat1",
    "libffi.so.8": "libffi8",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libpcre2-8.so.0": "libpcre2-8-0",
    "libpng16.so.16": "libpng16-16",
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
    "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libz.so.1": "zlib1g",
    "libzstd.so.1": "libzstd1",
}


@dataclass(frozen=True)
class Shortfall:
    """What a platform plugin lacks: the libraries ``ldd`` did not find and their packages."""

    platform: str
    libraries: tuple[str, ...]

    @property
    def packages(self) -> tuple[str, ...]:
        """The Debian packages to install, each once, in the order the libraries came."""
        known = (SONAME_PACKAGES.get(library) for library in self.libraries)
        return tuple(dict.fromkeys(package for package in known if package))

    @property
    def unknown(self) -> tuple[str, ...]:
        """Libraries the table cannot name a package for (shown as they are)."""
        return tuple(library for library in self.libraries if library not in SONAME_PACKAGES)


def platform_order(environ: Mapping[str, str]) -> list[str]:
    """The plugins Qt 6.11 tries, in its order (QGuiApplicationPrivate::createPlatformIntegration).

    ``QT_QPA_PLATFORM`` wins (a ``;`` list, each maybe with ``:options``); else wayland when the
    session is Wayland, then xcb when there is an X display (XWayland too). With no display at
    all (CI, the tests) nothing real can open, so the offscreen plugin is the one to check.
    """
    chosen = environ.get("QT_QPA_PLATFORM", "")
    if chosen:
        return [name.split(":")[0] for name in chosen.split(";") if name]
    order = []
    if environ.get("WAYLAND_DISPLAY") or environ.get("XDG_SESSION_TYPE") == "wayland":
        order.append("wayland")
    if environ.get("DISPLAY"):
        order.append("xcb")
    return order or ["offscreen"]


def qt_plugins_dir() -> Path | None:
    """PySide6's bundled plugin folder, found without importing Qt (which may not load)."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "Qt" / "plugins"


def plugin_file(platform: str) -> str:
    """The plugin file that provides ``platform``: libqwayland.so also serves wayland-egl."""
    return f"libq{platform.split('-')[0]}.so"


def not_found(ldd_output: str) -> list[str]:
    """The library names ``ldd`` reports as ``=> not found``, each once, by file name."""
    names = []
    for line in ldd_output.splitlines():
        name, arrow, target = line.strip().partition(" => ")
        if arrow and target.strip() == "not found":
            names.append(PurePosixPath(name).name)
    return list(dict.fromkeys(names))


def missing_libraries(files: Sequence[Path]) -> list[str]:
    """What ``ldd`` cannot resolve for ``files`` (with their whole dependency closure)."""
    ldd = shutil.which("ldd")
    if ldd is None:  # not a glibc system we know how to inspect: let Qt speak for itself
        return []
    found = subprocess.run(
        [ldd, *map(str, files)], capture_output=True, text=True, check=False
    ).stdout
    return not_found(found)


def shortfall(environ: Mapping[str, str], plugins_dir: Path) -> Shortfall | None:
    """What the plugin Qt prefers lacks, when no plugin in Qt's order is complete.

    Qt falls back along its order (wayland, then xcb through XWayland), so a session where a
    later plugin loads still starts and nothing is reported; otherwise the packages named are
    those of the plugin Qt tries first.
    """
    shortfalls = []
    for platform in platform_order(environ):
        plugin = plugins_dir / "platforms" / plugin_file(platform)
        if not plugin.is_file():
            continue
        qt_widgets = plugins_dir.parent / "lib" / "libQt6Widgets.so.6"
        libraries = missing_libraries([plugin, qt_widgets] if qt_widgets.is_file() else [plugin])
        if not libraries:
            return None
        shortfalls.append(Shortfall(platform, tuple(libraries)))
    return shortfalls[0] if shortfalls else None


def explain(missing: Shortfall, has_apt: bool) -> str:
    """The Chinese message a user reads when the start script stops."""
    libraries = "、".join(missing.libraries)
    lines = [f"错误：Qt 图形界面（{missing.platform} 平台插件）缺少系统库：{libraries}。"]
    if missing.packages:
        command = "sudo apt-get install " + " ".join(missing.packages)
        where = "请运行" if has_apt else "在 Debian/Ubuntu/统信UOS/麒麟 上可运行"
        lines.append(f"请由管理员安装这些软件包：{' '.join(missing.packages)}")
        lines.append(f"{where}：{command}")
    if missing.unknown:
        lines.append(f"另需安装提供以下库文件的软件包：{'、'.join(missing.unknown)}")
    lines.append("安装后再启动福安监。")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Check, print what is missing (packages or the Chinese message), return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packages", action="store_true", help="只列出要安装的软件包")
    parser.add_argument("--plugins-dir", type=Path, help="Qt 插件目录（默认取 PySide6 自带的）")
    options = parser.parse_args(argv)
    if not sys.platform.startswith("linux"):
        return 0  # Windows and macOS wheels carry their platform plugins' libraries
    plugins_dir = options.plugins_dir or qt_plugins_dir()
    missing = shortfall(os.environ, plugins_dir) if plugins_dir else None
    if options.packages:
        print(" ".join(missing.packages) if missing else "")
        return 0
    if missing is None:
        return 0
    print(explain(missing, has_apt=shutil.which("apt-get") is not None), file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())

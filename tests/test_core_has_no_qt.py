"""The core package ``fuanjian_desktop`` never imports Qt, neither when imported nor in its source.

The GUI is a shell over a library that scripts, headless commands and the HQ server can drive;
one stray ``import PySide6`` in the core would break all of those.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import fuanjian_desktop

QT_PACKAGES = ("PySide6", "shiboken6")
CORE_ROOT = Path(fuanjian_desktop.__file__).resolve().parent

_PROBE = """
import importlib, json, sys
for name in json.loads(sys.argv[1]):
    importlib.import_module(name)
loaded = sorted(
    name for name in sys.modules
    if name.split(".")[0] in {"PySide6", "shiboken6"}
)
print(json.dumps(loaded))
"""


def core_modules() -> list[str]:
    """Every module and package of the core, found the way Python finds them."""
    found = pkgutil.walk_packages(fuanjian_desktop.__path__, prefix="fuanjian_desktop.")
    return ["fuanjian_desktop", *sorted(module.name for module in found)]


def qt_modules_after_importing(modules: list[str]) -> list[str]:
    """Import ``modules`` in a fresh interpreter; return the Qt modules it then has loaded."""
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(modules)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, f"importing the core failed:\n{result.stderr}"
    loaded: list[str] = json.loads(result.stdout.strip().splitlines()[-1])
    return loaded


def qt_imports(source: str, filename: str = "<source>") -> list[int]:
    """Line numbers of every import of PySide6/shiboken6 (plain, from-, or importlib by name)."""
    lines = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""] if node.level == 0 else []
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names = [node.value] if node.value.split(".")[0] in QT_PACKAGES else []
        else:
            continue
        if any(name.split(".")[0] in QT_PACKAGES for name in names):
            lines.append(node.lineno)
    return lines


def test_walk_finds_the_whole_core() -> None:
    """The module walk reaches the sub-packages, so the import check covers the real core."""
    modules = core_modules()
    for expected in (
        "fuanjian_desktop.db.engine",
        "fuanjian_desktop.domain.codes",
        "fuanjian_desktop.models.registry",
        "fuanjian_desktop.services.auth",
        "fuanjian_desktop.security.passwords",
    ):
        assert expected in modules


def test_importing_every_core_module_loads_no_qt() -> None:
    """Importing every core module in a fresh interpreter leaves PySide6/shiboken6 unloaded."""
    assert qt_modules_after_importing(core_modules()) == []


def test_import_probe_does_detect_qt() -> None:
    """Control: the probe reports Qt when something does import it (so an empty list means it)."""
    if importlib.util.find_spec("PySide6") is None:
        pytest.skip("PySide6 is not installed here")
    assert "PySide6.QtCore" in qt_modules_after_importing(["PySide6.QtCore"])


def test_no_core_source_file_imports_qt() -> None:
    """No .py file under fuanjian_desktop/ (migrations included) imports PySide6 or shiboken6."""
    files = sorted(CORE_ROOT.rglob("*.py"))
    assert len(files) > 10
    offenders = {
        str(path.relative_to(CORE_ROOT)): lines
        for path in files
        if (lines := qt_imports(path.read_text(encoding="utf-8"), str(path)))
    }
    assert offenders == {}


@pytest.mark.parametrize(
    "source",
    [
        "import PySide6",
        "import PySide6.QtCore as qc",
        "from PySide6.QtWidgets import QWidget",
        "from shiboken6 import isValid",
        "import os, shiboken6",
        "def later():\n    from PySide6 import QtGui",
        "import importlib\nimportlib.import_module('PySide6.QtCore')",
    ],
)
def test_static_check_spots_qt_imports(source: str) -> None:
    """Control: the static check flags every spelling of a Qt import it is meant to catch."""
    assert qt_imports(source) != []


def test_static_check_ignores_look_alikes() -> None:
    """The static check does not flag relative imports or names that merely contain 'PySide'."""
    source = "from . import PySide6_notes\nimport pyside_helpers\nx = 'uses no PySide6 at all'"
    assert qt_imports(source) == []

"""Locate files under ``resources/`` both from a source checkout and a PyInstaller bundle.

Every piece of code that reads data (fonts, catalogues, demo data) goes through
:func:`resource_path`, so the installer issue only has to ship the folder.

HQ publishes the bureau's reference files (``reference_file`` rows, synced): the catalogue,
calendar, deadline rules, wording … A laptop uses the versions it pulled from its next start:
the composition root calls :func:`install_reference_overlay` once, right after the database is
opened, with the pulled files. Each top-level folder a pulled file falls in is then served from
a merged copy (the packaged files with the pulled ones over them) under the data folder, so
every reader — one file or a whole folder — sees HQ's version without knowing of it. This is
the process's one piece of installed configuration: set once at start, never changed after.
"""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from fuanjian_desktop.security.private_files import make_private_folder


class _Overlay:
    """Where the merged copies of the reference folders HQ changed are (``None``: none)."""

    root: Path | None = None


_OVERLAY = _Overlay()


def resources_root() -> Path:
    """The ``resources`` folder: beside the frozen executable's data, or the repository's."""
    bundle_dir = getattr(sys, "_MEIPASS", None)
    if bundle_dir is not None:
        return Path(bundle_dir) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """Path of one resource file, e.g. ``resource_path("fonts", "wqy-zenhei.ttf")`` (HQ's
    version when it published one of that folder, see the module docstring)."""
    overlay = _OVERLAY.root
    if overlay is not None and parts and (overlay / parts[0]).is_dir():
        return overlay.joinpath(*parts)
    return resources_root().joinpath(*parts)


def load_json_resource(*parts: str) -> Any:
    """Parse a JSON resource (UTF-8); data the bureau or the law defines lives in such files."""
    with resource_path(*parts).open(encoding="utf-8") as handle:
        return json.load(handle)


def install_reference_overlay(root: Path, files: Mapping[str, str]) -> int:
    """Serve the reference ``files`` (path relative to ``resources/`` with ``/`` → text) from
    ``root`` (rebuilt from scratch); return how many were installed.

    A path that would leave ``resources/`` is ignored. With no files, the packaged resources
    are used as they are.
    """
    if root.exists():
        shutil.rmtree(root)
    wanted = {
        parts: text
        for path, text in files.items()
        if (parts := PurePosixPath(path).parts)
        and ".." not in parts
        and len(parts) > 1
        and not PurePosixPath(path).is_absolute()
    }
    if not wanted:
        _OVERLAY.root = None
        return 0
    make_private_folder(root)
    packaged = resources_root()
    for folder in sorted({parts[0] for parts in wanted}):
        if (packaged / folder).is_dir():
            shutil.copytree(packaged / folder, root / folder)
    for parts, text in wanted.items():
        target = root.joinpath(*parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    _OVERLAY.root = root
    return len(wanted)

"""Locate files under ``resources/`` both from a source checkout and a PyInstaller bundle.

Every piece of code that reads data (fonts, catalogues, demo data) goes through
:func:`resource_path`, so the installer issue only has to ship the folder.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def resources_root() -> Path:
    """The ``resources`` folder: beside the frozen executable's data, or the repository's."""
    bundle_dir = getattr(sys, "_MEIPASS", None)
    if bundle_dir is not None:
        return Path(bundle_dir) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """Path of one resource file, e.g. ``resource_path("fonts", "wqy-zenhei.ttf")``."""
    return resources_root().joinpath(*parts)


def load_json_resource(*parts: str) -> Any:
    """Parse a JSON resource (UTF-8); data the bureau or the law defines lives in such files."""
    with resource_path(*parts).open(encoding="utf-8") as handle:
        return json.load(handle)

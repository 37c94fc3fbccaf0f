"""HQ's reference files on this laptop: used from the next start (see ``resources``).

The composition root calls :func:`use_pulled_reference` once, right after the database is
opened (GUI sign-in, and the command line's ``open_for_command``). A pulled file whose content
does not match its SHA-256 is left out: the packaged version stays in force.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.models import ReferenceFile
from fuanjian_desktop.resources import install_reference_overlay

OVERLAY_FOLDER = "reference"


def use_pulled_reference(database: Database) -> int:
    """Install the pulled reference files for this process; how many are in force."""
    with database.read() as session:
        rows = session.execute(
            select(ReferenceFile.path, ReferenceFile.sha256, ReferenceFile.content)
        ).all()
    whole = {
        path: content
        for path, sha256, content in rows
        if hashlib.sha256(content.encode("utf-8")).hexdigest() == sha256
    }
    return install_reference_overlay(database.folder / OVERLAY_FOLDER, whole)

"""Where file dialogs open: the user's 文档 or 图片 folder, never the program's own folder.

The app asks for files with QFileDialog's static functions, which show the platform's own dialog
(Windows, macOS, a Linux desktop's) that the user knows, and Qt's translated one where there is
none; they are always given the asking window as parent, so the dialog is modal to it and
stays above it. Started from ``scripts/run`` the working directory is the program's folder, so
a bare proposed name or an empty folder would put the user's files there: these name the folder.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths

Location = QStandardPaths.StandardLocation


def in_documents(name: str = "") -> str:
    """``name`` in the user's 文档 folder (the folder itself when ``name`` is empty)."""
    return str(Path(QStandardPaths.writableLocation(Location.DocumentsLocation)) / name)


def pictures_folder() -> str:
    """The user's 图片 folder, where a camera's photos are usually copied to."""
    return QStandardPaths.writableLocation(Location.PicturesLocation)

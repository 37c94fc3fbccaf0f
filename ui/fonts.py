"""Register the bundled CJK fonts so Chinese renders on a machine without Chinese fonts.

Qt does not fall back to application fonts on its own, so the UI font is given as a family
list: 黑体 first, then the 楷体 and 宋体 faces, which hold rare name characters (e.g. 𠀋) the
黑体 face lacks.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from fuanjian_desktop.resources import resource_path

FALLBACK_ORDER = ("wqy-zenhei.ttf", "lxgw-wenkai.ttf", "ar-pl-uming.ttf")
UI_POINT_SIZE = 10


def register_fonts(app: QApplication) -> list[str]:
    """Add the bundled fonts and make them the UI font in fallback order; return the families."""
    families = []
    for file_name in FALLBACK_ORDER:
        font_id = QFontDatabase.addApplicationFont(str(resource_path("fonts", file_name)))
        found = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        families.extend(found[:1])
    font = QFont()
    font.setFamilies([*families, *app.font().families()])
    font.setPointSize(UI_POINT_SIZE)
    app.setFont(font)
    return families

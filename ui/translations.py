"""Qt's own dialogs in Chinese: the print preview, print, file and message dialogs.

Our windows are written in Chinese, but the dialogs Qt draws itself (their buttons, tooltips and
labels) are English unless Qt's translation is loaded. PySide6 ships ``qtbase_zh_CN.qm``; it is
loaded once at start and the default locale set to 简体中文 (中国), so dates, paper sizes and
those dialogs follow the inspectors' language whatever the laptop's system language is.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

CHINESE = QLocale(QLocale.Language.Chinese, QLocale.Country.China)
TRANSLATOR_NAME = "qtbase_zh_CN"  # the translator's object name, to tell whether it is loaded

# Labels Qt 6.11 shows in its file and print dialogs that qtbase_zh_CN.qm lacks (its source
# strings gained an accelerator since), by (context, source text): found by listing what was
# still English in those dialogs offscreen.
MISSING_FROM_QT = {
    ("QFileDialog", "&Look in:"): "查找范围(&L)：",
    ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
    ("QPrintSettingsOutput", "Page &Set:"): "打印页面(&S)：",
    ("QAbstractFileIconProvider", "Folder"): "文件夹",
}


class MissingFromQt(QTranslator):
    """The few strings of :data:`MISSING_FROM_QT`; everything else is left to Qt's file."""

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str:
        """Chinese for a string Qt's translation lacks, else empty (ask the next translator)."""
        return MISSING_FROM_QT.get((context, source), "")

    def isEmpty(self) -> bool:
        """Never empty, or Qt would skip it."""
        return False


def install_chinese(app: QCoreApplication) -> bool:
    """Make Chinese the default locale and load Qt's Chinese translation into ``app``.

    The translator is the app's child, so it lives as long as the app and can be found again
    by :func:`qt_chinese_loaded`. Returns whether the translation file was found and loaded.
    """
    QLocale.setDefault(CHINESE)
    app.installTranslator(MissingFromQt(app))
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(CHINESE, "qtbase", "_", folder):
        translator.deleteLater()
        return False
    translator.setObjectName(TRANSLATOR_NAME)
    return app.installTranslator(translator)


def qt_chinese_loaded(app: QCoreApplication) -> bool:
    """Whether Qt's Chinese translation is installed in ``app`` (the About dialog says so)."""
    translator = app.findChild(QTranslator, TRANSLATOR_NAME)
    return translator is not None and not translator.isEmpty()

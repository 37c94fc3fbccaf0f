"""关于福安监 (F1): which version runs, where its data lives, and whether Qt speaks Chinese.

What a support call asks first: the version, the data folder (to back it up or send it), the
Qt and PySide6 versions, and whether Qt's Chinese translation was found at start (otherwise the
print and file dialogs are English, and this is where one sees why).
"""

from __future__ import annotations

from pathlib import Path

import PySide6
from PySide6.QtCore import QCoreApplication, Qt, qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from fuanjian_desktop import APP_NAME, __version__
from ui.translations import qt_chinese_loaded


def translation_state(app: QCoreApplication) -> str:
    """简体中文（已加载） or （未加载）: the Qt translation line of the dialog."""
    return "简体中文（已加载）" if qt_chinese_loaded(app) else "简体中文（未加载）"


class AboutDialog(QDialog):
    """The app's name and version, its data folder and the Qt it runs on; Esc or 关闭 closes."""

    def __init__(self, data_folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"关于{APP_NAME}")
        app = QCoreApplication.instance()
        assert app is not None, "the dialog is shown by a running app"
        self.rows = {
            "版本：": __version__,
            "数据文件夹：": str(data_folder),
            "Qt / PySide6：": f"Qt {qVersion()}，PySide6 {PySide6.__version__}",
            "Qt 界面翻译：": translation_state(app),
        }
        form = QFormLayout()
        for label, value in self.rows.items():
            shown = QLabel(value)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            shown.setWordWrap(True)
            form.addRow(label, shown)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<h2>{APP_NAME}</h2><p>安全生产执法现场检查与案卷系统</p>"))
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)
        self.close_button.setFocus()  # nothing to type: Enter or Esc closes

"""The 演示数据 banner shown on every screen while the app runs on demo data."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

DEMO_TEXT = "演示数据 — 本机处于演示模式，企业和人员均为虚构，不得用于正式执法"


def demo_banner() -> QLabel:
    """A yellow strip that cannot be mistaken for real data."""
    banner = QLabel(DEMO_TEXT)
    banner.setObjectName("demoBanner")
    banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
    banner.setStyleSheet(
        "#demoBanner { background: #ffd54f; color: #3e2723; font-weight: bold;"
        " padding: 4px; border-bottom: 1px solid #c8a415; }"
    )
    return banner

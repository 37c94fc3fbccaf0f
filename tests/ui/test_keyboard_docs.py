"""docs/keyboard.md lists every named shortcut, so a user's reference never falls behind."""

from __future__ import annotations

from pathlib import Path

from ui import shortcuts

DOCS = Path(__file__).parents[2] / "docs" / "keyboard.md"


def named_keys() -> set[str]:
    """Every key sequence ui/shortcuts.py names (a tuple's members one by one)."""
    keys: set[str] = set()
    for name, value in vars(shortcuts).items():
        if name.isupper() and isinstance(value, str):
            keys.add(value)
        elif name.isupper() and isinstance(value, tuple):
            keys.update(value[0 :: len(value) - 1] if len(value) > 1 else value)
    return keys


def test_every_named_shortcut_is_in_the_keyboard_reference() -> None:
    text = DOCS.read_text(encoding="utf-8")
    missing = sorted(key for key in named_keys() if key not in text)
    assert not missing, f"docs/keyboard.md 缺少这些快捷键：{missing}"

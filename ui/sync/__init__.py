"""Desktop widgets of sync: status bar, 同步 button, settings page and the 冲突 list."""

"""Enforcement documents (执法文书) in the GUI: editor, lists, print, export and settings."""

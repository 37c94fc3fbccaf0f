"""The laptop side of sync: enrollment, push, pull, attachments, offline packages."""

"""The case file (案卷) in the GUI: the 案卷 page and dossier view, the dialogs that add scans,
audio-video and photos to a case, and the administrator's 案卷设置."""

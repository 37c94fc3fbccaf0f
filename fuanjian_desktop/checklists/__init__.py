"""Checklist templates: the versioned data that leads an inspector through a venue."""

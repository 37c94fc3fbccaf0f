"""On-site inspections, their hazards, evidence photos and checklist versions."""

"""What an inspection record says about one of its photos: 拍摄地点, 拍摄人, 证明对象.

A photo taken in an inspection was taken at the inspection's place by its inspectors, and it
shows what it was attached to: the hidden danger found at that check (its description, as the
documents print it), else the check itself; a 复查's photo shows the danger it re-checks. A
photo of the inspection as a whole proves nothing more specific (``""``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from fuanjian_desktop.errors import UserError
from fuanjian_desktop.models import Hazard, Inspection
from fuanjian_desktop.services.inspections.checklist_versions import pinned_template


@dataclass(frozen=True)
class DerivedFacts:
    """The three facts of an inspection photo ("" when the record does not say)."""

    place: str
    photographer: str
    proves: str


class InspectionFacts:
    """The facts of one inspection's photos, the inspection's records read once."""

    def __init__(self, session: Session, inspection: Inspection) -> None:
        self._session = session
        self._inspection = inspection
        self._photographer = "、".join(row.full_name for row in inspection.inspector_rows)
        # the danger an item's photo shows: this inspection's, else the re-checked one's
        owners = [inspection.id, inspection.follow_up_of_id or ""]
        hazards = session.scalars(
            select(Hazard).where(Hazard.inspection_id.in_(owners)).order_by(Hazard.found_on)
        )
        self._dangers: dict[str, str] = {}
        for hazard in hazards:
            if hazard.inspection_id == inspection.id or hazard.item_id not in self._dangers:
                self._dangers[hazard.item_id] = hazard.description

    def of_photo(self, item_id: str) -> DerivedFacts:
        """The facts of a photo attached to ``item_id`` ("" = the inspection as a whole)."""
        return DerivedFacts(self._inspection.place, self._photographer, self._proves(item_id))

    def _proves(self, item_id: str) -> str:
        if not item_id:
            return ""
        if item_id in self._dangers:
            return self._dangers[item_id]
        inspection = self._inspection
        if inspection.template_id is None or inspection.template_version is None:
            return ""
        try:
            template = pinned_template(
                self._session, inspection.template_id, inspection.template_version
            )
            return template.item(item_id).check
        except (UserError, KeyError):  # a template or item the record no longer names
            return ""

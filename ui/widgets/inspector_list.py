"""Choose the officers of an inspection or a case: the squad's inspectors with tick boxes.

Both a 现场检查 and a case need at least two certified officers (行政处罚法第四十二条); the one
signed in is ticked to start with, since they are nearly always one of them. The 执法证号 is
shown because the rule is about certified officers.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem

from fuanjian_desktop.domain.inspection_rules import Inspector

USER_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class InspectorList(QListWidget):
    """A tick list of inspectors; ``checked_ids`` are the user ids ticked, in list order."""

    def set_people(
        self, people: Sequence[Inspector], ticked_id: str | None, partners: Collection[str] = ()
    ) -> None:
        """List ``people`` with ``ticked_id`` (the signed-in user) and ``partners`` ticked."""
        self.clear()
        for person in people:
            entry = QListWidgetItem(f"{person.full_name}（{person.cert_no or '无执法证号'}）")
            entry.setData(USER_ID_ROLE, person.user_id)
            checked = person.user_id == ticked_id or person.user_id in partners
            entry.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.addItem(entry)

    def checked_ids(self) -> tuple[str, ...]:
        """The user ids ticked."""
        entries = (self.item(row) for row in range(self.count()))
        return tuple(
            entry.data(USER_ID_ROLE)
            for entry in entries
            if entry.checkState() == Qt.CheckState.Checked
        )

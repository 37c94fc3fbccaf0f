"""开始现场检查: which venue, why, with which checklist, by whom, and who is there on site.

The templates and the squad's inspectors load on the workers; choosing a venue puts the
checklists meant for its categories first and fills in its address as the place. The core
validates the request (two inspectors with 执法证号, a valid phone or ID number, a start time
that is not in the future); the dialog shows each issue beside its field.

From the keyboard: the dialog opens in the venue search; type part of the name, Enter takes
the first match, arrows choose another, Enter confirms it. The signed-in inspector and the
partners of their latest inspection are ticked already and the registered contact fills in
the 现场负责人, so the keyboard then lands on 开始检查 and Enter starts (with fewer than two
inspectors ticked it lands on the list of inspectors: arrows and Space tick one). Each
checklist says how many of its items apply to the venue (with the 现场情况 ticked so far).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from fuanjian_desktop.checklists.loader import Catalogue, load_catalogue
from fuanjian_desktop.checklists.model import Template
from fuanjian_desktop.domain.inspection_rules import (
    MIN_INSPECTORS,
    InspectionSource,
    Inspector,
    SitePerson,
)
from fuanjian_desktop.domain.registry_rules import EnterpriseDraft
from fuanjian_desktop.domain.roles import Permission
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.services.inspections import inspections
from fuanjian_desktop.services.inspections.inspections import InspectionInvalid, InspectionStart
from fuanjian_desktop.services.registry import registry
from ui.context import AppContext
from ui.dialogs.enterprise_dialog import EnterpriseDialog
from ui.errors import show_failure
from ui.local_time import QT_MINUTE_FORMAT, from_qdatetime, to_qdatetime
from ui.widgets.field_errors import FieldErrors
from ui.widgets.form_parts import aligned_form, lay_out_form_dialog
from ui.widgets.inspector_list import InspectorList
from ui.widgets.tags import ORANGE
from ui.widgets.venue_picker import VenuePicker

SITE_PERSON_FIELDS = (
    ("site_person_name", "现场负责人：", "姓名（必填）"),
    ("site_person_position", "职务：", "如：店主、安全管理员"),
    ("site_person_phone", "电话：", "手机或 0755-xxxxxxxx"),
    ("site_person_id_no", "身份证号：", "18位居民身份证号码（选填）"),
)
Choices = tuple[Catalogue, list[Inspector], tuple[str, ...]]


class StartInspectionDialog(QDialog):
    """Collects an ``InspectionStart``; after ``accept`` the new id is in ``inspection_id``."""

    def __init__(
        self, context: AppContext, parent: QWidget | None, checklist_folder: Path | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("新建现场检查")
        self.setMinimumWidth(980)
        self._context = context
        self._checklist_folder = checklist_folder
        self._catalogue: Catalogue | None = None  # until the background load reports back
        self._venue: EnterpriseDraft | None = None
        self.inspection_id: str | None = None
        self.dialog: QDialog | None = None  # the 现场新建场所 form while it is open
        self.errors = FieldErrors()
        self._setup_ui()
        self._load_choices()

    # --- layout --------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        columns = QHBoxLayout()
        columns.addLayout(self._venue_form(), 1)
        columns.addLayout(self._people_form(), 1)
        self.start_button = lay_out_form_dialog(
            self, columns, self.errors.general, self.try_start, "开始检查"
        )
        self.start_button.setDefault(True)
        self.venue.search.setFocus()  # where the keyboard starts: the venue's name

    def _venue_form(self) -> QFormLayout:
        form = aligned_form()
        self.venue = VenuePicker(self._context)
        self.venue.chosen.connect(self._venue_chosen)
        self.venue.picked.connect(lambda _venue_id: self._focus_next())
        self.new_venue_button = QPushButton("现场新建场所…")
        self.new_venue_button.clicked.connect(self.create_venue)
        self.new_venue_button.setEnabled(self._context.actor.can(Permission.EDIT_REGISTRY))
        self.venue_label = QLabel("未选择")
        venue = QWidget()
        column = QVBoxLayout(venue)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.venue)
        row = QHBoxLayout()
        row.addWidget(self.venue_label, 1)
        row.addWidget(self.new_venue_button)
        column.addLayout(row)
        self.errors.add_row(form, "被检查单位：", "enterprise", venue)
        self.source = QComboBox()
        for source in InspectionSource:
            if source is not InspectionSource.RECHECK:  # a 复查 starts from its hazards
                self.source.addItem(source.label, source.value)
        form.addRow("检查来源：", self.source)
        self.template = QComboBox()
        self.template.addItem("正在读取检查表…")
        self.template.currentIndexChanged.connect(lambda _index: self._template_chosen())
        self.errors.add_row(form, "检查表：", "template", self.template)
        self.template_warning = QLabel()
        self.template_warning.setWordWrap(True)
        self.template_warning.setStyleSheet(f"color: {ORANGE};")
        self.template_warning.hide()
        form.addRow("", self.template_warning)
        self.facts_box = QWidget()
        self._facts_layout = QVBoxLayout(self.facts_box)
        self._facts_layout.setContentsMargins(0, 0, 0, 0)
        self.fact_boxes: dict[str, QCheckBox] = {}
        form.addRow("现场情况：", self.facts_box)
        return form

    def _people_form(self) -> QFormLayout:
        form = aligned_form()
        self.inspectors = InspectorList()
        self.inspectors.setFixedHeight(110)
        # fixed, not expanding: the label stays beside the list instead of above a gap
        self.inspectors.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.errors.add_row(form, "执法人员：", "inspectors", self.inspectors)
        self.person: dict[str, QLineEdit] = {}
        for name, label, placeholder in SITE_PERSON_FIELDS:
            edit = QLineEdit()
            edit.setPlaceholderText(placeholder)
            self.person[name] = edit
            self.errors.add_row(form, label, name, edit)
        self.place = QLineEdit()
        self.place.setPlaceholderText("默认为被检查单位的地址")
        form.addRow("检查场所：", self.place)
        self.started_at = QDateTimeEdit(to_qdatetime(dt.datetime.now().astimezone()))
        self.started_at.setDisplayFormat(QT_MINUTE_FORMAT)
        self.started_at.setCalendarPopup(True)
        self.errors.add_row(form, "开始时间：", "started_at", self.started_at)
        return form

    # --- loading choices -----------------------------------------------------------------

    def _load_choices(self) -> None:
        """Templates (a few dozen files) and the squad's inspectors, read in the background."""
        database, folder = self._context.database, self._checklist_folder
        actor = self._context.actor

        def work() -> Choices:
            return (
                load_catalogue(folder),
                inspections.available_inspectors(database, actor, actor.squad_id),
                inspections.recent_partners(database, actor),
            )

        self._context.workers.run(
            work, self._show_choices, lambda error: show_failure(self, error, "检查表未能读取")
        )

    def _show_choices(self, choices: Choices) -> None:
        catalogue, people, partners = choices
        self._catalogue = catalogue
        self.inspectors.set_people(people, self._context.actor.user_id, partners)
        if self.inspectors.hasFocus():  # the venue came first (检查此场所): move on again
            self._focus_next()
        errors = catalogue.errors
        self.template_warning.setText(
            "以下检查表模板有误，暂不可用（请联系管理员）：\n"
            + "\n".join(f"· {error.source}：{error.problems[0]}" for error in errors)
        )
        self.template_warning.setToolTip("\n\n".join(error.message for error in errors))
        self.template_warning.setVisible(bool(errors))
        self._fill_templates()

    def _fill_templates(self) -> None:
        """Templates for the venue's categories first (best match on top), then the rest."""
        catalogue = self._catalogue
        if catalogue is None:
            return
        categories = frozenset(self._venue.categories) if self._venue else frozenset()
        suggested = catalogue.suggested_for(categories)
        rest = [t for t in catalogue.templates if t not in suggested]
        self.template.blockSignals(True)
        self.template.clear()
        for template in suggested:
            self.template.addItem(self._template_text(template), template.id)
        if suggested and rest:
            self.template.insertSeparator(len(suggested))
        for template in rest:
            self.template.addItem(self._template_text(template), template.id)
        if not catalogue.templates:
            self.template.addItem("（没有可用的检查表）")
        self.template.blockSignals(False)
        self._template_chosen()

    def _template_chosen(self) -> None:
        """Ask the chosen template's yes/no questions (e.g. 是否使用燃气？)."""
        for box in self.fact_boxes.values():
            self._facts_layout.removeWidget(box)
            box.deleteLater()
        self.fact_boxes.clear()
        template = self.chosen_template()
        for fact in template.facts if template else ():
            box = QCheckBox(fact.question)
            box.toggled.connect(lambda _checked: self._count_applicable())
            self.fact_boxes[fact.id] = box
            self._facts_layout.addWidget(box)
        self.facts_box.setVisible(bool(self.fact_boxes))
        self._count_applicable()

    def facts(self) -> dict[str, bool]:
        """The 现场情况 as ticked, by fact id."""
        return {fact_id: box.isChecked() for fact_id, box in self.fact_boxes.items()}

    def _template_text(self, template: Template) -> str:
        """E.g. 30项 · 三小场所·小作坊安全检查表: the items that apply to the venue chosen, with
        the 现场情况 ticked so far (a template not chosen yet: with none ticked). The count
        comes first, where a long title cannot push it out of the box."""
        facts = self.facts() if template is self.chosen_template() else {}
        categories = frozenset(self._venue.categories) if self._venue else frozenset()
        return f"{len(template.applicable_items(facts, categories))}项 · {template.title}"

    def _count_applicable(self) -> None:
        """The chosen template's count, again after a 现场情况 was ticked."""
        template = self.chosen_template()
        if template is not None:
            self.template.setItemText(self.template.currentIndex(), self._template_text(template))

    def chosen_template(self) -> Template | None:
        """The template selected in the combo box."""
        template_id = self.template.currentData()
        templates = self._catalogue.templates if self._catalogue else ()
        matches = [t for t in templates if t.id == template_id]
        return matches[0] if matches else None

    # --- venue ---------------------------------------------------------------------------

    def _venue_chosen(self, enterprise_id: str) -> None:
        database = self._context.database
        draft = registry.load_draft(database, enterprise_id) if enterprise_id else None
        if draft == self._venue:
            return
        self._venue = draft
        self.venue_label.setText(f"已选：{draft.name}" if draft else "未选择")
        self.place.setText(draft.address if draft else "")
        if draft is not None:
            self._suggest_site_person(draft)
        self._fill_templates()

    def _suggest_site_person(self, venue: EnterpriseDraft) -> None:
        """The registered contact is usually the one on site; typed values are never replaced."""
        suggestions = {
            "site_person_name": venue.contact_name or venue.operator_name,
            "site_person_phone": venue.contact_phone,
        }
        for field, value in suggestions.items():
            edit = self.person[field]
            if not edit.text().strip() or not edit.isModified():
                edit.setText(value)

    def _focus_next(self) -> None:
        """After the venue: 开始检查 when two inspectors are ticked already, else the list of
        inspectors on the first one not ticked."""
        if len(self.inspectors.checked_ids()) >= MIN_INSPECTORS:
            self.start_button.setFocus()
            return
        unticked = (
            row
            for row in range(self.inspectors.count())
            if self.inspectors.item(row).checkState() != Qt.CheckState.Checked
        )
        self.inspectors.setCurrentRow(next(unticked, 0))
        self.inspectors.setFocus()

    def create_venue(self) -> None:
        """现场新建场所: the registry form; the saved venue is then the one chosen."""
        context = self._context
        created: list[tuple[str, str]] = []

        def save(draft: EnterpriseDraft) -> None:
            new_id = registry.create_enterprise(context.database, context.actor, draft)
            created.append((new_id, draft.name.strip()))

        dialog = EnterpriseDialog(self, "现场新建场所", save)
        dialog.accepted.connect(lambda: self.venue.choose(*created[-1]))
        dialog.open()
        self.dialog = dialog

    # --- starting ------------------------------------------------------------------------

    def request(self) -> InspectionStart:
        """The form's content as a start request."""
        person = {name.removeprefix("site_person_"): e.text() for name, e in self.person.items()}
        return InspectionStart(
            enterprise_id=self.venue.selected_id() or "",
            source=InspectionSource(self.source.currentData()),
            template_id=self.template.currentData(),
            inspector_ids=self.inspectors.checked_ids(),
            site_person=SitePerson(**person),
            facts=self.facts(),
            place=self.place.text(),
            started_at=from_qdatetime(self.started_at.dateTime()),
        )

    def try_start(self) -> None:
        """Start the inspection through the core; on invalid input show each issue."""
        context = self._context
        try:
            self.inspection_id = inspections.start_inspection(
                context.database, context.actor, self.request(), self._checklist_folder
            )
        except InspectionInvalid as invalid:
            self.errors.show(invalid.issues)
            return
        except UserError as error:
            self.errors.show_message(error.message)
            return
        self.accept()

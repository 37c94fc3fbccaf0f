"""Add or edit one enterprise: a form whose problems are shown beside the fields, in Chinese.

Validation is the core's (``registry.check_draft``); the dialog only collects text and shows
the issues it gets back. A USCC whose check character fails reveals the 校验位不符说明 field,
where the inspector writes why the code is right after all.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from fuanjian_desktop import reference
from fuanjian_desktop.domain.registry_rules import FIELD_LABELS, EnterpriseDraft, FieldIssue
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.services.registry.registry import EnterpriseInvalid
from ui.widgets.form_parts import error_label, lay_out_form_dialog

SaveDraft = Callable[[EnterpriseDraft], None]
_TEXT_FIELDS = (
    ("name", "如：深圳市福田区园岭某某五金店"),
    ("uscc", "18位，见营业执照"),
    ("uscc_override_reason", "已核对营业执照原件，代码无误"),
    ("operator_name", "个体工商户填写"),
    ("operator_id_no", "18位居民身份证号码"),
    ("address", "深圳市福田区……"),
    ("grid", "如：园岭05网格"),
    ("contact_name", "法定代表人或现场负责人"),
    ("contact_phone", "手机或 0755-xxxxxxxx"),
    ("floor_area", "平方米，如 85.5"),
)


class EnterpriseDialog(QDialog):
    """The 企业信息 form; ``save`` is called with the draft and raises on invalid input."""

    def __init__(self, parent: QWidget | None, title: str, save: SaveDraft) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(720)
        self._save = save
        self.edits: dict[str, QLineEdit] = {}
        self.errors: dict[str, QLabel] = {}
        self._setup_ui()

    def _setup_ui(self) -> None:
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        for name, placeholder in _TEXT_FIELDS:
            edit = QLineEdit()
            edit.setPlaceholderText(placeholder)
            self.edits[name] = edit
            self._add_row(form, name, edit)
        self.street = QComboBox()
        self.street.addItems(["", *reference.street_names()])
        self.street.currentTextChanged.connect(self._fill_communities)
        self._add_row(form, "street", self.street)
        self.community = QComboBox()
        self.community.setEditable(True)
        self._add_row(form, "community", self.community)
        form.addRow("", self._flags_row())
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(60)
        self._add_row(form, "notes", self.notes)
        self._set_override_visible(False, form)
        self._form = form

        self.general_error = error_label()
        columns = QHBoxLayout()
        columns.addLayout(form, 3)
        columns.addWidget(self._categories_box(), 2)
        self.save_button = lay_out_form_dialog(
            self, columns, self.general_error, self.try_save, "保存"
        )

    def _add_row(self, form: QFormLayout, name: str, field: QWidget) -> None:
        error = error_label(hidden=True)
        self.errors[name] = error
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(field)
        column.addWidget(error)
        form.addRow(FIELD_LABELS[name] + "：", holder)

    def _flags_row(self) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        self.key_supervision = QCheckBox("重点监管")
        self.blacklisted = QCheckBox("列入黑名单")
        layout.addWidget(self.key_supervision)
        layout.addWidget(self.blacklisted)
        layout.addStretch()
        return row

    def _categories_box(self) -> QGroupBox:
        box = QGroupBox("监管类别（至少选一项）")
        grid = QGridLayout(box)
        self.category_boxes: dict[str, QCheckBox] = {}
        for position, category in enumerate(reference.categories()):
            check = QCheckBox(category.label)
            self.category_boxes[category.code] = check
            grid.addWidget(check, position, 0)
        error = error_label(hidden=True)
        self.errors["categories"] = error
        grid.addWidget(error, len(self.category_boxes), 0)
        grid.setRowStretch(len(self.category_boxes) + 1, 1)
        return box

    def _fill_communities(self, street: str) -> None:
        current = self.community.currentText()
        self.community.clear()
        by_street = {item.name: item.communities for item in reference.streets()}
        self.community.addItems(["", *by_street.get(street, ())])
        self.community.setCurrentText(current)

    def _set_override_visible(self, visible: bool, form: QFormLayout | None = None) -> None:
        (form or self._form).setRowVisible(
            self.edits["uscc_override_reason"].parentWidget(), visible
        )

    def load(self, draft: EnterpriseDraft) -> None:
        """Fill the form with an existing enterprise."""
        for name, edit in self.edits.items():
            edit.setText(getattr(draft, name))
        self.street.setCurrentText(draft.street)
        self.community.setCurrentText(draft.community)
        self.notes.setPlainText(draft.notes)
        self.key_supervision.setChecked(draft.key_supervision)
        self.blacklisted.setChecked(draft.blacklisted)
        for code, check in self.category_boxes.items():
            check.setChecked(code in draft.categories)
        self._set_override_visible(bool(draft.uscc_override_reason))

    def draft(self) -> EnterpriseDraft:
        """The form's current content as a draft."""
        texts = {name: edit.text() for name, edit in self.edits.items()}
        return EnterpriseDraft(
            **texts,
            street=self.street.currentText(),
            community=self.community.currentText(),
            notes=self.notes.toPlainText(),
            key_supervision=self.key_supervision.isChecked(),
            blacklisted=self.blacklisted.isChecked(),
            categories=tuple(code for code, box in self.category_boxes.items() if box.isChecked()),
        )

    def try_save(self) -> None:
        """Save through the core; on invalid input show each issue beside its field."""
        self._clear_errors()
        try:
            self._save(self.draft())
        except EnterpriseInvalid as invalid:
            self.show_issues(invalid.issues)
            return
        except UserError as error:
            self.general_error.setText(error.message)
            return
        self.accept()

    def show_issues(self, issues: list[FieldIssue]) -> None:
        """Put each issue's Chinese message under its field and focus the first one."""
        for issue in issues:
            label = self.errors.get(issue.field)
            if label is None:
                continue
            label.setText("\n".join(filter(None, [label.text(), issue.message])))
            label.show()
            # word-wrapped labels in a form get one line unless told their height for the width
            width = label.parentWidget().width()
            label.setMinimumHeight(label.heightForWidth(width))
            if issue.overridable:
                self._set_override_visible(True)
        self.general_error.setText(f"有{len(issues)}处需要修改，见红字提示。")
        first = self.edits.get(issues[0].field) if issues else None
        if first is not None:
            first.setFocus()
        self.adjustSize()

    def _clear_errors(self) -> None:
        for label in self.errors.values():
            label.clear()
            label.setMinimumHeight(0)
            label.hide()
        self.general_error.clear()

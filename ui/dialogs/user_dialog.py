"""新增用户: an administrator creates an account with its squad, roles and first password."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from fuanjian_desktop.domain.roles import BUREAU_ROLES, Role
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.services.users import NewUser
from ui.widgets.form_parts import error_label, save_cancel_buttons


class UserForm(QWidget):
    """Fields of an account; shared by 新增用户 and the first administrator at 正式启用."""

    def __init__(self, squads: list[tuple[str, str]], fixed_roles: tuple[Role, ...] = ()) -> None:
        super().__init__()
        self.username = QLineEdit(placeholderText="小写拼音，如 zhangwei")
        self.full_name = QLineEdit()
        self.cert_no = QLineEdit(placeholderText="执法人员必填")
        self.squad = QComboBox()
        for squad_id, name in squads:
            self.squad.addItem(name, squad_id)
        self.password = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("至少8位，含字母和数字")
        self.password_again = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        # the bureau roles are given at the 区局 (HQ), not by a squad's administrator
        self.role_boxes = {role: QCheckBox(role.label) for role in Role if role not in BUREAU_ROLES}
        roles_row = QHBoxLayout()
        for role, box in self.role_boxes.items():
            box.setChecked(role in fixed_roles)
            box.setEnabled(role not in fixed_roles)
            roles_row.addWidget(box)
        form = QFormLayout(self)
        form.addRow("用户名：", self.username)
        form.addRow("姓名：", self.full_name)
        form.addRow("执法证号：", self.cert_no)
        form.addRow("所属中队：", self.squad)
        form.addRow("角色：", roles_row)
        form.addRow("密码：", self.password)
        form.addRow("再次输入密码：", self.password_again)

    def new_user(self) -> NewUser:
        """The entered account; raises a Chinese UserError if the two passwords differ."""
        if self.password.text() != self.password_again.text():
            raise UserError("两次输入的密码不一致，请重新输入。")
        return NewUser(
            username=self.username.text(),
            full_name=self.full_name.text(),
            squad_id=str(self.squad.currentData() or ""),
            roles=tuple(role for role, box in self.role_boxes.items() if box.isChecked()),
            password=self.password.text(),
            cert_no=self.cert_no.text(),
        )


class UserDialog(QDialog):
    """A dialog around :class:`UserForm` that saves through ``save`` and shows its errors."""

    def __init__(
        self, parent: QWidget | None, squads: list[tuple[str, str]], save: Callable[[NewUser], None]
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("新增用户")
        self._save = save
        self.form = UserForm(squads)
        self.error = error_label()
        buttons = save_cancel_buttons(self.try_save, self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def try_save(self) -> None:
        """Save, or show why not."""
        try:
            self._save(self.form.new_user())
        except UserError as error:
            self.error.setText(error.message)
            return
        self.accept()

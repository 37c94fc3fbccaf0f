"""The main window: navigation to the pages this user may use, and the status bar."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from fuanjian_desktop import APP_NAME
from fuanjian_desktop.domain.roles import Permission, role_labels
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.idle_lock import confirm_password, lock_minutes
from ui.context import AppContext
from ui.dialogs.about_dialog import AboutDialog
from ui.dossier.dossier_page import DossierPage
from ui.idle_lock import IdleLock
from ui.keyboard import focus_into
from ui.pages.approvals_page import ApprovalsPage
from ui.pages.audit_page import AuditPage
from ui.pages.case_page import CasePage
from ui.pages.cases_page import CasesPage
from ui.pages.hazard_page import HazardPage
from ui.pages.inspection_page import InspectionPage
from ui.pages.registry_page import RegistryPage
from ui.pages.users_page import UsersPage
from ui.pages.workbench_page import WorkbenchPage
from ui.shortcuts import ABOUT, LOCK_NOW, keyed
from ui.sync.status_bar import window_sync_bar
from ui.sync.sync_page import SyncPage
from ui.widgets.account_buttons import AccountButtons
from ui.widgets.demo_banner import demo_banner


@dataclass(frozen=True)
class PageSpec:
    """A page: its key (for ``--page``), who may use it and how to build it.

    ``any_of`` narrows the page to users holding one of those permissions too (待我审批 is for
    approvers and reviewers); a ``hidden`` page is in no navigation row but opened from a list.
    """

    key: str
    title: str
    permission: Permission
    build: Callable[[AppContext], QWidget]
    any_of: tuple[Permission, ...] = ()
    hidden: bool = False

    def allows(self, actor: Actor) -> bool:
        """Whether ``actor`` may use the page."""
        extra = not self.any_of or any(actor.can(permission) for permission in self.any_of)
        return actor.can(self.permission) and extra


APPROVERS = (Permission.APPROVE_CASES, Permission.REVIEW_CASES)
DIGIT_KEYS = "1234567890"  # Ctrl+1 … Ctrl+9, then Ctrl+0 for a tenth row
PAGES = (
    PageSpec("workbench", "工作台", Permission.VIEW_INSPECTIONS, WorkbenchPage),
    PageSpec("inspection", "现场检查", Permission.VIEW_INSPECTIONS, InspectionPage),
    PageSpec("hazards", "隐患台账", Permission.VIEW_INSPECTIONS, HazardPage),
    PageSpec("cases", "案件管理", Permission.VIEW_CASES, CasesPage),
    PageSpec("approvals", "待我审批", Permission.VIEW_CASES, ApprovalsPage, APPROVERS),
    PageSpec("dossiers", "案卷", Permission.KEEP_CASE_RECORDS, DossierPage),
    PageSpec("registry", "企业台账", Permission.VIEW_REGISTRY, RegistryPage),
    PageSpec("audit", "操作日志", Permission.VIEW_AUDIT, AuditPage),
    PageSpec("users", "用户管理", Permission.MANAGE_USERS, UsersPage),
    PageSpec("sync", "同步", Permission.VIEW_INSPECTIONS, SyncPage),
    PageSpec("case", "案件", Permission.VIEW_CASES, CasePage, hidden=True),
)


class MainWindow(QMainWindow):
    """Navigation on the left (Ctrl+1…), the chosen page on the right.

    ``sign_out_requested`` asks the start (``ui.startup``) to close the data and show the
    sign-in window: 退出登录 emits it, and so may the idle lock.
    """

    sign_out_requested = Signal()

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.setWindowTitle(f"{APP_NAME} — {context.squad_name}")
        self.resize(1366, 768)
        self.pages: dict[str, QWidget] = {}  # the pages built so far, by key
        self._keys: list[str] = []
        self._setup_ui()
        self._setup_status_bar()
        self._setup_idle_lock()

    def _setup_ui(self) -> None:
        self.navigation = QListWidget()
        self.navigation.setFixedWidth(170)
        self.navigation.setObjectName("navigation")
        self.stack = QStackedWidget()
        allowed = [spec for spec in PAGES if spec.allows(self.context.actor)]
        for spec in sorted(allowed, key=lambda spec: spec.hidden):  # hidden pages after the rows
            self._add_page(spec)
        self.navigation.currentRowChanged.connect(self._switch_to)
        # the row of a list stays current while a case opened from it is shown: a click leads back
        self.navigation.clicked.connect(lambda index: self._switch_to(index.row()))
        self.navigation.setCurrentRow(0)

        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        body.addLayout(self._sidebar())
        body.addWidget(self.stack, 1)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        if self.context.installation.is_demo:
            self.banner = demo_banner()
            layout.addWidget(self.banner)
        layout.addLayout(body, 1)
        self.setCentralWidget(central)

    def _switch_to(self, row: int) -> None:
        """Show the page, built on first use; a page shown again brings its lists up to date
        (another page may have changed them)."""
        key = self._keys[row]
        fresh = key not in self.pages
        page = self.page(key)
        if self.stack.currentWidget() is page:
            return
        self.stack.setCurrentWidget(page)
        focus_into(page)
        refresh = getattr(page, "refresh", None)
        if not fresh and callable(refresh):
            refresh()

    def page(self, key: str) -> QWidget:
        """The page named ``key``, built the first time it is needed (start-up builds one)."""
        if key not in self.pages:
            spec = next(spec for spec in PAGES if spec.key == key)
            placeholder = self.stack.widget(self._keys.index(key))
            built = spec.build(self.context)
            self.stack.insertWidget(self._keys.index(key), built)
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
            self.pages[key] = built
            self._wire(built)
        return self.pages[key]

    def _wire(self, page: QWidget) -> None:
        """Cross-page actions: 继续检查 / 新建检查 on the 工作台, 检查此场所 in the registry,
        a case opened from a list, and the lists brought up to date after a step on a case."""
        if isinstance(page, WorkbenchPage):
            page.open_inspection.connect(
                lambda inspection_id: self._on_inspection_page().show_inspection(inspection_id)
            )
            page.new_inspection.connect(lambda: self._on_inspection_page().new_inspection())
        elif isinstance(page, RegistryPage):
            page.inspect_venue.connect(
                lambda venue_id: self._on_inspection_page().new_inspection(venue_id)
            )
        elif isinstance(page, CasesPage):
            page.new_case.connect(lambda: self._on_case_page().new_case())
        elif isinstance(page, CasePage):
            page.changed.connect(self._cases_changed)
            page.open_dossier.connect(self._show_dossier)
        elif isinstance(page, SyncPage):
            page.attach(self.sync_bar)
        elif isinstance(page, UsersPage):
            page.idle_minutes_changed.connect(
                lambda minutes: self.idle_lock.set_interval(dt.timedelta(minutes=minutes))
            )
        if isinstance(page, WorkbenchPage | CasesPage | ApprovalsPage | DossierPage):
            page.open_case.connect(lambda case_id: self._on_case_page().show_case(case_id))

    def _on_inspection_page(self) -> InspectionPage:
        self.show_page("inspection")
        page = self.pages["inspection"]
        assert isinstance(page, InspectionPage)
        return page

    def _on_case_page(self) -> CasePage:
        self.show_page("case")
        page = self.pages["case"]
        assert isinstance(page, CasePage)
        return page

    def _show_dossier(self, case_id: str) -> None:
        """The case's volume on the 案卷 page (the case page offers it once the case is closed)."""
        self.show_page("dossiers")
        page = self.pages["dossiers"]
        assert isinstance(page, DossierPage)
        page.show_dossier(case_id)

    def _cases_changed(self) -> None:
        """A step on a case moves it between lists: refresh those already built."""
        for key in ("cases", "approvals", "dossiers"):
            page = self.pages.get(key)
            if isinstance(page, CasesPage | ApprovalsPage | DossierPage):
                page.refresh()

    def _sidebar(self) -> QVBoxLayout:
        brand = QLabel(f"<span style='font-size:16pt;font-weight:bold'>{APP_NAME}</span>")
        brand.setObjectName("brand")
        squad = QLabel(self.context.squad_name)
        squad.setObjectName("brandSquad")
        squad.setWordWrap(True)
        for label in (brand, squad):
            label.setFixedWidth(self.navigation.width())
        column = QVBoxLayout()
        column.setSpacing(0)
        column.addWidget(brand)
        column.addWidget(squad)
        column.addWidget(self.navigation, 1)
        return column

    def _add_page(self, spec: PageSpec) -> None:
        position = len(self._keys)
        self._keys.append(spec.key)
        self.stack.addWidget(QWidget())  # until the page is first shown
        if spec.hidden:
            return
        if position >= len(DIGIT_KEYS):  # no digit left: reached by the arrow keys only
            self.navigation.addItem(spec.title)
            return
        key = DIGIT_KEYS[position]
        self.navigation.addItem(f"{spec.title}    Ctrl+{key}")
        shortcut = QShortcut(QKeySequence(f"Ctrl+{key}"), self)
        shortcut.activated.connect(lambda: self._choose_row(position))

    def _choose_row(self, row: int) -> None:
        """Ctrl+N: that row's page, even when the row is current under a case opened from it."""
        self.navigation.setCurrentRow(row)
        self._switch_to(row)

    def _setup_status_bar(self) -> None:
        actor = self.context.actor
        self.user_label = QLabel(f"用户：{actor.full_name}（{role_labels(actor.roles)}）")
        self.squad_label = QLabel(f"中队：{self.context.squad_name}")
        self.sync_bar = window_sync_bar(self.context, self)
        self.sync_bar.settings_requested.connect(lambda: self.show_page("sync"))
        self.sync_bar.conflicts_requested.connect(self.show_conflicts)
        self.sync_bar.data_arrived.connect(self._cases_changed)
        self.about_button = QPushButton("关于")
        self.about_button.setFlat(True)
        keyed(self.about_button, ABOUT)
        self.about_button.clicked.connect(self.show_about)
        bar = self.statusBar()
        for label in (self.user_label, self.squad_label):
            bar.addWidget(label)
        bar.addPermanentWidget(self.sync_bar)
        self.account = AccountButtons(self._change_password, self.context.workers)
        self.account.sign_out_requested.connect(self.sign_out_requested)
        self.account.password_changed.connect(
            lambda: bar.showMessage("密码已修改，下次登录请用新密码。", 10_000)
        )
        self.lock_button = keyed(QPushButton("立即锁定"), LOCK_NOW)
        self.lock_button.setFlat(True)
        bar.addPermanentWidget(self.lock_button)
        bar.addPermanentWidget(self.account)
        bar.addPermanentWidget(self.about_button)

    def _setup_idle_lock(self) -> None:
        """自动锁定 after this laptop's idle minutes (10 unless set), and 立即锁定 (Ctrl+L)."""
        database, actor = self.context.database, self.context.actor
        self.idle_lock = IdleLock(
            self,
            f"{actor.full_name}（{actor.username}）",
            lambda password: confirm_password(database, actor.username, password),
            self.context.workers,
            dt.timedelta(minutes=lock_minutes(database)),
        )
        self.idle_lock.sign_out_requested.connect(self.sign_out_requested)
        self.idle_lock.locked_changed.connect(self.sync_bar.runner.set_locked)
        self.lock_button.clicked.connect(self.idle_lock.lock)

    def _change_password(self, old: str, new: str) -> None:
        """修改密码 (on a worker): the hash and the wrapped data key both follow the new one."""
        from fuanjian_desktop.services import auth

        auth.change_password(self.context.database, self.context.actor, old, new)

    def show_about(self) -> AboutDialog:
        """关于福安监 (F1): version, data folder, Qt and its Chinese translation."""
        dialog = AboutDialog(self.context.database.folder, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show_conflicts(self) -> None:
        """The 同步 page on its 冲突 tab (the status bar's 冲突 button)."""
        self.show_page("sync")
        page = self.pages["sync"]
        assert isinstance(page, SyncPage)
        page.show_conflicts()

    def show_page(self, key: str) -> None:
        """Switch to the page named ``key`` (``workbench``, ``inspection``, ``hazards`` …)."""
        if key not in self._keys:
            available = "、".join(self._keys)
            raise KeyError(f"页面“{key}”不存在或当前用户无权访问；可用页面：{available}")
        position = self._keys.index(key)
        if position < self.navigation.count():
            self._choose_row(position)
        else:  # a hidden page; its caller says what to show on it
            self._mark_case_list()
            self.stack.setCurrentWidget(self.page(key))

    def _mark_case_list(self) -> None:
        """A case shown from the 工作台 highlights 案件管理 (from 待我审批, that row stays)."""
        current = self.navigation.currentRow()
        if "cases" not in self._keys or self._keys[current] == "approvals":
            return
        self.navigation.blockSignals(True)
        self.navigation.setCurrentRow(self._keys.index("cases"))
        self.navigation.blockSignals(False)

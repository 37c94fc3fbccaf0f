"""Roles and what each may do. Permissions are checked in core services, not only in the UI."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from fuanjian_desktop.errors import PermissionDenied


class Role(StrEnum):
    """The roles a user may hold (several at once)."""

    INSPECTOR = "inspector"
    CLERK = "clerk"
    LEGAL_REVIEWER = "legal_reviewer"
    SQUAD_LEADER = "squad_leader"
    ADMIN = "admin"
    BUREAU_VIEWER = "bureau_viewer"

    @property
    def label(self) -> str:
        """The role's Chinese name as users know it."""
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.INSPECTOR: "执法人员",
    Role.CLERK: "内勤",
    Role.LEGAL_REVIEWER: "法制审核员",
    Role.SQUAD_LEADER: "中队负责人",
    Role.ADMIN: "管理员",
    Role.BUREAU_VIEWER: "区局查看",
}

BUREAU_ROLES = frozenset({Role.BUREAU_VIEWER})
"""Roles that reach across squads (for the 区局 and, later, HQ); held only by 区局 accounts."""


class Permission(StrEnum):
    """Actions guarded in the services."""

    VIEW_REGISTRY = "view_registry"
    EDIT_REGISTRY = "edit_registry"
    IMPORT_REGISTRY = "import_registry"
    MANAGE_USERS = "manage_users"
    VIEW_AUDIT = "view_audit"
    VIEW_INSPECTIONS = "view_inspections"
    INSPECT = "inspect"
    MANAGE_HAZARDS = "manage_hazards"
    ATTACH_EVIDENCE = "attach_evidence"
    VIEW_CASES = "view_cases"
    HANDLE_CASES = "handle_cases"
    APPROVE_CASES = "approve_cases"
    REVIEW_CASES = "review_cases"
    KEEP_CASE_RECORDS = "keep_case_records"
    VIEW_ALL_SQUADS = "view_all_squads"


PERMISSION_LABELS = {
    Permission.VIEW_REGISTRY: "查看企业台账",
    Permission.EDIT_REGISTRY: "新增或修改企业",
    Permission.IMPORT_REGISTRY: "从Excel导入企业",
    Permission.MANAGE_USERS: "管理用户",
    Permission.VIEW_AUDIT: "查看操作日志",
    Permission.VIEW_INSPECTIONS: "查看现场检查和隐患",
    Permission.INSPECT: "开展现场检查",
    Permission.MANAGE_HAZARDS: "修改隐患、复查和移交立案",
    Permission.ATTACH_EVIDENCE: "添加现场照片",
    Permission.VIEW_CASES: "查看案件",
    Permission.HANDLE_CASES: "承办案件",
    Permission.APPROVE_CASES: "审批案件",
    Permission.REVIEW_CASES: "法制审核",
    Permission.KEEP_CASE_RECORDS: "登记缴款、公示和归档",
    Permission.VIEW_ALL_SQUADS: "查看各中队的记录",
}

GRANTS: dict[Permission, frozenset[Role]] = {
    Permission.VIEW_REGISTRY: frozenset(Role),
    Permission.EDIT_REGISTRY: frozenset(
        {Role.INSPECTOR, Role.CLERK, Role.SQUAD_LEADER, Role.ADMIN}
    ),
    Permission.IMPORT_REGISTRY: frozenset({Role.CLERK, Role.SQUAD_LEADER, Role.ADMIN}),
    Permission.MANAGE_USERS: frozenset({Role.ADMIN}),
    Permission.VIEW_AUDIT: frozenset({Role.LEGAL_REVIEWER, Role.SQUAD_LEADER, Role.ADMIN}),
    Permission.VIEW_INSPECTIONS: frozenset(Role),
    Permission.INSPECT: frozenset({Role.INSPECTOR}),
    Permission.MANAGE_HAZARDS: frozenset({Role.INSPECTOR, Role.SQUAD_LEADER}),
    Permission.ATTACH_EVIDENCE: frozenset({Role.INSPECTOR, Role.SQUAD_LEADER}),
    Permission.VIEW_CASES: frozenset(Role),
    Permission.HANDLE_CASES: frozenset({Role.INSPECTOR}),
    Permission.APPROVE_CASES: frozenset({Role.SQUAD_LEADER}),
    Permission.REVIEW_CASES: frozenset({Role.LEGAL_REVIEWER}),
    Permission.KEEP_CASE_RECORDS: frozenset({Role.CLERK, Role.INSPECTOR, Role.SQUAD_LEADER}),
    # read-only: a squad's records are changed only by that squad's own users
    Permission.VIEW_ALL_SQUADS: frozenset({Role.BUREAU_VIEWER}),
}


def role_labels(roles: Iterable[str]) -> str:
    """Role codes as Chinese names in the canonical order, e.g. 执法人员、中队负责人."""
    held = set(roles)
    return "、".join(role.label for role in Role if role in held)


def allows(roles: Iterable[str], permission: Permission) -> bool:
    """Whether any of ``roles`` grants ``permission``."""
    return any(role in GRANTS[permission] for role in roles)


def require(roles: Iterable[str], permission: Permission) -> None:
    """Raise :class:`PermissionDenied` with a Chinese message unless a role grants it."""
    if allows(roles, permission):
        return
    needed = role_labels(GRANTS[permission])
    raise PermissionDenied(
        f"您没有“{PERMISSION_LABELS[permission]}”的权限（需要以下角色之一：{needed}）。"
        "如需办理，请联系本中队管理员。"
    )

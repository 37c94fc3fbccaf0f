"""ORM entities by aggregate; importing this package registers every table on ``Base``."""

from fuanjian_desktop.models.audit import AuditEvent, OutboxEntry
from fuanjian_desktop.models.org import Squad, User, UserRole
from fuanjian_desktop.models.registry import Enterprise, EnterpriseCategory
from fuanjian_desktop.models.settings import LocalSetting

__all__ = [
    "AuditEvent",
    "Enterprise",
    "EnterpriseCategory",
    "LocalSetting",
    "OutboxEntry",
    "Squad",
    "User",
    "UserRole",
]

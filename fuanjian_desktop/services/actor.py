"""Who is acting: the signed-in user as the services see them."""

from __future__ import annotations

from dataclasses import dataclass

from fuanjian_desktop.domain.roles import Permission, allows, require
from fuanjian_desktop.models import User


@dataclass(frozen=True)
class Actor:
    """The signed-in user (or the system itself, for set-up) on whose behalf a service acts."""

    user_id: str | None
    full_name: str
    squad_id: str | None
    roles: frozenset[str]
    username: str = ""
    cert_no: str | None = None

    @classmethod
    def of(cls, user: User) -> Actor:
        """The actor for a loaded user row."""
        return cls(user.id, user.full_name, user.squad_id, user.roles, user.username, user.cert_no)

    def can(self, permission: Permission) -> bool:
        """Whether this actor holds a role granting ``permission`` (for enabling buttons)."""
        return allows(self.roles, permission)

    def require(self, permission: Permission) -> None:
        """Raise a Chinese :class:`PermissionDenied` unless this actor may do it."""
        require(self.roles, permission)


SYSTEM = Actor(user_id=None, full_name="系统", squad_id=None, roles=frozenset({"admin"}))

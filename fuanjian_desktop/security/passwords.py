"""Password hashing with argon2id, and the password rules a new password must meet."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from fuanjian_desktop.errors import UserError

# argon2-cffi's defaults are argon2id with RFC 9106's low-memory profile; stateless, so shared.
_HASHER = PasswordHasher()
MIN_PASSWORD_LENGTH = 8


def hash_password(password: str) -> str:
    """The argon2id hash to store for ``password``."""
    return _HASHER.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``stored_hash`` (any malformed hash counts as no match)."""
    try:
        return _HASHER.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Whether the hash was made with weaker parameters than today's and should be renewed."""
    return _HASHER.check_needs_rehash(stored_hash)


def check_new_password(password: str) -> None:
    """Refuse a password that is too short or lacks letters or digits (Chinese message)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"密码至少需要{MIN_PASSWORD_LENGTH}位，请重新设置。")
    if not any(char.isdigit() for char in password) or not any(
        char.isascii() and char.isalpha() for char in password
    ):
        raise UserError("密码需同时包含字母和数字，请重新设置。")

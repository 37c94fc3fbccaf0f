"""The data key: the one random secret that encrypts the database and the evidence files.

It is generated once per data folder and never stored in the clear: ``keys.json`` holds it only
wrapped (see :mod:`fuanjian_desktop.security.keyring`). Other secrets (the evidence-file key) are
derived from it with HKDF, so one unwrap opens everything and no purpose reuses another's key.
"""

from __future__ import annotations

import hmac
import secrets

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_BYTES = 32
_INFO_PREFIX = b"fuanjian/"


class DataKey:
    """32 random bytes; the repr never shows them, so a log or traceback cannot leak the key."""

    __slots__ = ("_raw",)

    def __init__(self, raw: bytes) -> None:
        if len(raw) != KEY_BYTES:
            raise ValueError(f"a data key is {KEY_BYTES} bytes, got {len(raw)}")
        self._raw = bytes(raw)

    @classmethod
    def generate(cls) -> DataKey:
        """A new key from the operating system's random source."""
        return cls(secrets.token_bytes(KEY_BYTES))

    @property
    def raw(self) -> bytes:
        """The key bytes (for SQLCipher's raw key and for wrapping)."""
        return self._raw

    def derive(self, purpose: str) -> bytes:
        """A 32-byte key for one ``purpose`` (HKDF-SHA256, info = ``fuanjian/<purpose>``)."""
        hkdf = HKDF(
            algorithm=hashes.SHA256(),
            length=KEY_BYTES,
            salt=None,
            info=_INFO_PREFIX + purpose.encode("utf-8"),
        )
        return hkdf.derive(self._raw)

    def sqlcipher_pragma(self) -> str:
        """``PRAGMA key`` with the raw key, so SQLCipher runs no second (slow) KDF."""
        return f"PRAGMA key = \"x'{self._raw.hex()}'\""

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DataKey):
            return NotImplemented
        return hmac.compare_digest(self._raw, other._raw)

    def __hash__(self) -> int:
        return hash(("DataKey", self._raw))

    def __repr__(self) -> str:
        return "DataKey(<hidden>)"

    __str__ = __repr__

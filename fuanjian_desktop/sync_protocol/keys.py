"""Raw-key text helpers: Ed25519 and X25519 keys travel as base64 of their 32 raw bytes.

The raw form (not PEM or DER) is what the wire contract names, and it is the same for both key
kinds, so one pair of functions serves signing keys, escrow keys and device secrets alike.
"""

from __future__ import annotations

import base64
import binascii

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from fuanjian_desktop.errors import UserError

RAW_KEY_BYTES = 32


def b64(data: bytes) -> str:
    """Standard base64 text of ``data`` (with padding)."""
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    """The bytes of standard base64 ``text``; anything else is a :class:`UserError`."""
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError) as error:
        raise UserError("密钥或数据的 base64 编码无效。") from error


def _raw(text: str) -> bytes:
    data = unb64(text)
    if len(data) != RAW_KEY_BYTES:
        raise UserError(f"密钥长度应为 {RAW_KEY_BYTES} 字节，收到 {len(data)} 字节。")
    return data


def public_raw(key: Ed25519PublicKey | X25519PublicKey) -> bytes:
    """The 32 raw bytes of a public key."""
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def private_raw(key: Ed25519PrivateKey | X25519PrivateKey) -> bytes:
    """The 32 raw bytes of a private key (kept only where the owner stores its own keys)."""
    return key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())


def signing_public(text: str) -> Ed25519PublicKey:
    """An Ed25519 public key from its base64 raw text."""
    return Ed25519PublicKey.from_public_bytes(_raw(text))


def signing_private(text: str) -> Ed25519PrivateKey:
    """An Ed25519 private key from its base64 raw text."""
    return Ed25519PrivateKey.from_private_bytes(_raw(text))


def escrow_public(text: str) -> X25519PublicKey:
    """An X25519 public key from its base64 raw text."""
    return X25519PublicKey.from_public_bytes(_raw(text))


def escrow_private(text: str) -> X25519PrivateKey:
    """An X25519 private key from its base64 raw text."""
    return X25519PrivateKey.from_private_bytes(_raw(text))

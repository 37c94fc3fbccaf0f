"""The squad's recovery key, sealed to HQ's escrow key (an ECIES-style sealed box).

A laptop seals its recovery secret so that only HQ's X25519 private key opens it, and HQ needs
nothing from the laptop to do so later (the laptop may be lost: that is the point)::

    ephemeral = new X25519 key pair (one per seal)
    shared    = X25519(ephemeral private, HQ escrow public)
    key       = HKDF-SHA256(shared, salt = ephemeral public ‖ HQ public, info = INFO, 32 bytes)
    sealed    = AES-256-GCM(key, random 12-byte nonce, secret,
                            associated data = canonical JSON {"alg", "key_id", "version"})

The associated data binds the key id, so a sealed secret cannot be filed under another key id
unnoticed; the recipient's public key in the salt binds the box to the key it was sealed for.
"""

from __future__ import annotations

import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from fuanjian_desktop.errors import UserError
from fuanjian_desktop.security.canonical_json import canonical_bytes
from fuanjian_desktop.sync_protocol.keys import b64, public_raw, unb64

ALGORITHM = "X25519-HKDF-SHA256-AES256GCM"
VERSION = 1
INFO = b"fuanjian escrow v1"
NONCE_BYTES = 12
UNSEAL_MESSAGE = "托管的恢复密钥无法解开：它不是用本区局的托管密钥封存的，或内容已被改动。"


class EscrowRefused(UserError):
    """A sealed secret that does not open with the key given (wrong key, altered, malformed)."""


def _box_key(shared: bytes, ephemeral: bytes, recipient: bytes) -> AESGCM:
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=ephemeral + recipient, info=INFO
    ).derive(shared)
    return AESGCM(derived)


def _associated(key_id: str) -> bytes:
    return canonical_bytes({"alg": ALGORITHM, "key_id": key_id, "version": VERSION})


def seal(recipient_public: bytes, secret: bytes, key_id: str) -> dict[str, Any]:
    """``secret`` sealed to the X25519 public key ``recipient_public`` (32 raw bytes)."""
    recipient = X25519PublicKey.from_public_bytes(recipient_public)
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = public_raw(ephemeral.public_key())
    box = _box_key(ephemeral.exchange(recipient), ephemeral_public, recipient_public)
    nonce = os.urandom(NONCE_BYTES)
    return {
        "alg": ALGORITHM,
        "version": VERSION,
        "key_id": key_id,
        "ephemeral_public": b64(ephemeral_public),
        "nonce": b64(nonce),
        "ciphertext": b64(box.encrypt(nonce, secret, _associated(key_id))),
    }


def unseal(private: X25519PrivateKey, sealed: dict[str, Any]) -> bytes:
    """The secret in ``sealed``; anything that does not open is :class:`EscrowRefused`."""
    try:
        if sealed.get("alg") != ALGORITHM or sealed.get("version") != VERSION:
            raise ValueError("unknown sealing")
        key_id = str(sealed["key_id"])
        ephemeral_public = unb64(sealed["ephemeral_public"])
        ephemeral = X25519PublicKey.from_public_bytes(ephemeral_public)
        recipient = public_raw(private.public_key())
        box = _box_key(private.exchange(ephemeral), ephemeral_public, recipient)
        return box.decrypt(unb64(sealed["nonce"]), unb64(sealed["ciphertext"]), _associated(key_id))
    except (InvalidTag, KeyError, TypeError, ValueError, UserError) as error:
        raise EscrowRefused(UNSEAL_MESSAGE) from error

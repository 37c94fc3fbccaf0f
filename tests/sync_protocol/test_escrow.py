"""Escrow: only HQ's escrow key opens a sealed recovery secret, and nothing altered opens."""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from fuanjian_desktop.sync_protocol import escrow
from fuanjian_desktop.sync_protocol.keys import b64, public_raw, unb64

SECRET = b"FAJ1-ABCD-EFGH-JKLM-NPQR-STUV"


def test_hq_key_opens_what_was_sealed_to_it() -> None:
    """Sealed to HQ's public key, the secret comes back whole with HQ's private key."""
    hq = X25519PrivateKey.generate()
    sealed = escrow.seal(public_raw(hq.public_key()), SECRET, "recovery-1")
    assert escrow.unseal(hq, sealed) == SECRET
    assert SECRET not in str(sealed).encode()
    assert sealed["key_id"] == "recovery-1"


def test_every_seal_is_different() -> None:
    """Two seals of one secret share no ephemeral key, nonce or ciphertext."""
    hq = X25519PrivateKey.generate()
    one, two = (escrow.seal(public_raw(hq.public_key()), SECRET, "k") for _ in range(2))
    for field in ("ephemeral_public", "nonce", "ciphertext"):
        assert one[field] != two[field]


def flip(text: str) -> str:
    """The base64 of the same bytes with the first bit flipped."""
    data = bytearray(unb64(text))
    data[0] ^= 1
    return b64(bytes(data))


@pytest.mark.parametrize(
    "tamper",
    [
        lambda s: {**s, "ciphertext": flip(s["ciphertext"])},
        lambda s: {**s, "nonce": flip(s["nonce"])},
        lambda s: {**s, "ephemeral_public": flip(s["ephemeral_public"])},
        lambda s: {**s, "key_id": "recovery-2"},  # filed under another key id
        lambda s: {**s, "version": 2},
        lambda s: {**s, "alg": "none"},
        lambda s: {k: v for k, v in s.items() if k != "nonce"},
        lambda s: {**s, "ciphertext": "not base64!"},
    ],
)
def test_altered_boxes_do_not_open(tamper: Any) -> None:
    """Any altered part, or a missing one, is refused with the Chinese message."""
    hq = X25519PrivateKey.generate()
    sealed = escrow.seal(public_raw(hq.public_key()), SECRET, "recovery-1")
    with pytest.raises(escrow.EscrowRefused, match="托管的恢复密钥无法解开"):
        escrow.unseal(hq, tamper(sealed))


def test_another_key_does_not_open() -> None:
    """A box sealed to one HQ does not open with another HQ's key."""
    hq, other = X25519PrivateKey.generate(), X25519PrivateKey.generate()
    sealed = escrow.seal(public_raw(hq.public_key()), SECRET, "recovery-1")
    with pytest.raises(escrow.EscrowRefused):
        escrow.unseal(other, sealed)

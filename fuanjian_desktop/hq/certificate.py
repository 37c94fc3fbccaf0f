"""The fingerprint a laptop pins HQ's certificate by (``sync enroll --pin``).

HQ often runs on a self-made certificate no CA vouches for; the laptop then checks, on every
connection, that the server's certificate hashes to the fingerprint the administrator gave it
(``sync_client.transport``: SHA-256 of the certificate's DER bytes). ``hq serve`` prints it at
start, so the administrator reads it from the same place the server takes its certificate.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from fuanjian_desktop.errors import UserError


def certificate_pin(path: Path) -> str:
    """SHA-256 (64 hex digits) of the first certificate in the PEM file ``path``."""
    try:
        certificate = x509.load_pem_x509_certificate(path.read_bytes())
    except (OSError, ValueError) as error:
        raise UserError(f"证书文件“{path}”无法读取（应为 PEM 格式的证书）：{error}") from error
    return hashlib.sha256(certificate.public_bytes(Encoding.DER)).hexdigest()

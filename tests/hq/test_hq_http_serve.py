"""``serve``: a real uvicorn process on a free loopback port, plain HTTP and HTTPS, stopped by
SIGTERM with exit status 0."""

from __future__ import annotations

import datetime as dt
import hashlib
import inspect
import io
import ipaddress
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.x509.oid import NameOID

from fuanjian_desktop.errors import UserError
from fuanjian_desktop.hq.attachments import AttachmentStore
from fuanjian_desktop.hq.database import open_hq
from fuanjian_desktop.hq.enrollment import create_code
from fuanjian_desktop.hq.envelopes import hq_envelope
from fuanjian_desktop.hq.publish import publish
from fuanjian_desktop.hq.serve import serve
from fuanjian_desktop.ids import new_id
from fuanjian_desktop.sync_protocol.keys import unb64
from fuanjian_desktop.sync_protocol.signing import signed_headers
from tests.hq.hq_http_support import PROTOCOL, enrollment_body

pytestmark = pytest.mark.slow
ROOT = Path(__file__).parents[2]
LOOPBACK = "127.0.0.1"


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        port: int = probe.getsockname()[1]
        return port


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 signed by its own key (PEM files: cert, key)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "福安监区局测试")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(LOOPBACK))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "hq.crt", folder / "hq.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@contextmanager
def running(
    template: Path, folder: Path, tls: tuple[Path, Path] | None
) -> Iterator[tuple[str, str, subprocess.Popen[bytes], Path]]:
    """``serve`` in a child process on a free port: (base URL, db URL, process, log file)."""
    shutil.copyfile(template, folder / "hq.db")
    db_url = f"sqlite:///{folder / 'hq.db'}"
    port = free_port()
    tls_args = f"Path({str(tls[0])!r}), Path({str(tls[1])!r})" if tls else "None, None"
    program = (
        "import sys; from pathlib import Path; from fuanjian_desktop.hq.serve import serve; "
        f"sys.exit(serve({db_url!r}, Path({str(folder / 'data')!r}), {LOOPBACK!r}, {port}, "
        f"{tls_args}))"
    )
    log = folder / "serve.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-c", program], cwd=ROOT, stdout=output, stderr=subprocess.STDOUT
        )
    base = f"{'https' if tls else 'http'}://{LOOPBACK}:{port}"
    try:
        yield base, db_url, process, log
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def wait_ready(client: httpx.Client, process: subprocess.Popen[bytes], log: Path) -> None:
    """Poll until HQ answers (60 s at most on a loaded machine)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text(errors="replace")
        try:
            client.get("/v1/status", headers=PROTOCOL)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError("HQ did not start:\n" + log.read_text(errors="replace"))


def enroll_and_ask_status(client: httpx.Client, db_url: str) -> tuple[str, bytes, str]:
    """A laptop's first steps over the real socket: enroll, then a signed status request;
    returns the device id, its secret and its squad."""
    db = open_hq(db_url)
    try:
        code = create_code(db, "园岭")
    finally:
        db.close()
    body = enrollment_body(code, "园岭一号机", Ed25519PrivateKey.generate())
    reply = client.post("/v1/enroll", json=body, headers=PROTOCOL)
    assert reply.status_code == 200, reply.text
    device_id, secret = reply.json()["device_id"], unb64(reply.json()["secret"])
    headers = signed_headers(device_id, secret, "GET", "/v1/status", b"")
    status = client.get("/v1/status", headers=headers)
    assert status.status_code == 200, status.text
    assert status.json()["device_id"] == device_id
    return device_id, secret, reply.json()["squad_id"]


def stop(process: subprocess.Popen[bytes], log: Path) -> str:
    """SIGTERM, then the exit status must be 0 within 15 s; returns the server's log."""
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=15) == 0, log.read_text(errors="replace")
    return log.read_text(errors="replace")


@pytest.mark.parametrize("https", [False, True], ids=["http", "https"])
def test_a_real_server_enrolls_answers_and_stops_on_sigterm(
    hq_template: Path, tmp_path: Path, https: bool
) -> None:
    """Over a real socket (TLS with a pinned self-signed certificate when asked)."""
    tls = self_signed(tmp_path) if https else None
    with running(hq_template, tmp_path, tls) as (base, db_url, process, log):
        verify = ssl.create_default_context(cafile=tls[0]) if tls else False
        with httpx.Client(base_url=base, verify=verify, timeout=30) as client:
            wait_ready(client, process, log)
            enroll_and_ask_status(client, db_url)
        output = stop(process, log)
    assert f"Uvicorn running on {base}" in output
    assert "Shutting down" in output
    assert "POST /v1/enroll" in output


def test_a_download_in_flight_finishes_after_sigterm(hq_template: Path, tmp_path: Path) -> None:
    """SIGTERM while a 16 MiB file streams: the laptop still receives every byte, then HQ
    exits 0 (graceful shutdown, not a cut)."""
    content = hashlib.sha256(b"video").digest() * (16 * 1024 * 1024 // 32)
    sha = hashlib.sha256(content).hexdigest()
    with running(hq_template, tmp_path, None) as (base, db_url, process, log):
        with httpx.Client(base_url=base, timeout=30) as client:
            wait_ready(client, process, log)
            device_id, secret, squad_id = enroll_and_ask_status(client, db_url)
            AttachmentStore(tmp_path / "data").put(sha, io.BytesIO(content))
            name_evidence(db_url, sha, squad_id)
            path = f"/v1/attachments/{sha}"
            headers = signed_headers(device_id, secret, "GET", path, b"")
            digest = hashlib.sha256()
            with client.stream("GET", path, headers=headers) as download:
                assert download.status_code == 200
                chunks = download.iter_bytes(64 * 1024)
                digest.update(next(chunks))
                process.send_signal(signal.SIGTERM)
                for chunk in chunks:
                    digest.update(chunk)
                    time.sleep(0.001)
        assert digest.hexdigest() == sha
        assert process.wait(timeout=30) == 0, log.read_text(errors="replace")


def name_evidence(db_url: str, sha: str, squad_id: str) -> None:
    """An evidence record of ``squad_id`` naming ``sha`` (so its devices may download it)."""
    db = open_hq(db_url)
    try:
        fields = {"sha256": sha, "extension": ".mp4", "size_bytes": 1, "original_name": "v.mp4"}
        with db.write() as session:
            publish(session, hq_envelope("evidence_file", new_id(), fields), squad_id)
    finally:
        db.close()


def test_an_https_server_refuses_plain_http(hq_template: Path, tmp_path: Path) -> None:
    """With a certificate the port speaks TLS only: a plain request does not get an answer."""
    tls = self_signed(tmp_path)
    with running(hq_template, tmp_path, tls) as (base, _db_url, process, log):
        pinned = ssl.create_default_context(cafile=tls[0])
        with httpx.Client(base_url=base, verify=pinned, timeout=30) as client:
            wait_ready(client, process, log)
        plain = base.replace("https://", "http://")
        with pytest.raises(httpx.HTTPError):
            httpx.get(plain + "/v1/status", headers=PROTOCOL, timeout=10)
        stop(process, log)


def test_loopback_is_the_default_address() -> None:
    """Exposing HQ beyond this machine is an explicit ``--host``."""
    assert inspect.signature(serve).parameters["host"].default == LOOPBACK


def test_a_certificate_needs_its_key(tmp_path: Path) -> None:
    """Half a TLS configuration is refused in Chinese before anything starts."""
    cert, _key = self_signed(tmp_path)
    with pytest.raises(UserError, match="同时给出证书"):
        serve("sqlite:///unused.db", tmp_path, cert=cert)
    with pytest.raises(UserError, match="找不到文件"):
        serve("sqlite:///unused.db", tmp_path, cert=cert, key=tmp_path / "missing.key")


def test_a_port_in_use_is_a_chinese_error(hq_template: Path, tmp_path: Path) -> None:
    """Another program listening on the port: serve refuses in Chinese, naming the address."""
    shutil.copyfile(hq_template, tmp_path / "hq.db")
    with socket.socket() as taken:
        taken.bind((LOOPBACK, 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(UserError, match=f"无法在 {LOOPBACK}:{port} 上启动"):
            serve(f"sqlite:///{tmp_path / 'hq.db'}", tmp_path / "data", LOOPBACK, port)


def test_a_key_that_is_not_pem_is_a_chinese_error(tmp_path: Path) -> None:
    """A garbled or swapped key file is named before anything starts, not a traceback."""
    cert, _key = self_signed(tmp_path)
    garbled = tmp_path / "garbled.key"
    garbled.write_text("这不是私钥\n", encoding="utf-8")
    with pytest.raises(UserError, match="证书或私钥无法读取"):
        serve("sqlite:///unused.db", tmp_path, cert=cert, key=garbled)
    with pytest.raises(UserError, match="证书或私钥无法读取"):
        serve("sqlite:///unused.db", tmp_path, cert=cert, key=cert)  # the certificate twice


def test_an_address_this_machine_lacks_is_named(tmp_path: Path) -> None:
    """--host with an address of no network card here (TEST-NET-1, RFC 5737) says so."""
    with pytest.raises(UserError, match=r"本机没有地址 192\.0\.2\.1"):
        serve("sqlite:///unused.db", tmp_path, "192.0.2.1", 8765)

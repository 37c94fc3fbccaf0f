"""The transport: HQ's refusals become Chinese SyncErrors with their codes; another protocol
version is refused; a pinned certificate is checked before anything is sent."""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import json
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from fuanjian_desktop.sync_client.errors import SyncError
from fuanjian_desktop.sync_client.transport import Transport, normalised_pin
from tests.sync_client.fake_hq import BASE_URL, SECRET, FakeHq, answer, refusal

DEVICE = "D" * 26


def transport_to(handler: object) -> Transport:
    client = httpx.Client(transport=httpx.MockTransport(handler), base_url=BASE_URL)  # type: ignore[arg-type]
    return Transport(BASE_URL, device_id=DEVICE, secret=SECRET, client=client)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("revoked", f"本机已被区局停用同步（设备 {DEVICE}），请联系区局管理员。"),
        ("clock", "本机时间与区局服务器相差超过 5 分钟，请校准本机的日期和时间后再同步。"),
        ("unknown_device", f"区局不认识本机（设备 {DEVICE}）"),
        ("replay", "区局认为这次请求是重放的旧请求"),
    ],
)
def test_unauthorised_answers_are_told_in_chinese(code: str, expected: str) -> None:
    """Each 401 code has its own sentence naming the device, and keeps its code."""
    with pytest.raises(SyncError) as refused:
        transport_to(lambda request: refusal(401, code)).json("GET", "/status")
    assert refused.value.code == code
    assert refused.value.message.startswith(expected)


def test_a_refusal_with_hqs_message_passes_it_on() -> None:
    """403 scope: HQ's own Chinese message reaches the user."""
    handler = lambda request: refusal(403, "scope", "记录不属于本机所在中队")  # noqa: E731
    with pytest.raises(SyncError) as refused:
        transport_to(handler).json("POST", "/push", {})
    assert refused.value.code == "scope"
    assert "记录不属于本机所在中队" in refused.value.message


def test_a_server_of_another_protocol_version_is_refused() -> None:
    """An answer naming protocol 2 is not read, whatever its status."""
    with pytest.raises(SyncError) as refused:
        transport_to(lambda request: answer(200, {}, protocol="2")).json("GET", "/status")
    assert refused.value.code == "protocol"
    assert "本机同步协议版本为 1，区局服务器为 2" in refused.value.message


def test_every_request_names_the_protocol_and_is_signed() -> None:
    """The fake HQ verifies the HMAC over method, path with query, time, nonce and body."""
    hq = FakeHq(device_id=DEVICE)
    link = Transport(BASE_URL, device_id=DEVICE, secret=SECRET, client=hq.client())
    page = link.json("GET", "/pull", params={"cursor": 0, "limit": 5, "tables": "squad,app_user"})
    assert page["records"] == []
    wrong = Transport(BASE_URL, device_id=DEVICE, secret=bytes(32), client=hq.client())
    with pytest.raises(SyncError) as refused:
        wrong.json("GET", "/status")
    assert refused.value.code == "signature"


def test_hq_out_of_reach_is_unreachable() -> None:
    """A refused connection: code ``unreachable`` (the desktop retries quietly)."""

    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused")

    with pytest.raises(SyncError) as failed:
        transport_to(down).json("GET", "/status")
    assert failed.value.code == "unreachable"
    assert "无法连接区局服务器" in failed.value.message


@pytest.mark.parametrize("typed", ["AB:" * 31 + "AB", " " + "ab" * 32 + " "])
def test_a_pin_may_be_typed_with_colons(typed: str) -> None:
    """Colons, spaces and capitals are the usual ways fingerprints are shown."""
    assert normalised_pin(typed) == "ab" * 32


@pytest.mark.parametrize("typed", ["ab" * 31, "zz" * 32, ""])
def test_a_malformed_pin_is_refused(typed: str) -> None:
    with pytest.raises(SyncError):
        normalised_pin(typed)


# --- a real TLS handshake on loopback ---------------------------------------------------------


def self_signed(folder: Path) -> tuple[Path, Path, str]:
    """A certificate for 127.0.0.1, its key, and the SHA-256 of its DER form."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "hq.test")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    der = cert.public_bytes(serialization.Encoding.DER)
    return cert_path, key_path, hashlib.sha256(der).hexdigest()


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[tuple[str, str, list[str]]]:
    """An HTTPS server on loopback answering /v1/status; (url, its pin, paths it was asked);
    its certificate (its own CA) is ``tmp_path / "cert.pem"``."""
    cert, key, pin = self_signed(tmp_path)
    asked: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            body = json.dumps({"flagged": None}).encode()
            self.send_response(200)
            self.send_header("X-FJ-Protocol", "1")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{server.server_address[1]}", pin, asked
    server.shutdown()
    server.server_close()


def test_the_pinned_certificate_is_accepted(tls_server: tuple[str, str, list[str]]) -> None:
    """A self-made certificate is fine when its fingerprint is the pinned one."""
    url, pin, asked = tls_server
    link = Transport(url, device_id=DEVICE, secret=SECRET, pin=pin)
    assert link.json("GET", "/status") == {"flagged": None}
    assert asked == ["/v1/status"]


def test_another_certificate_is_refused_before_the_request_leaves(
    tls_server: tuple[str, str, list[str]],
) -> None:
    """A different fingerprint (someone posing as HQ): refused, and the server saw nothing."""
    url, _pin, asked = tls_server
    link = Transport(url, device_id=DEVICE, secret=SECRET, pin="00" * 32)
    with pytest.raises(SyncError) as refused:
        link.json("POST", "/push", {"records": ["secret data"]})
    assert refused.value.code == "tls"
    assert "证书与本机登记的指纹不一致" in refused.value.message
    assert asked == []


def test_without_pin_or_ca_a_self_made_certificate_is_refused(
    tls_server: tuple[str, str, list[str]],
) -> None:
    """The system's CAs do not know HQ's own certificate: a Chinese TLS error."""
    url, _pin, asked = tls_server
    with pytest.raises(SyncError) as refused:
        Transport(url, device_id=DEVICE, secret=SECRET).json("GET", "/status")
    assert refused.value.code == "tls"
    assert asked == []


def test_a_certificate_signed_by_the_given_ca_is_accepted(
    tls_server: tuple[str, str, list[str]], tmp_path: Path
) -> None:
    """``--ca``: HQ's certificate verified against the CA file (and its address)."""
    url, _pin, asked = tls_server
    ca_pem = (tmp_path / "cert.pem").read_text(encoding="ascii")
    link = Transport(url, device_id=DEVICE, secret=SECRET, ca_pem=ca_pem)
    assert link.json("GET", "/status") == {"flagged": None}
    assert asked == ["/v1/status"]


def test_another_ca_is_refused(tls_server: tuple[str, str, list[str]], tmp_path: Path) -> None:
    url, _pin, asked = tls_server
    other, _key, _pin2 = self_signed(tmp_path / "other")
    link = Transport(url, device_id=DEVICE, secret=SECRET, ca_pem=other.read_text(encoding="ascii"))
    with pytest.raises(SyncError) as refused:
        link.json("GET", "/status")
    assert refused.value.code == "tls"
    assert asked == []

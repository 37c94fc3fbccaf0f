"""HTTP to HQ: every request signed, HQ's certificate checked, every refusal in Chinese.

One :class:`Transport` per round. It signs each request with the device secret
(``sync_protocol.signing``), sends the protocol version, and refuses an answer of another
protocol version. HTTPS is checked either against a CA file (``--ca``) or by pinning the
SHA-256 of HQ's certificate (``--pin``): the pin is compared right after the TLS handshake,
before a byte of the request leaves the laptop. A refusal of HQ becomes a :class:`SyncError`
whose ``code`` is the wire code (``revoked``, ``clock`` …) and whose message tells the user
what to do.
"""

from __future__ import annotations

import hashlib
import json
import ssl
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx

from fuanjian_desktop.sync_client.errors import SyncError
from fuanjian_desktop.sync_client.state import Peer
from fuanjian_desktop.sync_protocol.keys import unb64
from fuanjian_desktop.sync_protocol.signing import signed_headers
from fuanjian_desktop.sync_protocol.version import (
    API_PREFIX,
    HEADER_PROTOCOL,
    PROTOCOL_VERSION,
    ProtocolMismatch,
    check_version,
)

TIMEOUT = httpx.Timeout(60.0, connect=10.0)
JSON = "application/json"

# what the user is told for each 401 code; the others carry HQ's own Chinese message
_UNAUTHORISED = {
    "revoked": "本机已被区局停用同步（设备 {device}），请联系区局管理员。",
    "unknown_device": (
        "区局不认识本机（设备 {device}），可能已被删除。请联系区局管理员重新发放接入码。"
    ),
    "signature": (
        "区局未能验证本机的签名（设备 {device}），本机的同步密钥可能已失效，请联系区局管理员。"
    ),
    "clock": "本机时间与区局服务器相差超过 5 分钟，请校准本机的日期和时间后再同步。",
    "replay": "区局认为这次请求是重放的旧请求，已拒绝。请稍后重试。",
    "enrollment": "接入码无效、已过期或已被使用，请向区局管理员重新申请接入码。",
}


class Transport:
    """Requests to one HQ as one device (``device_id``/``secret`` unset: enrollment only).

    ``client`` replaces the HTTP client (tests hand in one bound to the HQ app in process);
    by default one is made for ``base_url`` with the TLS check asked for.
    """

    def __init__(
        self,
        base_url: str,
        *,
        device_id: str | None = None,
        secret: bytes | None = None,
        pin: str | None = None,
        ca_pem: str | None = None,
        client: httpx.Client | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.device_id = device_id
        self._secret = secret
        self._prefix = urlsplit(self.base_url).path
        self._pin = normalised_pin(pin) if pin else None
        self._client = client or httpx.Client(verify=self._verification(ca_pem), timeout=TIMEOUT)

    @classmethod
    def for_peer(cls, peer: Peer, client: httpx.Client | None = None) -> Transport:
        """The transport of an enrolled laptop."""
        return cls(
            peer.hq_url,
            device_id=peer.device_id,
            secret=unb64(peer.secret_b64),
            pin=peer.pin,
            ca_pem=peer.ca_pem,
            client=client,
        )

    def close(self) -> None:
        """Close the connections."""
        self._client.close()

    def _verification(self, ca_pem: str | None) -> ssl.SSLContext | bool:
        """How HQ's certificate is checked: by its pin, against the CA file, or by the system's
        CAs. Plain http has no certificate: no context is built (loading the system's CAs
        costs ~80 ms, paid every round otherwise)."""
        if urlsplit(self.base_url).scheme == "http":
            return False
        if self._pin:
            return pinned_context()
        return _tls_context(ca_pem)

    # --- requests -------------------------------------------------------------------------

    def json(
        self,
        method: str,
        path: str,
        payload: Any = None,
        *,
        params: Mapping[str, Any] | None = None,
        signed: bool = True,
        encoded: bytes | None = None,
    ) -> Any:
        """Send ``payload`` as JSON (``None``: no body; ``encoded``: JSON bytes already made,
        sent as they are) and return HQ's JSON answer."""
        body = encoded if encoded is not None else b"" if payload is None else _json_bytes(payload)
        response = self.send(method, path, body, params=params, signed=signed)
        try:
            return response.json()
        except ValueError as error:
            raise SyncError(
                f"区局服务器的答复无法解析（{path}），请稍后重试。", "bad_answer"
            ) from error

    def send(
        self,
        method: str,
        path: str,
        body: bytes = b"",
        *,
        params: Mapping[str, Any] | None = None,
        content_type: str = JSON,
        signed: bool = True,
        accept: tuple[int, ...] = (),
    ) -> httpx.Response:
        """One request; a status ≥ 400 not in ``accept`` becomes a :class:`SyncError`."""
        request = self._request(method, path, body, params, content_type, signed, {})
        response = self._exchange(lambda: self._client.send(request))
        self._check(response, accept)
        return response

    @contextmanager
    def stream(
        self, path: str, headers: Mapping[str, str], *, accept: tuple[int, ...] = ()
    ) -> Iterator[httpx.Response]:
        """A GET whose body is read as it arrives (attachments: never all in memory)."""
        request = self._request("GET", path, b"", None, JSON, True, dict(headers))
        response = self._exchange(lambda: self._client.send(request, stream=True))
        try:
            if response.status_code >= 400 and response.status_code not in accept:
                response.read()
            self._check(response, accept)
            yield response
        except httpx.TransportError as error:
            raise _unreachable(self.base_url, error) from error
        finally:
            response.close()

    def _request(
        self,
        method: str,
        path: str,
        body: bytes,
        params: Mapping[str, Any] | None,
        content_type: str,
        signed: bool,
        extra: dict[str, str],
    ) -> httpx.Request:
        target = API_PREFIX + path + (f"?{urlencode(params)}" if params else "")
        headers = {HEADER_PROTOCOL: str(PROTOCOL_VERSION), **extra}
        if body or method in ("POST", "PUT"):
            headers["Content-Type"] = content_type
        if signed:
            if self.device_id is None or self._secret is None:
                raise SyncError("本机尚未接入区局同步，不能发送这个请求。", "not_enrolled")
            full_path = self._prefix + target
            headers.update(signed_headers(self.device_id, self._secret, method, full_path, body))
        extensions = {"trace": self._check_pin} if self._pin else {}
        return self._client.build_request(
            method, self.base_url + target, content=body, headers=headers, extensions=extensions
        )

    def _exchange(self, send: Any) -> httpx.Response:
        try:
            response: httpx.Response = send()
        except httpx.TransportError as error:
            raise _unreachable(self.base_url, error) from error
        return response

    def _check_pin(self, event: str, info: dict[str, Any]) -> None:
        """After each TLS handshake: the certificate must be the pinned one."""
        if event != "connection.start_tls.complete":
            return
        stream = info.get("return_value")
        ssl_object = stream.get_extra_info("ssl_object") if stream is not None else None
        der = ssl_object.getpeercert(True) if ssl_object is not None else None
        if der is None or hashlib.sha256(der).hexdigest() != self._pin:
            if stream is not None:
                stream.close()  # nothing of the request is sent on this connection
            raise SyncError(
                "区局服务器的证书与本机登记的指纹不一致，已中止连接（可能有人冒充区局）。"
                "请向区局管理员核实证书指纹。",
                "tls",
            )

    def _check(self, response: httpx.Response, accept: tuple[int, ...]) -> None:
        remote = response.headers.get(HEADER_PROTOCOL)
        if response.status_code == 426:
            raise SyncError(
                _message(response) or str(ProtocolMismatch(PROTOCOL_VERSION, remote)), "protocol"
            )
        if remote is not None:
            try:
                check_version(remote)
            except ProtocolMismatch as error:
                raise SyncError(error.message, "protocol") from error
        if response.status_code < 400 or response.status_code in accept:
            return
        raise self._refusal(response)

    def _refusal(self, response: httpx.Response) -> SyncError:
        code = _error_code(response)
        template = _UNAUTHORISED.get(code) if response.status_code == 401 else None
        if template is not None:
            return SyncError(template.format(device=self.device_id or "—"), code)
        message = _message(response)
        if message:
            return SyncError(f"区局服务器拒绝了请求：{message}", code)
        return SyncError(
            f"区局服务器出错（HTTP {response.status_code}），本次同步未完成，请稍后重试。",
            code if code != "error" else f"http_{response.status_code}",
        )


def normalised_pin(pin: str) -> str:
    """A certificate fingerprint as 64 lower-case hex digits (colons and spaces allowed)."""
    cleaned = pin.replace(":", "").replace(" ", "").strip().lower()
    if len(cleaned) != 64 or any(c not in "0123456789abcdef" for c in cleaned):
        raise SyncError(
            "证书指纹应为 64 位十六进制数字（SHA-256），可含冒号，请核对后重新填写。", "tls"
        )
    return cleaned


def _tls_context(ca_pem: str | None) -> ssl.SSLContext | bool:
    """Verification against ``ca_pem`` when given; the system's CAs otherwise (a pinned HQ
    is checked by its fingerprint instead, so its self-made certificate is fine)."""
    if ca_pem is None:
        return True
    try:
        return ssl.create_default_context(cadata=ca_pem)
    except ssl.SSLError as error:
        raise SyncError(
            "CA 证书文件无法读取（应为 PEM 格式），请核对后重新选择。", "tls"
        ) from error


def pinned_context() -> ssl.SSLContext:
    """A context that accepts any certificate: the pin check decides (see ``_check_pin``).
    No CA store is loaded (it would not be used)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def _json_bytes(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _error_code(response: httpx.Response) -> str:
    try:
        found = response.json()
    except ValueError:
        return "error"
    return str(found.get("error", "error")) if isinstance(found, dict) else "error"


def _message(response: httpx.Response) -> str | None:
    try:
        found = response.json()
    except ValueError:
        return None
    message = found.get("message") if isinstance(found, dict) else None
    return str(message) if message else None


def _unreachable(url: str, error: Exception) -> SyncError:
    if isinstance(error, httpx.ConnectError) and "CERTIFICATE_VERIFY_FAILED" in str(error):
        return SyncError(
            f"区局服务器（{url}）的证书未通过校验，已中止连接。请核对 CA 证书或证书指纹。", "tls"
        )
    return SyncError(
        f"无法连接区局服务器（{url}），本次同步未完成，下次将自动继续。请检查网络后重试。",
        "unreachable",
    )

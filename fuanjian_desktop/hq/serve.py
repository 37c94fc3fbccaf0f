"""``hq serve``: the HQ application on uvicorn, HTTPS when given a certificate and its key.

Loopback (127.0.0.1) is the default address: exposing HQ to the bureau's network is a choice the
administrator makes with ``--host``. uvicorn stops gracefully on SIGTERM or Ctrl-C (requests in
flight finish, then the database is closed). The server logs in English to stderr.
"""

from __future__ import annotations

import errno
import logging
import signal
import socket
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

import uvicorn

from fuanjian_desktop.errors import UserError
from fuanjian_desktop.hq.app import create_app

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
GRACEFUL_SECONDS = 30
CANNOT_LISTEN = (
    "无法在 {host}:{port} 上启动区局同步服务：端口已被占用或没有权限。"
    "请换一个端口（--port），或先停止占用它的程序。"
)
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def serve(
    db_url: str,
    data_dir: Path,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    cert: Path | None = None,
    key: Path | None = None,
) -> int:
    """Run HQ until stopped; the exit status (0 after a graceful stop).

    ``cert`` and ``key`` go together (one without the other is a :class:`UserError`); both
    files must exist, checked before the port is bound. A port that cannot be bound (taken, or
    privileged) is a :class:`UserError` too, naming the address.
    """
    _check_tls(cert, key)
    _check_address(host, port)
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    app = create_app(db_url, data_dir)
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        ssl_certfile=str(cert) if cert else None,
        ssl_keyfile=str(key) if key else None,
        timeout_graceful_shutdown=GRACEFUL_SECONDS,
        log_level="info",
    )
    server = uvicorn.Server(config)
    with _stop_signals_end_quietly():
        try:
            server.run()
        except SystemExit:  # uvicorn's answer to a port it cannot bind (logged in English)
            if server.started:
                raise
            raise UserError(CANNOT_LISTEN.format(host=host, port=port)) from None
    return 0


@contextmanager
def _stop_signals_end_quietly() -> Iterator[None]:
    """Make SIGTERM / Ctrl-C the normal end of ``hq serve`` (exit 0).

    uvicorn shuts down gracefully on them, then raises the signal again under the handler that
    was there before it started: the default one would kill the process by the signal (or raise
    KeyboardInterrupt) after a clean stop. Here that handler does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {stop: signal.signal(stop, _stopped) for stop in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for stop, handler in previous.items():
            signal.signal(stop, handler)


def _stopped(_signal: int, _frame: FrameType | None) -> None:
    """The stop signal uvicorn re-raises after its shutdown: already handled."""


def _check_tls(cert: Path | None, key: Path | None) -> None:
    if (cert is None) != (key is None):
        raise UserError("HTTPS 需要同时给出证书（--cert）和私钥（--key）。")
    for path in (cert, key):
        if path is not None and not path.is_file():
            raise UserError(f"找不到文件：{path}")
    if cert is not None and key is not None:
        try:  # the same loading uvicorn does, before anything starts
            ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(cert, key)
        except ssl.SSLError as error:
            detail = error.reason or "无法解析"
            raise UserError(
                f"证书或私钥无法读取（不是 PEM 格式，或私钥与证书不配对）：{detail}。"
                "请检查 --cert 和 --key 给出的文件。"
            ) from None


def _check_address(host: str, port: int) -> None:
    """Say in Chinese why ``host:port`` cannot be listened on (uvicorn only logs it)."""
    try:
        family, kind, protocol, _name, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM
        )[0]
    except socket.gaierror:
        raise UserError(
            f"无法识别地址“{host}”，请用本机的 IP 地址或 127.0.0.1（--host）。"
        ) from None
    with socket.socket(family, kind, protocol) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind(address)
        except OSError as error:
            if error.errno == errno.EADDRNOTAVAIL:
                raise UserError(
                    f"本机没有地址 {host}，无法在它上面启动区局同步服务。"
                    "请用本机网卡的 IP 地址，或 127.0.0.1（--host）。"
                ) from None
            raise UserError(CANNOT_LISTEN.format(host=host, port=port)) from None

"""Joining HQ: an enrollment code buys this laptop a device identity, a secret and a squad.

The laptop makes its Ed25519 signing key (offline packages) and sends its public half with its
audit-chain device id; HQ answers with the device secret (request signing), HQ's own public
keys and the squad. Everything is stored in the encrypted database. A brand-new laptop
(:func:`enroll_new_folder`) also fetches its squad's accounts: the squad's administrator named
on the command line chooses a password for this laptop; the data comes with the first round.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from fuanjian_desktop import __version__
from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.roles import Role
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.models import Squad, User
from fuanjian_desktop.security.keyring import Keyring
from fuanjian_desktop.security.passwords import check_new_password
from fuanjian_desktop.services.setup import (
    AppMode,
    create_encrypted_database,
    installation,
    save_installation,
)
from fuanjian_desktop.sync_client import state
from fuanjian_desktop.sync_client.errors import SyncError
from fuanjian_desktop.sync_client.pull import apply_records
from fuanjian_desktop.sync_client.state import Peer
from fuanjian_desktop.sync_client.transport import Transport, normalised_pin
from fuanjian_desktop.sync_protocol.keys import b64, private_raw, public_raw

NEW_LAPTOP_TABLES = "squad,app_user"
NEW_LAPTOP_LIMIT = 10000


@dataclass(frozen=True)
class Enrollment:
    """What joining gave: the device id and the squad."""

    device_id: str
    squad_id: str
    squad_name: str


def enroll(
    database: Database,
    hq_url: str,
    code: str,
    *,
    ca_file: Path | None = None,
    pin: str | None = None,
    device_name: str | None = None,
    client: Any = None,
) -> Enrollment:
    """Join HQ with a one-time ``code``; refuse a laptop already joined or of another squad.

    ``client`` replaces the HTTP client (tests). The code is used up at HQ even when this
    laptop then refuses the squad it names.
    """
    url = _checked_url(hq_url, pin)
    ca_pem = _read_ca(ca_file) if ca_file else None
    with database.read() as session:
        known = state.peer_of(state.read_all(session))
        chain_device = state.chain_device(session)
    if known is not None:
        raise UserError(
            f"本机已接入区局同步（{known.squad_name}，设备 {known.device_id}），不能重复接入。"
        )
    signing = Ed25519PrivateKey.generate()
    transport = Transport(url, pin=pin, ca_pem=ca_pem, client=client)
    try:
        answer = transport.json(
            "POST",
            "/enroll",
            {
                "code": code.strip(),
                "device_id": chain_device,
                "device_name": device_name or socket.gethostname(),
                "signing_public_key": b64(public_raw(signing.public_key())),
                "app_version": __version__,
            },
            signed=False,
        )
    finally:
        if client is None:
            transport.close()
    peer = _peer_of(answer, url, signing, pin, ca_pem)
    _check_home_squad(database, peer)
    with database.write() as session:
        state.save_peer(session, peer)
    return Enrollment(peer.device_id, peer.squad_id, peer.squad_name)


def _peer_of(
    answer: Any, url: str, signing: Ed25519PrivateKey, pin: str | None, ca_pem: str | None
) -> Peer:
    try:
        return Peer(
            hq_url=url,
            device_id=str(answer["device_id"]),
            secret_b64=str(answer["secret"]),
            signing_key_b64=b64(private_raw(signing)),
            hq_signing_key_b64=str(answer["hq_signing_public_key"]),
            hq_escrow_key_b64=str(answer["hq_escrow_public_key"]),
            squad_id=str(answer["squad_id"]),
            squad_name=str(answer["squad_name"]),
            pin=normalised_pin(pin) if pin else None,
            ca_pem=ca_pem,
        )
    except (KeyError, TypeError) as error:
        raise SyncError(
            "区局服务器对接入请求的答复不完整，请联系区局管理员。", "bad_answer"
        ) from error


def _check_home_squad(database: Database, peer: Peer) -> None:
    """A laptop set up for one squad cannot join HQ as another (its records would be refused)."""
    home = installation(database).home_squad_id
    if home is None or home == peer.squad_id:
        return
    with database.read() as session:
        squad = session.get(Squad, home)
    local = squad.name if squad else home
    if squad is not None and peer.squad_name in (squad.name, squad.short_name):
        raise SyncError(
            f"本机的“{local}”与区局的同名中队编号不一致（本机数据不是按区局的机构数据建立的），"
            "不能接入同步。请联系区局管理员。",
            "enrollment",
        )
    raise SyncError(
        f"该接入码属于“{peer.squad_name}”，而本机属于“{local}”。请向区局申请本中队的接入码。",
        "enrollment",
    )


def _checked_url(hq_url: str, pin: str | None) -> str:
    parts = urlsplit(hq_url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UserError(f"区局地址“{hq_url}”无效，应形如 https://区局服务器:8765 。")
    if pin and parts.scheme != "https":
        raise UserError("证书指纹只用于 https 地址，请填写 https:// 开头的区局地址。")
    return hq_url.strip().rstrip("/")


def _read_ca(path: Path) -> str:
    try:
        text = path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as error:
        raise UserError(f"无法读取 CA 证书文件“{path}”，请确认文件存在且为 PEM 格式。") from error
    if "-----BEGIN CERTIFICATE-----" not in text:
        raise UserError(f"“{path}”不是 PEM 格式的 CA 证书。")
    return text


# --- a brand-new laptop -----------------------------------------------------------------------


@dataclass(frozen=True)
class NewLaptop:
    """A new data folder joined to HQ: the enrollment and the recovery key (shown once)."""

    enrollment: Enrollment
    recovery_code: str


CODE_USED_UP = (
    "（这个接入码已经用掉：请区局管理员用 hq revoke 停用本次登记的设备 {device}，"
    "再发一个新的接入码。）"
)


def enroll_new_folder(
    folder: DataFolder,
    hq_url: str,
    code: str,
    username: str,
    password: str,
    *,
    ca_file: Path | None = None,
    pin: str | None = None,
    device_name: str | None = None,
    client: Any = None,
) -> NewLaptop:
    """Create the encrypted database in the empty ``folder``, join HQ, fetch the squad's
    accounts, and let the squad's administrator ``username`` open the data with ``password``.

    The password is checked before HQ is asked, so a weak one costs no code. On any failure
    nothing usable is left behind (no account holds the key, so the next start clears the
    folder); after HQ accepted the code, the message says it is used up and what HQ must do.
    """
    check_new_password(password)
    database = create_encrypted_database(folder)
    try:
        joined = enroll(
            database, hq_url, code, ca_file=ca_file, pin=pin, device_name=device_name, client=client
        )
        try:
            _fetch_accounts(database, client)
            _admit(database, username, password, joined.squad_id)
        except UserError as error:
            used_up = CODE_USED_UP.format(device=joined.device_id)
            raise UserError(f"{error.message}{used_up}") from None
        assert database.key is not None
        recovery = Keyring.load(folder).replace_recovery(database.key)
    finally:
        database.close()
    return NewLaptop(joined, recovery)


def _fetch_accounts(database: Database, client: Any) -> None:
    with database.read() as session:
        peer = state.require_peer(session)
    transport = Transport.for_peer(peer, client)
    try:
        page = transport.json(
            "GET",
            "/pull",
            params={"cursor": 0, "limit": NEW_LAPTOP_LIMIT, "tables": NEW_LAPTOP_TABLES},
        )
    finally:
        if client is None:
            transport.close()
    with database.write() as session:
        apply_records(session, list(page.get("records") or []))


def _admit(database: Database, username: str, password: str, squad_id: str) -> None:
    """Let ``username`` open the data on this laptop with ``password`` and go live.

    Passwords never leave a laptop (each wraps that laptop's own data key), so HQ cannot vouch
    for one. The trust is the one-time code the bureau gave for this squad: an active
    administrator of that squad, as HQ holds the accounts, chooses the password for this laptop
    here (checked like any new password); the other accounts get theirs from that
    administrator (用户管理 → 重设密码).
    """
    with database.write() as session:
        user = session.scalars(select(User).where(User.username == username.strip())).first()
        if (
            user is None
            or not user.active
            or user.squad_id != squad_id
            or Role.ADMIN not in user.roles
        ):
            raise UserError(
                f"区局的账号中没有本中队启用的管理员“{username}”。新电脑须由本中队的管理员账号启用。"
            )
        save_installation(session, AppMode.PRODUCTION, squad_id)
    assert database.key is not None
    Keyring.load(database.folder).wrap_for(user.username, password, database.key)

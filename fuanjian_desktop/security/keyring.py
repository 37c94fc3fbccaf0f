"""``keys.json``: the data key of a data folder, stored only wrapped.

The data key is wrapped (AES-256-GCM) once per account under a key derived from that account's
password with argon2id, and once under the recovery key printed for the squad leader. The one
argon2id derivation both proves the password and unwraps the key, so signing in costs one slow
hash. Accounts are listed by an HMAC of the username under a per-keyring salt: a lost laptop's
``keys.json`` does not name the staff. The file is written atomically and readable by the user only.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.security.data_key import KEY_BYTES, DataKey
from fuanjian_desktop.security.private_files import write_private

KEYRING_FILE = "keys.json"
FORMAT = "fuanjian-keyring/1"
# RFC 9106's second recommended profile (argon2-cffi's defaults): 64 MiB, 3 passes, 4 lanes.
ARGON2_TIME_COST = 3
ARGON2_MEMORY_KIB = 65536
ARGON2_PARALLELISM = 4
SALT_BYTES = 16
NONCE_BYTES = 12
RECOVERY_BYTES = 20  # 160 bits: 32 Crockford base32 characters
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CROCKFORD_ALIASES = str.maketrans({"O": "0", "I": "1", "L": "1"})
RECOVERY_GROUP = 4
# What an encrypted installation stores as a user row's password hash: the password is checked
# by unwrapping the key here, so the database holds no second (crackable) hash of it.
PASSWORD_IN_KEYRING = "keys.json"


class WrongCredentials(UserError):
    """The password (or recovery key) does not unwrap the data key."""

    def __init__(self, message: str = "用户名或密码不正确，请重新输入。") -> None:
        super().__init__(message)


WRONG_RECOVERY = "恢复密钥不正确。请对照打印的恢复密钥逐组核对后重新输入（字母不分大小写）。"
MISSING = (
    "数据文件夹“{root}”中没有密钥文件 keys.json，加密的数据库无法打开。"
    "请从备份中找回 keys.json 放回该文件夹，或用 --data-dir 指定正确的数据文件夹。"
)
DAMAGED = (
    "数据文件夹“{root}”中的密钥文件 keys.json 已损坏，无法读取；恢复密钥也要靠它才能用。"
    "请用最近的备份（.fabak，其中带有 keys.json）恢复：python main.py restore "
    "--data-dir 新的空文件夹 备份文件 --recovery-key 恢复密钥。"
)


@dataclass(frozen=True)
class _Wrap:
    """One wrapped copy of the data key: how its wrapping key is derived, and the ciphertext."""

    kdf: dict[str, Any]
    salt: bytes
    nonce: bytes
    ciphertext: bytes

    def to_json(self) -> dict[str, Any]:
        return {
            "kdf": self.kdf,
            "salt": _b64(self.salt),
            "nonce": _b64(self.nonce),
            "ciphertext": _b64(self.ciphertext),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> _Wrap:
        return cls(
            dict(data["kdf"]),
            _unb64(data["salt"]),
            _unb64(data["nonce"]),
            _unb64(data["ciphertext"]),
        )


class Keyring:
    """The wrapped data key of one data folder; every change is saved at once."""

    def __init__(self, root: Path, document: dict[str, Any]) -> None:
        self._root = root
        self._document = document

    # --- opening -------------------------------------------------------------------------

    @staticmethod
    def path_of(folder: DataFolder | Path) -> Path:
        """Where ``keys.json`` lives in ``folder``."""
        return _root(folder) / KEYRING_FILE

    @staticmethod
    def exists(folder: DataFolder | Path) -> bool:
        """Whether ``folder`` holds a keyring (an encrypted installation)."""
        return Keyring.path_of(folder).is_file()

    @classmethod
    def load(cls, folder: DataFolder | Path) -> Keyring:
        """Read ``keys.json``; a missing or damaged file is a Chinese ``UserError``."""
        root = _root(folder)
        try:
            document = json.loads(Keyring.path_of(root).read_bytes())
        except FileNotFoundError as error:
            raise UserError(MISSING.format(root=root)) from error
        except (OSError, ValueError) as error:
            raise UserError(DAMAGED.format(root=root)) from error
        if not _well_formed(document):
            raise UserError(DAMAGED.format(root=root))
        return cls(root, document)

    @classmethod
    def create(cls, folder: DataFolder | Path, key: DataKey, *, demo: bool) -> tuple[Keyring, str]:
        """A new keyring for ``key`` with no accounts yet; returns it and the recovery code.

        The code is shown once (printed for the squad leader); only its wrap is stored.
        """
        root = _root(folder)
        if Keyring.exists(root):
            raise UserError(f"数据文件夹“{root}”已有密钥文件 keys.json，不能重新生成。")
        code = new_recovery_code()
        document: dict[str, Any] = {
            "format": FORMAT,
            "demo": demo,
            "key_id": _key_id(key),
            "name_salt": _b64(secrets.token_bytes(SALT_BYTES)),
            "accounts": {},
            "recovery": _wrap_with_recovery(_normalise_code(code), key).to_json(),
        }
        keyring = cls(root, document)
        keyring._save()
        return keyring, code

    # --- reading -------------------------------------------------------------------------

    @property
    def is_demo(self) -> bool:
        """Whether this is a demo installation (its passwords are published)."""
        return bool(self._document["demo"])

    @property
    def is_empty(self) -> bool:
        """Whether no account holds the key yet (a first start that did not finish)."""
        return not self._document["accounts"]

    def has_account(self, username: str) -> bool:
        """Whether ``username`` has a wrapped key (without deriving anything)."""
        return self._account_id(username) in self._document["accounts"]

    def matches(self, key: DataKey) -> bool:
        """Whether ``key`` is this keyring's data key (checked by its public fingerprint)."""
        return hmac.compare_digest(self._document["key_id"], _key_id(key))

    def unlock(self, username: str, password: str) -> DataKey:
        """The data key, unwrapped with ``username``'s password; raises ``WrongCredentials``.

        An unknown name costs the same argon2id derivation as a known one, so the time taken
        does not tell which names have accounts.
        """
        entry = self._document["accounts"].get(self._account_id(username))
        if entry is None:
            _derive_from_password(password, secrets.token_bytes(SALT_BYTES), _argon2_params())
            raise WrongCredentials()
        wrap = _Wrap.from_json(entry)
        wrapping = _derive_from_password(password, wrap.salt, wrap.kdf)
        return self._unwrap(wrap, wrapping, self._account_aad(username), WrongCredentials())

    def unlock_with_recovery(self, code: str) -> DataKey:
        """The data key, unwrapped with the printed recovery code; raises ``WrongCredentials``."""
        wrong = WrongCredentials(WRONG_RECOVERY)
        try:
            secret = _normalise_code(code)
        except ValueError as error:
            raise wrong from error
        wrap = _Wrap.from_json(self._document["recovery"])
        return self._unwrap(wrap, _derive_from_code(secret, wrap.salt), b"recovery", wrong)

    # --- changing ------------------------------------------------------------------------

    def wrap_for(self, username: str, password: str, key: DataKey) -> None:
        """Wrap ``key`` for ``username``'s (new) password, replacing any earlier wrap; save."""
        if not self.matches(key):
            raise ValueError("the key given is not this keyring's data key")
        params = _argon2_params()
        salt = secrets.token_bytes(SALT_BYTES)
        wrapping = _derive_from_password(password, salt, params)
        wrap = _seal(wrapping, key, params, salt, self._account_aad(username))
        self._document["accounts"][self._account_id(username)] = wrap.to_json()
        self._save()

    def mark_demo(self) -> None:
        """Record that this installation holds the demo (its passwords are published)."""
        self._document["demo"] = True
        self._save()

    def forget(self, username: str) -> None:
        """Remove ``username``'s wrap (a deactivated account can no longer open the data)."""
        if self._document["accounts"].pop(self._account_id(username), None) is not None:
            self._save()

    def replace_recovery(self, key: DataKey) -> str:
        """A new recovery code for ``key`` (the old printout stops working); save and return it."""
        if not self.matches(key):
            raise ValueError("the key given is not this keyring's data key")
        code = new_recovery_code()
        self._document["recovery"] = _wrap_with_recovery(_normalise_code(code), key).to_json()
        self._save()
        return code

    # --- internals -----------------------------------------------------------------------

    def _account_id(self, username: str) -> str:
        salt = _unb64(self._document["name_salt"])
        name = username.strip().lower().encode("utf-8")
        return hmac.new(salt, name, hashlib.sha256).hexdigest()

    def _account_aad(self, username: str) -> bytes:
        return b"account:" + self._account_id(username).encode("ascii")

    def _unwrap(self, wrap: _Wrap, wrapping: bytes, aad: bytes, wrong: UserError) -> DataKey:
        try:
            raw = AESGCM(wrapping).decrypt(wrap.nonce, wrap.ciphertext, _aad(aad))
        except InvalidTag as error:
            raise wrong from error
        key = DataKey(raw)
        if not self.matches(key):
            raise UserError(DAMAGED.format(root=self._root))
        return key

    def _save(self) -> None:
        text = json.dumps(self._document, ensure_ascii=False, indent=1, sort_keys=True)
        write_private(Keyring.path_of(self._root), text.encode("utf-8"))


def new_recovery_code() -> str:
    """160 random bits as 8 groups of 4 Crockford base32 characters (easy to read and type)."""
    number = int.from_bytes(secrets.token_bytes(RECOVERY_BYTES), "big")
    length = RECOVERY_BYTES * 8 // 5
    chars = [CROCKFORD[(number >> (5 * (length - 1 - i))) & 31] for i in range(length)]
    groups = ["".join(chars[i : i + RECOVERY_GROUP]) for i in range(0, length, RECOVERY_GROUP)]
    return "-".join(groups)


def _normalise_code(code: str) -> bytes:
    """The 20 bytes of a typed code (case, spaces, dashes and O/I/L look-alikes forgiven)."""
    cleaned = "".join(code.upper().split()).replace("-", "").translate(_CROCKFORD_ALIASES)
    length = RECOVERY_BYTES * 8 // 5
    if len(cleaned) != length or any(char not in CROCKFORD for char in cleaned):
        raise ValueError("not a recovery code")
    number = 0
    for char in cleaned:
        number = number * 32 + CROCKFORD.index(char)
    return number.to_bytes(RECOVERY_BYTES, "big")


def _argon2_params() -> dict[str, Any]:
    return {
        "name": "argon2id",
        "time_cost": ARGON2_TIME_COST,
        "memory_kib": ARGON2_MEMORY_KIB,
        "parallelism": ARGON2_PARALLELISM,
    }


def _derive_from_password(password: str, salt: bytes, params: dict[str, Any]) -> bytes:
    if params.get("name") != "argon2id":
        raise ValueError(f"unknown password KDF {params.get('name')!r}")
    return hash_secret_raw(
        password.encode("utf-8"),
        salt,
        time_cost=int(params["time_cost"]),
        memory_cost=int(params["memory_kib"]),
        parallelism=int(params["parallelism"]),
        hash_len=KEY_BYTES,
        type=Type.ID,
    )


def _derive_from_code(secret: bytes, salt: bytes) -> bytes:
    """HKDF is enough: the recovery code is 160 random bits, not a guessable password."""
    hkdf = HKDF(hashes.SHA256(), KEY_BYTES, salt, b"fuanjian/recovery-wrap")
    return hkdf.derive(secret)


def _wrap_with_recovery(secret: bytes, key: DataKey) -> _Wrap:
    salt = secrets.token_bytes(SALT_BYTES)
    return _seal(_derive_from_code(secret, salt), key, {"name": "hkdf-sha256"}, salt, b"recovery")


def _seal(wrapping: bytes, key: DataKey, kdf: dict[str, Any], salt: bytes, aad: bytes) -> _Wrap:
    nonce = secrets.token_bytes(NONCE_BYTES)
    return _Wrap(kdf, salt, nonce, AESGCM(wrapping).encrypt(nonce, key.raw, _aad(aad)))


def _aad(label: bytes) -> bytes:
    """Bind each wrap to its slot, so a wrap copied to another account's slot does not open."""
    return b"fuanjian/keyring/" + label


def _key_id(key: DataKey) -> str:
    """A public fingerprint of the data key (one-way), to check an unwrapped or given key."""
    return key.derive("key-id")[:16].hex()


def _well_formed(document: Any) -> bool:
    return (
        isinstance(document, dict)
        and document.get("format") == FORMAT
        and isinstance(document.get("accounts"), dict)
        and isinstance(document.get("recovery"), dict)
        and isinstance(document.get("name_salt"), str)
        and isinstance(document.get("key_id"), str)
        and isinstance(document.get("demo"), bool)
    )


def _root(folder: DataFolder | Path) -> Path:
    return folder.root if isinstance(folder, DataFolder) else folder


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)

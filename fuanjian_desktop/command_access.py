"""How a headless command opens the encrypted data: credentials from the command line.

``--recovery-key``; or ``--user`` with the password from ``FUANJIAN_PASSWORD`` (or typed at a
terminal); a demo installation opens with the published demo password. Shared by ``main.py``'s
commands and the sync commands, which also need a password for a new laptop's first account.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the core loads inside each function, so the GUI's first window comes first
    from fuanjian_desktop.config import DataFolder
    from fuanjian_desktop.db.engine import Database

PASSWORD_ENV = "FUANJIAN_PASSWORD"
DEMO_COMMAND_USER = "zhaolei"  # the demo's 园岭 administrator
REVIEW_HINT = "请用 --data-dir 指定本系统的数据文件夹，或先运行 python main.py demo 生成演示数据。"


def is_new_folder(root: Path) -> bool:
    """Whether ``root`` holds no database and no keys yet (a first start)."""
    from fuanjian_desktop.config import DataFolder
    from fuanjian_desktop.security.keyring import Keyring

    folder = DataFolder(root)
    if Keyring.exists(folder):
        return Keyring.load(folder).is_empty
    return not folder.database.exists()


def open_or_create(args: argparse.Namespace) -> Database:
    """A new encrypted, empty database for a first start; otherwise :func:`open_for_command`."""
    from fuanjian_desktop.config import resolve_data_folder
    from fuanjian_desktop.services.setup import create_encrypted_database

    folder = resolve_data_folder(getattr(args, "data_dir", None))
    if is_new_folder(folder.root):
        return create_encrypted_database(folder)
    return open_for_command(args)


def open_for_command(args: argparse.Namespace) -> Database:
    """The database of ``--data-dir``, opened with the credentials the command was given.

    ``--recovery-key``; or ``--user`` with the password from ``FUANJIAN_PASSWORD`` (or typed at
    a terminal prompt; a demo installation uses the published demo password); or, in a demo
    installation with neither, the demo administrator. A legacy plaintext database is encrypted
    first when the user is an administrator. Raises a Chinese ``UserError`` otherwise.
    """
    from fuanjian_desktop.config import chosen_data_folder
    from fuanjian_desktop.db.engine import is_plaintext_file
    from fuanjian_desktop.db.integrity import check_before_unlock
    from fuanjian_desktop.errors import UserError
    from fuanjian_desktop.security.keyring import Keyring
    from fuanjian_desktop.services import auth

    folder = chosen_data_folder(getattr(args, "data_dir", None))
    if not folder.database.is_file():
        raise UserError(f"数据文件夹“{folder.root}”中没有数据库。{REVIEW_HINT}")
    check_before_unlock(folder)  # an empty or foreign file is named as such, not "encrypted"
    recovery = getattr(args, "recovery_key", None)
    if recovery:
        return with_pulled_reference(auth.unlock_with_recovery(folder, recovery))
    if is_new_folder(folder.root):
        raise UserError(f"数据文件夹“{folder.root}”尚未初始化，没有任何账号。{REVIEW_HINT}")
    demo_keys = Keyring.load(folder).is_demo if Keyring.exists(folder) else legacy_demo(folder)
    username = getattr(args, "user", None) or (DEMO_COMMAND_USER if demo_keys else None)
    if not username:
        raise UserError(
            "数据库已加密，请用 --user 指定账号（密码放在环境变量 "
            f"{PASSWORD_ENV} 中，或在终端输入），或用 --recovery-key 提供恢复密钥。"
        )
    legacy = is_plaintext_file(folder.database)
    database, _actor = auth.unlock(folder, username, command_password(username, demo_keys))
    if legacy:  # encrypted just now: its recovery key is new and nobody has seen it yet
        assert database.key is not None, "an unlocked database holds its key"
        announce_recovery_key(Keyring.load(folder).replace_recovery(database.key))
    return with_pulled_reference(database)


def with_pulled_reference(database: Database) -> Database:
    """``database``, after the reference files HQ published to it are put in force (the
    calendar, deadline rules, catalogue … a command then uses are the bureau's current ones)."""
    from fuanjian_desktop.sync_client.reference import use_pulled_reference

    try:
        use_pulled_reference(database)
    except BaseException:
        database.close()
        raise
    return database


def announce_recovery_key(code: str) -> None:
    """Show a legacy folder's new recovery key once, on stderr (stdout stays the command's)."""
    print(
        "本机数据库已加密。新的恢复密钥（只显示这一次，请打印或抄写后交中队负责人密封保管，"
        f"不要与本机放在一起）：{code}",
        file=sys.stderr,
    )


def legacy_demo(folder: DataFolder) -> bool:
    """Whether ``folder`` holds a plaintext demo database from before encryption (its demo
    administrator then encrypts it at the command's sign-in)."""
    import sqlcipher3.dbapi2 as sqlcipher

    from fuanjian_desktop.db.engine import is_plaintext_file

    if not is_plaintext_file(folder.database):
        return False
    connection = sqlcipher.connect(str(folder.database))
    try:
        row = connection.execute("SELECT value FROM local_setting WHERE key = 'mode'").fetchone()
    except sqlcipher.DatabaseError:
        return False
    finally:
        connection.close()
    return row is not None and row[0] == "demo"


def command_password(username: str, demo_keys: bool) -> str:
    """The password for ``username``: the environment, the demo's, or typed at a terminal."""
    from fuanjian_desktop.demo.demo import DEMO_PASSWORD
    from fuanjian_desktop.errors import UserError

    password = os.environ.get(PASSWORD_ENV)
    if password:
        return password
    if demo_keys:
        return DEMO_PASSWORD
    if sys.stdin.isatty():
        return getpass.getpass(f"请输入账号 {username} 的密码：")
    raise UserError(f"请在环境变量 {PASSWORD_ENV} 中提供账号 {username} 的密码。")

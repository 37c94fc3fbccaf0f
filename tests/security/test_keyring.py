"""The data key and keys.json: wrapped per account and by the recovery code, nothing in clear.

Expected values come from the issue and the design (names not listed, wrong key refused in
Chinese, the code's look-alike letters forgiven), not from the code under test.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.db.engine import CannotDecrypt, Database
from fuanjian_desktop.db.startup import open_database
from fuanjian_desktop.demo.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.security.data_key import DataKey
from fuanjian_desktop.security.keyring import Keyring, WrongCredentials
from fuanjian_desktop.services import auth
from fuanjian_desktop.services.setup import create_encrypted_database
from tests.conftest import DemoTemplate

ROOT = Path(__file__).resolve().parents[2]
CHINESE = re.compile(r"[\u4e00-\u9fff]")
CODE_SHAPE = re.compile(r"^([0-9A-HJKMNP-TV-Z]{4}-){7}[0-9A-HJKMNP-TV-Z]{4}$")  # Crockford


def test_the_key_never_shows_itself() -> None:
    """repr/str of a key name no byte of it; derived keys differ by purpose and from the key."""
    key = DataKey.generate()
    assert key.raw.hex() not in repr(key) and key.raw.hex() not in str(key)
    evidence, other = key.derive("evidence"), key.derive("other")
    assert len(evidence) == 32 and evidence not in (other, key.raw)
    assert key.derive("evidence") == evidence


def test_a_wrong_key_is_refused_in_chinese(demo_template: DemoTemplate, tmp_path: Path) -> None:
    """Opening the demo with another key fails at once with a Chinese message, changing nothing."""
    folder = DataFolder(tmp_path / "copy")
    demo_template.copy_files(folder)
    before = folder.database.read_bytes()
    with pytest.raises(UserError) as refused:
        open_database(folder, DataKey.generate())
    assert CHINESE.search(refused.value.message)
    assert "密钥" in refused.value.message or "解密" in refused.value.message
    assert folder.database.read_bytes() == before


def test_the_right_key_opens_and_a_closed_database_reads_nothing(
    demo_template: DemoTemplate, tmp_path: Path
) -> None:
    """Control for the test above; after close() no new connection can decrypt."""
    folder = DataFolder(tmp_path / "copy")
    database = demo_template.copy_to(folder)
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM app_user").scalar() == len(
            DEMO_ACCOUNTS
        )
    database.close()
    assert database.key is None
    with pytest.raises(CannotDecrypt):
        database.engine.connect()


def test_keys_file_names_nobody_and_holds_no_key(demo_template: DemoTemplate) -> None:
    """keys.json lists no username and no full name, and never the raw key (hex or base64)."""
    text = (demo_template.folder.root / "keys.json").read_text(encoding="utf-8")
    for account in DEMO_ACCOUNTS:
        assert account.username not in text
        assert account.full_name not in text
    import base64

    assert demo_template.key.raw.hex() not in text
    assert base64.b64encode(demo_template.key.raw).decode() not in text
    assert json.loads(text)["demo"] is True


def test_every_demo_account_unwraps_the_same_key(demo_template: DemoTemplate) -> None:
    """Each demo account's password unwraps the one data key; a wrong password does not."""
    keyring = Keyring.load(demo_template.folder)
    for account in DEMO_ACCOUNTS[:3]:  # three are enough (argon2 costs ~0.1 s each)
        assert keyring.unlock(account.username.upper(), DEMO_PASSWORD) == demo_template.key
    with pytest.raises(WrongCredentials):
        keyring.unlock("zhangwei", "demo12345")
    with pytest.raises(WrongCredentials):
        keyring.unlock("nobody", DEMO_PASSWORD)


def test_recovery_code_is_crockford_and_forgives_typing(database: Database) -> None:
    """The code is 8 groups of 4 Crockford characters; lower case, spaces, O for 0 and I/L for
    1 still open it; one wrong character does not."""
    assert database.key is not None
    keyring = Keyring.load(database.folder)
    code = keyring.replace_recovery(database.key)
    assert CODE_SHAPE.match(code)
    typed = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert keyring.unlock_with_recovery(typed) == database.key
    wrong = ("1" if code[0] != "1" else "2") + code[1:]
    with pytest.raises(WrongCredentials) as refused:
        keyring.unlock_with_recovery(wrong)
    assert "恢复密钥不正确" in refused.value.message
    with pytest.raises(WrongCredentials):
        keyring.unlock_with_recovery("not a code")


def test_a_damaged_or_missing_keys_file_is_explained(database: Database, tmp_path: Path) -> None:
    """No keys.json, or a truncated one: a Chinese message naming keys.json, no traceback."""
    path = database.folder / "keys.json"
    path.write_text(path.read_text()[:40], encoding="utf-8")
    with pytest.raises(UserError, match=r"keys\.json 已损坏"):
        Keyring.load(database.folder)
    with pytest.raises(UserError, match=r"没有密钥文件 keys\.json"):
        Keyring.load(tmp_path)


def test_a_wrap_moved_to_another_account_does_not_open(database: Database) -> None:
    """Each wrap is bound to its slot: copying one account's entry over another's fails."""
    assert database.key is not None
    keyring = Keyring.load(database.folder)
    path = database.folder / "keys.json"
    before = set(json.loads(path.read_text())["accounts"])
    keyring.wrap_for("first", "password-1", database.key)
    (first,) = set(json.loads(path.read_text())["accounts"]) - before  # the slot of "first"
    keyring.wrap_for("second", "password-2", database.key)
    document = json.loads(path.read_text())
    (second,) = set(document["accounts"]) - before - {first}
    document["accounts"][second] = document["accounts"][first]
    path.write_text(json.dumps(document))
    reloaded = Keyring.load(database.folder)
    opened = [
        name
        for name, password in (("first", "password-1"), ("second", "password-1"))
        if _opens(reloaded, name, password)
    ]
    assert opened == ["first"]  # the entry opens only in the slot it was made for


def _opens(keyring: Keyring, name: str, password: str) -> bool:
    try:
        keyring.unlock(name, password)
    except WrongCredentials:
        return False
    return True


def test_the_command_line_says_so_in_chinese_for_foreign_keys(
    demo_template: DemoTemplate, tmp_path: Path
) -> None:
    """keys.json of another folder: the command prints a Chinese error, exit 1, no traceback."""
    folder = DataFolder(tmp_path / "copy")
    demo_template.copy_files(folder)
    other = create_encrypted_database(DataFolder(tmp_path / "other"))
    assert other.key is not None
    Keyring.load(other.folder).wrap_for("zhaolei", DEMO_PASSWORD, other.key)
    other.close()
    (other.folder / "keys.json").replace(folder.root / "keys.json")
    command = ["stats", "--data-dir", str(folder.root), "--year", "2026"]
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *command],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("错误：") and CHINESE.search(result.stderr)


def test_unlock_on_a_folder_without_keys_is_explained(tmp_path: Path) -> None:
    """An encrypted database without keys.json: a Chinese message (restore keys.json)."""
    folder = DataFolder(tmp_path / "data")
    database = create_encrypted_database(folder)
    database.close()
    (folder.root / "keys.json").unlink()
    with pytest.raises(UserError, match=r"keys\.json"):
        auth.unlock(folder, "zhaolei", DEMO_PASSWORD)


def test_keys_without_their_database_are_not_a_fresh_start(tmp_path: Path) -> None:
    """keys.json beside no database: unlock says the file is missing and creates nothing."""
    folder = DataFolder(tmp_path / "data")
    database = create_encrypted_database(folder)
    assert database.key is not None
    Keyring.load(folder).wrap_for("zhaolei", DEMO_PASSWORD, database.key)
    database.close()
    folder.database.unlink()
    with pytest.raises(UserError):
        auth.unlock(folder, "zhaolei", DEMO_PASSWORD)
    assert not folder.database.exists()

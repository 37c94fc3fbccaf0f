"""A plaintext database from before encryption is encrypted in place at an administrator's
sign-in: backed up, exported, verified, swapped; no plaintext copy is left behind.

The legacy folder is made from the demo as an older version left it: the same tables in a
plaintext file, argon2 hashes in the user rows, no keys.json, a plaintext schema-upgrade backup.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlcipher3.dbapi2 as sqlcipher

from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.db.engine import apply_key, is_plaintext_file
from fuanjian_desktop.demo.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.evidence.maintenance import EVIDENCE_FOLDER, KEY_PURPOSE
from fuanjian_desktop.evidence.store import EvidenceStore
from fuanjian_desktop.security.encrypt_in_place import NOT_AN_ADMIN, accounts_without_key
from fuanjian_desktop.security.keyring import Keyring
from fuanjian_desktop.security.passwords import hash_password
from fuanjian_desktop.services import auth
from fuanjian_desktop.services.trail_check import verify_trail
from tests.conftest import DemoTemplate
from tests.photos import make_photo

OWN_PASSWORD = "lina-own-2019"
JPEG_START = b"\xff\xd8\xff"  # an account whose password is not the demo's


@pytest.fixture
def legacy(demo_template: DemoTemplate, tmp_path: Path) -> DataFolder:
    """A plaintext copy of the demo, as a version before encryption left its data folder."""
    folder = DataFolder(tmp_path / "legacy")
    folder.root.mkdir()
    source = sqlcipher.connect(str(demo_template.database))
    apply_key(source, demo_template.key)
    source.execute("ATTACH DATABASE ? AS plain KEY ''", (str(folder.database),))
    source.execute("SELECT sqlcipher_export('plain')")
    source.execute("DETACH DATABASE plain")
    source.close()
    plain = sqlcipher.connect(str(folder.database))
    with plain:
        plain.execute("UPDATE app_user SET password_hash = ?", (hash_password(DEMO_PASSWORD),))
        plain.execute(
            "UPDATE app_user SET password_hash = ? WHERE username = 'lina'",
            (hash_password(OWN_PASSWORD),),
        )
    plain.close()
    _unsealed_evidence(demo_template, folder)
    folder.backups.mkdir()
    shutil.copyfile(folder.database, folder.backups / "fuanjian-20250101-0007.db")
    EvidenceStore(folder.root / "evidence", None).add_photo(make_photo(tmp_path / "shop.jpg"))
    return folder


def _unsealed_evidence(demo_template: DemoTemplate, folder: DataFolder) -> None:
    """The demo's evidence files (photos, scans, recording, archived volume) as a version before
    encryption kept them: plaintext, with their thumbnails."""
    root = demo_template.folder.root / EVIDENCE_FOLDER
    sealed = EvidenceStore(root, demo_template.key.derive(KEY_PURPOSE))
    plain = EvidenceStore(folder.root / EVIDENCE_FOLDER, None)
    with sqlcipher.connect(str(folder.database)) as connection:
        rows = connection.execute("SELECT sha256, extension FROM evidence_file").fetchall()
    for sha256, extension in rows:
        plain.add_bytes(sealed.read_original(sha256, extension), extension)
        if sealed.thumbnail_of(sha256).exists():
            thumbnail = plain.thumbnail_of(sha256)
            thumbnail.parent.mkdir(parents=True, exist_ok=True)
            thumbnail.write_bytes(sealed.read_thumbnail(sha256))


def row_counts(path: Path, key_hex: str | None = None) -> dict[str, int]:
    connection = sqlcipher.connect(str(path))
    try:
        if key_hex:
            connection.execute(f"PRAGMA key = \"x'{key_hex}'\"")
        names = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {n: connection.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    finally:
        connection.close()


def test_a_non_administrator_is_told_an_administrator_must_sign_in_first(
    legacy: DataFolder,
) -> None:
    """Right password, not an admin: the Chinese message; nothing is encrypted or keyed."""
    before = row_counts(legacy.database)
    with pytest.raises(UserError) as refused:
        auth.unlock(legacy, "zhangwei", DEMO_PASSWORD)
    assert refused.value.message == NOT_AN_ADMIN
    assert "管理员" in refused.value.message
    assert is_plaintext_file(legacy.database)
    assert not Keyring.exists(legacy)
    assert row_counts(legacy.database) == before  # (opening it turned on WAL, no more)


def test_a_wrong_administrator_password_encrypts_nothing(legacy: DataFolder) -> None:
    with pytest.raises(UserError, match="用户名或密码不正确"):
        auth.unlock(legacy, "zhaolei", "not-the-password-1")
    assert is_plaintext_file(legacy.database)


def test_an_administrators_sign_in_encrypts_in_place_and_keeps_every_row(
    legacy: DataFolder,
) -> None:
    """Encrypted, the same rows in every table, the audit chain intact, no plaintext copies;
    the demo accounts still on the demo password can sign in, the others wait for a reset."""
    expected = row_counts(legacy.database)

    database, actor = auth.unlock(legacy, "zhaolei", DEMO_PASSWORD)
    try:
        assert actor.username == "zhaolei"
        assert database.key is not None
        assert not is_plaintext_file(legacy.database)
        found = row_counts(legacy.database, database.key.raw.hex())
        expected_after = dict(expected, audit_event=found["audit_event"])
        assert found == expected_after  # sign-in adds audit/outbox rows only
        assert found["audit_event"] > expected["audit_event"]
        assert verify_trail(database).problem is None
        assert accounts_without_key(database) == ["李娜（lina）"]
        assert Keyring.load(legacy).is_demo
    finally:
        database.close()

    files = [p for p in legacy.root.rglob("*") if p.is_file()]
    assert [p.name for p in files if is_plaintext_file(p)] == []
    # the legacy photo (no row refers to it, so it is sealed, then swept) left no plaintext
    assert [p.name for p in files if p.read_bytes()[:3] == JPEG_START] == []
    assert not list(legacy.root.rglob("*before-encryption*"))
    assert len(list(legacy.backups.iterdir())) == 1  # the old backup, now encrypted
    other = next(a.username for a in DEMO_ACCOUNTS if a.username not in {"zhaolei", "lina"})
    database, _actor = auth.unlock(legacy, other, DEMO_PASSWORD)
    database.close()
    with pytest.raises(UserError):
        auth.unlock(legacy, "lina", OWN_PASSWORD)


@pytest.mark.slow
@pytest.mark.timeout(600)  # a child process: imports, 13 argon2 checks and wraps, the export
def test_a_command_on_a_legacy_demo_folder_encrypts_it_as_the_demo_admin(
    legacy: DataFolder,
) -> None:
    """``main.py stats`` on an old demo folder: the demo administrator's sign-in encrypts it."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    command = ["stats", "--data-dir", str(legacy.root), "--year", "2026"]
    result = subprocess.run(
        [sys.executable, str(root / "main.py"), *command],
        capture_output=True,
        text=True,
        cwd=root,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert not is_plaintext_file(legacy.database)
    assert Keyring.load(legacy).is_demo
    # the new recovery key is shown once (stderr: stdout stays the figures) and opens the data
    notice = next(line for line in result.stderr.splitlines() if "新的恢复密钥" in line)
    assert "新的恢复密钥" not in result.stdout
    auth.unlock_with_recovery(legacy, notice.rsplit("：", 1)[1]).close()

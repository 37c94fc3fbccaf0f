"""After ``python main.py demo --data-dir D`` nothing personal is readable in any file under D.

The strings looked for come from the demo's source data (the interview files: names, ID
numbers, phones, addresses, every sentence said) and from the records the demo stored (every
enterprise and case party's name, ID number, phone and address, read back through the app with
the key). Every file counts: the database, its WAL while it is open, keys.json, the sign-in
limits, backups and evidence. Each string is looked for as UTF-8 and as a JSON ``\\u`` escape.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.demo.demo import DEMO_PASSWORD
from fuanjian_desktop.models import Case, Enterprise
from fuanjian_desktop.resources import resource_path
from fuanjian_desktop.services import auth

ROOT = Path(__file__).resolve().parents[2]
SENTENCE_END = re.compile(r"[。！？；]")


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[DataFolder, str]:
    """A data folder made by the documented command (with a permissive umask), and its output."""
    root = tmp_path_factory.mktemp("cli-demo") / "D"
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "demo", "--data-dir", str(root)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
        preexec_fn=lambda: os.umask(0o022),
    )
    assert result.returncode == 0, result.stderr
    return DataFolder(root), result.stdout


@pytest.fixture(scope="module")
def secrets(demo_run: tuple[DataFolder, str]) -> list[str]:
    """Every personal string of the demo (source files and stored records)."""
    folder, _output = demo_run
    found = set(_from_transcript_sources())
    database, _actor = auth.unlock(folder, "zhaolei", DEMO_PASSWORD)
    try:
        found |= set(_from_records(database))
    finally:
        database.close()
    return sorted(text for text in found if _distinctive(text))


def _from_transcript_sources() -> Iterator[str]:
    for path in sorted(resource_path("demo", "transcripts").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        person = data["interviewee"]
        yield from (person["name"], person["id_number"], person["phone"], person["address"])
        for pair in data["qa"]:
            for sentence in SENTENCE_END.split(pair["a"]):
                if "{" not in sentence:
                    yield sentence.strip("，、：“”")


def _from_records(database: Database) -> Iterator[str]:
    with database.read() as session:
        for enterprise in session.scalars(select(Enterprise)):
            yield from (
                enterprise.name,
                enterprise.operator_name or "",
                enterprise.operator_id_no or "",
                enterprise.contact_name or "",
                enterprise.contact_phone or "",
                enterprise.address,
            )
        for case in session.scalars(select(Case)):
            yield from (
                case.party_name,
                case.party_id_no or "",
                case.party_phone or "",
                case.party_address or "",
                case.party_representative or "",
            )


def _distinctive(text: str) -> bool:
    """Long enough that finding it in ciphertext by chance is impossible (≥ 6 bytes), and not
    a phrase of the app itself (a sentence of ≥ 6 characters, a name, a number)."""
    return len(text.encode("utf-8")) >= 6


def _forms(text: str) -> list[bytes]:
    forms = [text.encode("utf-8")]
    escaped = json.dumps(text)[1:-1].encode("ascii")
    if escaped != forms[0]:
        forms.append(escaped)
    return forms


def _leaks(root: Path, secrets: list[str]) -> dict[str, list[str]]:
    patterns = [(text, form) for text in secrets for form in _forms(text)]
    leaks: dict[str, list[str]] = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        content = path.read_bytes()
        hits = sorted({text for text, form in patterns if form in content})
        if hits:
            leaks[str(path.relative_to(root))] = hits[:5]
    return leaks


def test_the_secrets_are_many_and_would_be_found(
    demo_run: tuple[DataFolder, str], secrets: list[str], tmp_path: Path
) -> None:
    """Control: the list is not empty, and a plaintext copy of the data would be caught."""
    assert len(secrets) > 300
    assert {"王建国", "441421198403152336", "13800138021"} <= set(secrets)
    (tmp_path / "leak.txt").write_text(f"{secrets[0]} {secrets[-1]}", encoding="utf-8")
    (tmp_path / "leak.json").write_text(json.dumps(secrets[1:3]), encoding="ascii")
    assert set(_leaks(tmp_path, secrets)) == {"leak.txt", "leak.json"}


def test_no_file_of_the_demo_folder_holds_personal_data(
    demo_run: tuple[DataFolder, str], secrets: list[str]
) -> None:
    """Closed, and open after a sign-in (the WAL then holds the new pages): nothing readable."""
    folder, _output = demo_run
    assert _leaks(folder.root, secrets) == {}
    database, _actor = auth.unlock(folder, "zhangwei", DEMO_PASSWORD)
    try:
        wal = folder.root / "fuanjian.db-wal"
        assert wal.exists() and wal.stat().st_size > 0
        assert _leaks(folder.root, secrets) == {}
    finally:
        database.close()


def test_every_file_and_folder_is_the_users_only(demo_run: tuple[DataFolder, str]) -> None:
    """0600 files and 0700 folders, although the command ran under umask 022."""
    folder, _output = demo_run
    paths = [folder.root, *folder.root.rglob("*")]
    loose = [
        f"{path.relative_to(folder.root.parent)} {stat.filemode(path.stat().st_mode)}"
        for path in paths
        if stat.S_IMODE(path.stat().st_mode) & 0o077
    ]
    assert loose == []
    assert (folder.root / "keys.json").exists()


def test_the_printed_recovery_key_opens_the_data(demo_run: tuple[DataFolder, str]) -> None:
    """``main.py demo`` prints the recovery key once; it opens the database."""
    folder, output = demo_run
    (line,) = [line for line in output.splitlines() if line.startswith("恢复密钥")]
    code = line.rsplit("：", 1)[1]
    database = auth.unlock_with_recovery(folder, code)
    try:
        with database.read() as session:
            assert session.scalar(select(Enterprise.id).limit(1)) is not None
    finally:
        database.close()

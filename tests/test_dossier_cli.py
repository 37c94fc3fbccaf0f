"""`python main.py dossier`: the electronic volumes of a data folder, written as documented."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select, update

from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.dossier_cli import safe_name
from fuanjian_desktop.models import Case, CaseDossier
from main import main
from tests.services.dossiers.volume_reading import complete_case


def dossier(capsys: pytest.CaptureFixture[str], data: Path, *more: str) -> tuple[int, str, str]:
    """Run ``dossier --data-dir data …`` in this process: exit code, stdout, stderr."""
    code = main(["dossier", "--data-dir", str(data), *more])
    out, err = capsys.readouterr()
    return code, out, err


def test_safe_names_keep_the_case_number_readable() -> None:
    assert safe_name("（深福）应急立〔2026〕5号") == "（深福）应急立〔2026〕5号.pdf"
    assert safe_name(" a/b:c*d?e \\ f ") == "a_b_c_d_e_f.pdf"


def test_all_writes_one_volume_per_closed_or_archived_case(
    demo_database: Database,
    data_folder: DataFolder,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with demo_database.read() as session:
        cases = list(session.scalars(select(Case).where(Case.stage.in_(("closed", "archived")))))
        frozen = session.scalars(select(CaseDossier.volume_sha256)).all()
    out = tmp_path / "volumes"
    code, stdout, stderr = dossier(capsys, data_folder.root, "--all", "--out", str(out))
    assert code == 0, stderr
    lines = stdout.splitlines()
    assert len(lines) == len(cases) and len(cases) >= 2
    written = sorted(path.name for path in out.iterdir())
    assert written == sorted(f"{case.case_no}.pdf" for case in cases)
    for line in lines:
        path = Path(line.split("\t")[0])
        assert path.parent == out and len(PdfReader(path).pages) >= 3  # cover, 目录, …, 备考表
    # an archived case's volume is its frozen file, byte for byte
    hashes = {hashlib.sha256(path.read_bytes()).hexdigest() for path in out.iterdir()}
    assert {sha for sha in frozen if sha} <= hashes


def test_case_writes_that_case(
    demo_database: Database,
    data_folder: DataFolder,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    case_no = complete_case(demo_database).case_no
    target = tmp_path / "one.pdf"
    code, stdout, stderr = dossier(
        capsys, data_folder.root, "--case", case_no, "--out", str(target)
    )
    assert code == 0, stderr
    [line] = stdout.splitlines()
    path, written, counts = line.split("\t")
    assert (Path(path), written) == (target, case_no)
    found = re.fullmatch(r"(\d+) 件 (\d+) 页", counts)
    assert found is not None
    items, pages = int(found[1]), int(found[2])
    index_pages = -(-items // 14)  # 14 rows a 目录 page (template p56)
    assert len(PdfReader(target).pages) == 1 + index_pages + pages + 1  # cover … 备考表


def test_an_unknown_case_or_nothing_closed_is_a_chinese_error(
    demo_database: Database,
    data_folder: DataFolder,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, stdout, stderr = dossier(
        capsys,
        data_folder.root,
        "--case",
        "（深福）应急立〔2026〕99号",
        "--out",
        str(tmp_path / "x.pdf"),
    )
    assert (code, stdout) == (1, "")
    assert "没有案号为“（深福）应急立〔2026〕99号”的案件" in stderr
    with demo_database.write() as session:  # no case closed yet: every file still open
        session.execute(
            update(Case).where(Case.stage.in_(("closed", "archived"))).values(stage="execution")
        )
    code, stdout, stderr = dossier(capsys, data_folder.root, "--all", "--out", str(tmp_path / "d"))
    assert (code, stdout) == (1, "")
    assert "没有已结案或已归档的案件" in stderr
    assert not (tmp_path / "d").exists()


def test_an_unwritable_target_is_a_chinese_error(
    demo_database: Database,
    data_folder: DataFolder,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    target = tmp_path / "no-such-folder" / "one.pdf"
    case_no = complete_case(demo_database).case_no
    code, stdout, stderr = dossier(
        capsys, data_folder.root, "--case", case_no, "--out", str(target)
    )
    assert (code, stdout) == (1, "")
    assert f"无法写入“{target}”：所在的文件夹不存在" in stderr


def test_all_into_an_existing_file_is_a_chinese_error(
    demo_database: Database,
    data_folder: DataFolder,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    existing = tmp_path / "volume.pdf"
    existing.write_bytes(b"")
    code, stdout, stderr = dossier(capsys, data_folder.root, "--all", "--out", str(existing))
    assert (code, stdout) == (1, "")
    assert "已有同名的文件（--all 时 --out 须为文件夹）" in stderr

"""audit verify checks every frozen case-file volume (归档案卷) like an issued document: the file
is in the evidence store and reads back with the SHA-256 recorded at 归档 (issue 17: "the frozen
volume is verified like an issued document").

A volume is frozen here by hand (bytes stored with the store's own ``add_bytes``, its evidence
row and the dossier's ``volume_sha256``), so the check is tested apart from compiling one.
"""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import func, select, update

from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.procedure import Stage
from fuanjian_desktop.evidence.maintenance import store_of
from fuanjian_desktop.models import Case, CaseDossier, EvidenceFile
from fuanjian_desktop.services.trail_check import verify_trail
from tests.test_main_cli import run

ARCHIVE_NO = "20269999"
PDF = ".pdf"


def freeze(database: Database, data: bytes) -> tuple[str, str]:
    """Freeze ``data`` as the volume of a closed case of the demo; (its 案号, its sha256)."""
    stored = store_of(database).add_bytes(data, PDF)
    with database.write() as session:
        case = session.scalars(select(Case).where(Case.stage == str(Stage.CLOSED))).first()
        assert case is not None
        evidence = EvidenceFile(
            sha256=stored.sha256,
            extension=PDF,
            size_bytes=stored.size_bytes,
            original_name="案卷.pdf",
        )
        session.add(evidence)
        session.flush()
        dossier = session.scalar(select(CaseDossier).where(CaseDossier.case_id == case.id))
        if dossier is None:
            dossier = CaseDossier(case_id=case.id, remarks={}, order_overrides=[])
            session.add(dossier)
        dossier.archive_no = ARCHIVE_NO
        dossier.volume_evidence_id = evidence.id
        dossier.volume_sha256 = stored.sha256
        return case.case_no, stored.sha256


def volume_count(database: Database) -> int:
    with database.read() as session:
        query = select(func.count()).select_from(CaseDossier)
        return session.scalar(query.where(CaseDossier.volume_sha256.is_not(None))) or 0


@pytest.fixture
def frozen(demo_database: Database) -> tuple[str, str]:
    return freeze(demo_database, b"%PDF-1.7\n% a frozen volume for the test\n%%EOF\n")


def test_every_frozen_volume_is_verified_and_counted(
    demo_database: Database, frozen: tuple[str, str]
) -> None:
    """Intact: counted in the success line, after the documents."""
    report = verify_trail(demo_database)
    assert report.intact, report.problem
    assert report.volumes == volume_count(demo_database) >= 1
    assert report.summary.endswith(f"份已签发文书、{report.volumes} 卷已归档案卷。")


def test_a_missing_volume_file_is_named_with_its_case(
    demo_database: Database, frozen: tuple[str, str]
) -> None:
    case_no, sha256 = frozen
    store_of(demo_database).path_of(sha256, PDF).unlink()
    report = verify_trail(demo_database)
    assert not report.intact
    assert report.summary == (
        f"记录链有问题：案件{case_no}的归档案卷（归档号 {ARCHIVE_NO}）的文件在证据库中缺失："
        "案卷文件被删除了。"
    )


def test_a_volume_file_swapped_for_another_is_found(
    demo_database: Database, frozen: tuple[str, str]
) -> None:
    """Another sealed file of the store copied over it: it opens, but is not the volume."""
    case_no, sha256 = frozen
    store = store_of(demo_database)
    other = store.add_bytes(b"%PDF-1.7\n% some other document\n%%EOF\n", PDF)
    shutil.copyfile(store.path_of(other.sha256, PDF), store.path_of(sha256, PDF))
    report = verify_trail(demo_database)
    assert report.problem == (
        f"案件{case_no}的归档案卷（归档号 {ARCHIVE_NO}）的文件与归档时记录的指纹不符："
        "案卷文件被改动或替换过。"
    )


def test_a_changed_volume_fingerprint_is_found(
    demo_database: Database, frozen: tuple[str, str]
) -> None:
    """The recorded SHA-256 rewritten in the database (to point at another file)."""
    case_no, sha256 = frozen
    with demo_database.write() as session:
        session.execute(
            update(CaseDossier)
            .where(CaseDossier.volume_sha256 == sha256)
            .values(volume_sha256="0" * 64)
        )
    report = verify_trail(demo_database)
    assert report.problem == (
        f"案件{case_no}的归档案卷（归档号 {ARCHIVE_NO}）的证据文件记录与归档时记录的指纹不符："
        "案卷记录被改动过。"
    )


def test_audit_verify_exits_1_naming_the_volume(
    demo_database: Database, data_folder: DataFolder, frozen: tuple[str, str]
) -> None:
    """`python main.py audit verify`: the missing volume named, exit 1."""
    case_no, sha256 = frozen
    store_of(demo_database).path_of(sha256, PDF).unlink()
    result = run("audit", "verify", "--data-dir", str(data_folder.root))
    assert result.returncode == 1, result.stderr
    assert result.stdout == (
        f"记录链有问题：案件{case_no}的归档案卷（归档号 {ARCHIVE_NO}）的文件在证据库中缺失："
        "案卷文件被删除了。\n"
    )

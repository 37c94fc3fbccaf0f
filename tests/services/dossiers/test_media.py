"""Audio-video records of a case: imported (streamed, sealed, stored once by SHA-256) with their
device, officer, times and step; validated field by field before the copy starts; listed for
the 音像资料目录 by start time with what it prints."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.errors import PermissionDenied, UserError
from fuanjian_desktop.models import Case, CaseMedia, EvidenceFile, User
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.dossiers import media
from fuanjian_desktop.services.dossiers.media import MediaInput
from fuanjian_desktop.services.inspections.evidence import evidence_store

CLOSED_CASE = "（深福）应急立〔2026〕1号"  # 园岭, handled by 张伟 and 李娜
OTHER_CASE = "（深福）应急立〔2026〕4号"
ARCHIVED_CASE = "（深福）应急立〔2025〕1号"
MP4_HEAD = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
WAV_HEAD = b"RIFF\x24\x00\x00\x00WAVEfmt "
# 2026-11-20 09:30:00 in Shenzhen is 01:30 UTC
START = dt.datetime(2026, 11, 20, 1, 30, tzinfo=dt.UTC)


@pytest.fixture
def clerk(sign_in: Callable[[str], Actor]) -> Actor:
    """王芳, 内勤 of 园岭."""
    return sign_in("wangfang")


def case_id(database: Database, case_no: str) -> str:
    with database.read() as session:
        found = session.scalar(select(Case.id).where(Case.case_no == case_no))
    assert found is not None
    return found


def user_id(database: Database, name: str) -> str:
    with database.read() as session:
        found = session.scalar(select(User.id).where(User.full_name == name))
    assert found is not None
    return found


def recording(path: Path, head: bytes = MP4_HEAD, size: int = 300_000) -> Path:
    body = hashlib.sha256(path.name.encode()).digest() * (size // 32 + 1)
    path.write_bytes(head + body[: size - len(head)])
    return path


def described(database: Database, **changes: object) -> MediaInput:
    values: dict[str, object] = {
        "title": "送达处罚决定书现场视频",
        "kind": "video",
        "device": "DSJ-0815",
        "officer_id": user_id(database, "张伟"),
        "started_at": START,
        "ended_at": START + dt.timedelta(minutes=12, seconds=3),
        "step": "serve_decision",
    }
    return MediaInput(**{**values, **changes})  # type: ignore[arg-type]


def test_a_recording_is_imported_and_listed_for_the_index(
    demo_database: Database, clerk: Actor, tmp_path: Path
) -> None:
    case = case_id(demo_database, CLOSED_CASE)
    source = recording(tmp_path / "REC_0001.MP4")
    seen: list[tuple[int, int]] = []
    media_id = media.import_media(
        demo_database,
        clerk,
        case,
        source,
        described(demo_database),
        progress=lambda *p: seen.append(p),
    )
    assert seen[-1] == (300_000, 300_000)
    [row] = media.case_media(demo_database, clerk, case)
    sha256 = hashlib.sha256(source.read_bytes()).hexdigest()
    assert (row.number, row.media_id, row.title, row.kind_label) == (
        1,
        media_id,
        "送达处罚决定书现场视频",
        "视频",
    )
    assert (row.device, row.officer_name, row.step, row.step_label) == (
        "DSJ-0815",
        "张伟",
        "serve_decision",
        "送达处罚决定书",  # the step's own name when none is typed
    )
    assert (row.sha256, row.sha256_prefix, row.gap_reason) == (sha256, sha256[:16], None)
    assert row.duration_text == "12分03秒"
    assert row.period_text == "2026-11-20 09:30:00–09:42:03"
    assert evidence_store(demo_database).holds_original(sha256, ".mp4")


def test_the_index_runs_by_start_time_with_gap_reasons(
    demo_database: Database, clerk: Actor, tmp_path: Path
) -> None:
    case = case_id(demo_database, CLOSED_CASE)
    later = described(
        demo_database,
        title="第二段",
        kind="audio",
        started_at=START + dt.timedelta(hours=1),
        ended_at=START + dt.timedelta(hours=2, minutes=2, seconds=3),
        step_label="送达（续）",
        gap_reason="  电池耗尽，更换后继续录制  ",
    )
    media.import_media(demo_database, clerk, case, recording(tmp_path / "b.wav", WAV_HEAD), later)
    media.import_media(
        demo_database, clerk, case, recording(tmp_path / "a.mp4"), described(demo_database)
    )
    rows = media.case_media(demo_database, clerk, case)
    assert [(row.number, row.title) for row in rows] == [
        (1, "送达处罚决定书现场视频"),
        (2, "第二段"),
    ]
    assert (rows[1].kind_label, rows[1].step_label, rows[1].gap_reason) == (
        "音频",
        "送达（续）",
        "电池耗尽，更换后继续录制",
    )
    assert rows[1].duration_text == "1小时02分03秒"
    overnight = described(  # 23:30 on the 20th to 00:30 on the 21st, Shenzhen time
        demo_database,
        started_at=START + dt.timedelta(hours=14),
        ended_at=START + dt.timedelta(hours=15),
    )
    media.import_media(demo_database, clerk, case, recording(tmp_path / "c.mp4"), overnight)
    last = media.case_media(demo_database, clerk, case)[-1]
    assert last.period_text == "2026-11-20 23:30:00–2026-11-21 00:30:00"


def test_a_file_is_stored_once_and_imported_once_per_case(
    demo_database: Database, clerk: Actor, tmp_path: Path
) -> None:
    source = recording(tmp_path / "same.mp4")
    first = case_id(demo_database, CLOSED_CASE)
    media.import_media(demo_database, clerk, first, source, described(demo_database))
    with pytest.raises(media.MediaInvalid) as refused:
        media.import_media(
            demo_database, clerk, first, source, described(demo_database, title="再来")
        )
    assert [(i.field, i.message) for i in refused.value.issues] == [
        ("path", "“same.mp4”已作为“送达处罚决定书现场视频”导入本案，不必重复导入")
    ]
    media.import_media(
        demo_database, clerk, case_id(demo_database, OTHER_CASE), source, described(demo_database)
    )
    sha256 = hashlib.sha256(source.read_bytes()).hexdigest()
    with demo_database.read() as session:
        assert session.scalar(select(func.count()).where(EvidenceFile.sha256 == sha256)) == 1
        evidence_id = select(EvidenceFile.id).where(EvidenceFile.sha256 == sha256)
        imported = select(func.count(CaseMedia.id)).where(CaseMedia.evidence_id.in_(evidence_id))
        assert session.scalar(imported) == 2


def test_each_field_is_checked_before_the_copy_starts(
    demo_database: Database, clerk: Actor, tmp_path: Path
) -> None:
    bad = described(
        demo_database,
        title=" ",
        kind="photo",
        device="",
        ended_at=START - dt.timedelta(seconds=1),
        step="dance",
    )
    before = evidence_store(demo_database).stored()
    with pytest.raises(media.MediaInvalid) as refused:
        media.import_media(
            demo_database,
            clerk,
            case_id(demo_database, CLOSED_CASE),
            recording(tmp_path / "a.mp4"),
            bad,
        )
    assert [(i.field, i.message) for i in refused.value.issues] == [
        ("title", "请填写名称（录的是什么）"),
        ("device", "请填写执法记录仪编号"),
        ("kind", "请选择视频或音频"),
        ("step", "请选择这段音像资料记录的执法环节"),
        ("ended_at", "结束时间应晚于开始时间"),
    ]
    assert evidence_store(demo_database).stored() == before


def test_the_officer_handles_the_case_or_belongs_to_its_squad(
    demo_database: Database, clerk: Actor, tmp_path: Path
) -> None:
    case = case_id(demo_database, CLOSED_CASE)
    outsider = described(demo_database, officer_id=user_id(demo_database, "黄敏"))  # 南园
    with pytest.raises(media.MediaInvalid) as refused:
        media.import_media(demo_database, clerk, case, recording(tmp_path / "a.mp4"), outsider)
    assert [(i.field, i.message) for i in refused.value.issues] == [
        ("officer_id", "请选择本案承办人或本中队的执法人员")
    ]
    colleague = described(
        demo_database, officer_id=user_id(demo_database, "刘洋"), step="inspection"
    )
    media.import_media(demo_database, clerk, case, recording(tmp_path / "b.mp4"), colleague)
    [row] = media.case_media(demo_database, clerk, case)
    assert (row.officer_name, row.step_label) == ("刘洋", "现场检查")


def test_what_is_not_a_recording_is_refused_by_name(
    demo_database: Database, clerk: Actor, tmp_path: Path
) -> None:
    text = tmp_path / "视频.mp4"
    text.write_text("这不是视频")
    before = evidence_store(demo_database).stored()
    with pytest.raises(media.MediaInvalid) as refused:
        media.import_media(
            demo_database,
            clerk,
            case_id(demo_database, CLOSED_CASE),
            text,
            described(demo_database),
        )
    [issue] = refused.value.issues
    assert issue.field == "path" and issue.message.startswith(
        "“视频.mp4”：文件内容不是常见的视频或音频格式"
    )
    assert evidence_store(demo_database).stored() == before


def test_an_archived_case_is_refused_before_anything_is_copied(
    demo_database: Database, clerk: Actor, tmp_path: Path
) -> None:
    seen: list[tuple[int, int]] = []
    with pytest.raises(UserError) as refused:
        media.import_media(
            demo_database,
            clerk,
            case_id(demo_database, ARCHIVED_CASE),
            recording(tmp_path / "a.mp4"),
            described(demo_database),
            progress=lambda *p: seen.append(p),
        )
    assert "已归档" in refused.value.message
    assert seen == []


def test_only_the_squad_record_keepers_import(
    demo_database: Database, sign_in: Callable[[str], Actor], tmp_path: Path
) -> None:
    case = case_id(demo_database, CLOSED_CASE)
    for username in ("wuxia", "chenjing"):  # 南园's 内勤; 园岭's 法制审核员
        with pytest.raises(PermissionDenied):
            media.import_media(
                demo_database,
                sign_in(username),
                case,
                recording(tmp_path / "a.mp4"),
                described(demo_database),
            )


def test_the_form_offers_the_handlers_first_and_the_steps_taken(
    demo_database: Database, clerk: Actor
) -> None:
    choices = media.media_choices(demo_database, clerk, case_id(demo_database, CLOSED_CASE))
    names = [name for _, name in choices.officers]
    assert names[:2] == ["张伟", "李娜"] and "刘洋" in names and "黄敏" not in names
    steps = dict(choices.steps)
    assert steps["serve_decision"] == "送达处罚决定书"
    assert steps["approve_closing"] == "批准结案"
    assert choices.steps[-1] == ("inspection", "现场检查")

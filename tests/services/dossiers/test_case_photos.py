"""The photo evidence of a case: every photo of its file (linked inspections, their 复查, linked
photos, photos of the case itself) in evidence order, each once, with caption, EXIF time and
the place, photographer and proves an inspection record gives or a person types."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.errors import PermissionDenied, UserError
from fuanjian_desktop.evidence.store import AddedPhoto, EvidenceStore
from fuanjian_desktop.models import Case, CaseLink, Hazard, Inspection, InspectionPhoto
from fuanjian_desktop.services.actor import SYSTEM, Actor
from fuanjian_desktop.services.dossiers import case_photos
from fuanjian_desktop.services.dossiers.case_photos import PhotoInput, PhotoRef
from fuanjian_desktop.services.inspections.evidence import attach_photos, evidence_store
from fuanjian_desktop.services.unit_of_work import user_action
from tests.photos import make_photo, make_png

# a 园岭 case linking one inspection (by 张伟 and 李娜) that has one 复查
CASE_NO = "（深福）应急立〔2026〕12号"
PLACE = "深圳市福田区园岭街道八卦三路52号工业区7楼111"
INSPECTORS = "张伟、李娜"


@pytest.fixture
def clerk(sign_in: Callable[[str], Actor]) -> Actor:
    return sign_in("wangfang")


@pytest.fixture
def story(demo_database: Database) -> dict[str, str]:
    """Ids of the case, its linked inspection, that inspection's 复查, one of its hazards (item
    and description) and an inspection the case does not link."""
    with demo_database.read() as session:
        case_id = session.scalar(select(Case.id).where(Case.case_no == CASE_NO))
        linked = session.scalar(
            select(CaseLink.target_id).where(
                CaseLink.case_id == case_id, CaseLink.kind == "inspection"
            )
        )
        recheck = session.scalar(select(Inspection.id).where(Inspection.follow_up_of_id == linked))
        hazard = session.scalars(
            select(Hazard).where(Hazard.inspection_id == linked).order_by(Hazard.item_id)
        ).first()
        case = session.get(Case, case_id)
        assert case is not None
        other = session.scalar(
            select(Inspection.id).where(
                Inspection.id.not_in([linked or "", recheck or ""]),
                Inspection.squad_id == case.squad_id,
            )
        )
    assert case_id and linked and recheck and hazard and other
    return {
        "case": case_id,
        "linked": linked,
        "recheck": recheck,
        "item": hazard.item_id,
        "danger": hazard.description,
        "other": other,
    }


def add_photo(
    database: Database, actor: Actor, inspection_id: str, item_id: str, path: Path
) -> str:
    report = attach_photos(database, actor, inspection_id, item_id, [path])
    assert report.attached == 1, report.refused
    with database.read() as session:
        photo_id = session.scalars(
            select(InspectionPhoto.id)
            .where(InspectionPhoto.inspection_id == inspection_id)
            .order_by(InspectionPhoto.created_at.desc())
        ).first()
    assert photo_id is not None
    return photo_id


def link_photo(database: Database, case_id: str, photo_id: str) -> None:
    with user_action(database, SYSTEM, "测试") as scope:
        row = CaseLink(case_id=case_id, kind="photo", target_id=photo_id)
        scope.session.add(row)
        scope.record(row, "测试", None)


def rows(database: Database, actor: Actor, case_id: str) -> list[case_photos.PhotoEvidence]:
    return case_photos.case_photos(database, actor, case_id)


def test_every_photo_of_the_case_once_in_evidence_order(
    demo_database: Database,
    inspector: Actor,
    clerk: Actor,
    story: dict[str, str],
    tmp_path: Path,
) -> None:
    whole = make_photo(tmp_path / "a.jpg", (10, 10, 10), taken="2026:11:20 09:30:00")
    danger = make_photo(tmp_path / "b.jpg", (20, 20, 20), taken="2026:11:20 09:10:00")
    a = add_photo(demo_database, inspector, story["linked"], "", whole)
    b = add_photo(demo_database, inspector, story["linked"], story["item"], danger)
    c = add_photo(
        demo_database, inspector, story["recheck"], story["item"], make_png(tmp_path / "c.png")
    )
    d = add_photo(
        demo_database, inspector, story["other"], "", make_photo(tmp_path / "d.jpg", (40, 40, 40))
    )
    link_photo(demo_database, story["case"], d)
    link_photo(demo_database, story["case"], a)  # linked and taken in a linked inspection
    e = case_photos.attach_case_photo(
        demo_database,
        clerk,
        story["case"],
        make_photo(tmp_path / "e.jpg", (50, 50, 50)),
        PhotoInput(" 营业执照照片 ", "当事人经营场所", "王芳", "当事人的主体资格"),
    )
    listed = rows(demo_database, clerk, story["case"])
    assert [(p.ref.id, p.source) for p in listed] == [
        (b, "inspection"),  # 09:10 before 09:30
        (a, "inspection"),
        (c, "recheck"),
        (d, "linked"),
        (e, "case"),
    ]
    first, second, recheck, _linked, typed = listed
    assert first.taken_at == dt.datetime(2026, 11, 20, 1, 10, tzinfo=dt.UTC)  # 09:10 in Shenzhen
    assert (first.place, first.photographer, first.proves) == (PLACE, INSPECTORS, story["danger"])
    assert (second.proves, second.caption, second.editable) == (None, None, False)
    assert (recheck.proves, recheck.taken_at, recheck.extension) == (story["danger"], None, ".png")
    assert (typed.caption, typed.place, typed.photographer, typed.proves, typed.editable) == (
        "营业执照照片",
        "当事人经营场所",
        "王芳",
        "当事人的主体资格",
        True,
    )
    store = evidence_store(demo_database)
    assert first.read(store) == danger.read_bytes()
    assert first.thumbnail(store) is not None


def test_an_inspection_photo_takes_a_caption_and_keeps_its_record_facts(
    demo_database: Database,
    inspector: Actor,
    clerk: Actor,
    story: dict[str, str],
    tmp_path: Path,
) -> None:
    photo = add_photo(
        demo_database, inspector, story["linked"], story["item"], make_photo(tmp_path / "a.jpg")
    )
    ref = PhotoRef("inspection_photo", photo)
    shown = PhotoInput("灭火器压力不足", PLACE, INSPECTORS, story["danger"])  # as the dialog shows
    case_photos.edit_photo_evidence(demo_database, clerk, ref, shown)
    [row] = rows(demo_database, clerk, story["case"])
    assert (row.caption, row.place, row.proves) == ("灭火器压力不足", PLACE, story["danger"])
    with pytest.raises(case_photos.PhotoInvalid) as refused:
        case_photos.edit_photo_evidence(
            demo_database, clerk, ref, PhotoInput("x", place="别处", photographer="王芳")
        )
    message = "现场检查照片的这一项取自检查记录，不能在此修改"
    assert [(i.field, i.message) for i in refused.value.issues] == [
        ("place", message),
        ("photographer", message),
    ]


def test_a_case_photo_is_edited_in_all_four_fields(
    demo_database: Database, clerk: Actor, story: dict[str, str], tmp_path: Path
) -> None:
    photo = case_photos.attach_case_photo(
        demo_database, clerk, story["case"], make_photo(tmp_path / "a.jpg"), PhotoInput("旧说明")
    )
    new = PhotoInput("新说明", "仓库", "李娜", "违法事实")
    case_photos.edit_photo_evidence(demo_database, clerk, PhotoRef("case_photo", photo), new)
    [row] = rows(demo_database, clerk, story["case"])
    assert (row.caption, row.place, row.photographer, row.proves) == (
        "新说明",
        "仓库",
        "李娜",
        "违法事实",
    )


def test_a_case_photo_needs_a_caption_a_photo_and_sane_lengths(
    demo_database: Database, clerk: Actor, story: dict[str, str], tmp_path: Path
) -> None:
    before = evidence_store(demo_database).stored()
    with pytest.raises(case_photos.PhotoInvalid) as refused:
        case_photos.attach_case_photo(
            demo_database,
            clerk,
            story["case"],
            make_photo(tmp_path / "a.jpg"),
            PhotoInput("  ", photographer="很" * 51),
        )
    assert [(i.field, i.message) for i in refused.value.issues] == [
        ("caption", "请填写证据名称/说明（这张照片证明什么）"),
        ("photographer", "不能超过 50 个字"),
    ]
    text = tmp_path / "照片.jpg"
    text.write_text("不是照片")
    with pytest.raises(case_photos.PhotoInvalid) as refused:
        case_photos.attach_case_photo(demo_database, clerk, story["case"], text, PhotoInput("说明"))
    [issue] = refused.value.issues
    assert issue.field == "path"
    assert issue.message == (
        "“照片.jpg”：文件内容不是 JPG 或 PNG 图片（按内容判断，与文件名无关），"
        "请选择相机或手机拍摄的照片"
    )
    assert evidence_store(demo_database).stored() == before


def test_a_photo_already_in_the_file_is_not_added_twice(
    demo_database: Database,
    inspector: Actor,
    clerk: Actor,
    story: dict[str, str],
    tmp_path: Path,
) -> None:
    path = make_photo(tmp_path / "a.jpg")
    add_photo(demo_database, inspector, story["linked"], "", path)
    with pytest.raises(case_photos.PhotoInvalid) as refused:
        case_photos.attach_case_photo(demo_database, clerk, story["case"], path, PhotoInput("说明"))
    assert [(i.field, i.message) for i in refused.value.issues] == [
        ("path", "“a.jpg”已是本案的照片证据，不必重复添加")
    ]
    assert len(rows(demo_database, clerk, story["case"])) == 1


def test_another_squad_neither_adds_nor_edits(
    demo_database: Database,
    sign_in: Callable[[str], Actor],
    clerk: Actor,
    story: dict[str, str],
    tmp_path: Path,
) -> None:
    outsider = sign_in("wuxia")  # 南园's 内勤
    with pytest.raises(PermissionDenied):
        case_photos.attach_case_photo(
            demo_database, outsider, story["case"], make_photo(tmp_path / "a.jpg"), PhotoInput("x")
        )
    photo = case_photos.attach_case_photo(
        demo_database, clerk, story["case"], make_photo(tmp_path / "b.jpg"), PhotoInput("说明")
    )
    with pytest.raises(PermissionDenied):
        case_photos.edit_photo_evidence(
            demo_database, outsider, PhotoRef("case_photo", photo), PhotoInput("改")
        )
    with pytest.raises(PermissionDenied):
        case_photos.case_photos(demo_database, outsider, story["case"])


@pytest.mark.parametrize("source_gone", [False, True])
def test_a_file_removed_from_the_store_meanwhile_is_stored_again_or_refused(
    demo_database: Database,
    clerk: Actor,
    story: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    source_gone: bool,
) -> None:
    """A concurrent import of the same photo that failed removes the file between this import
    storing it and its transaction; the transaction stores it again from the source, or, if
    the source is gone too, refuses rather than reference a missing file."""
    real = EvidenceStore.add_photo
    raced: list[Path] = []

    def racing(store: EvidenceStore, source: Path) -> AddedPhoto:
        added = real(store, source)
        if not raced:
            raced.append(source)
            store.remove(added.facts.sha256, added.facts.extension)
            if source_gone:
                source.unlink()
        return added

    monkeypatch.setattr(EvidenceStore, "add_photo", racing)
    path, details = make_photo(tmp_path / "a.jpg"), PhotoInput("x")
    if source_gone:
        with pytest.raises(UserError) as refused:
            case_photos.attach_case_photo(demo_database, clerk, story["case"], path, details)
        assert refused.value.message == "“a.jpg”在导入过程中被移走或改动，请重新选择文件后再试"
        assert rows(demo_database, clerk, story["case"]) == []
        return
    case_photos.attach_case_photo(demo_database, clerk, story["case"], path, details)
    [row] = rows(demo_database, clerk, story["case"])
    assert row.read(evidence_store(demo_database)) == path.read_bytes()

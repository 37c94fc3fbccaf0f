"""The case page's 证据 tab lists the photos attached to the case and its audio-video records."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.models import CaseMedia, CasePhoto
from fuanjian_desktop.services.cases.case_queries import case_view


def test_case_photos_and_recordings_are_listed(demo_database: Database, sign_in) -> None:
    """One line counting the case's own photos, one line per recording in time order."""
    with demo_database.read() as session:
        media = session.scalars(select(CaseMedia).order_by(CaseMedia.started_at)).all()
        assert media, "the demo imports a 执法记录仪 record"
        case_id = media[0].case_id
        expected_media = [
            f"音像资料：{row.title}（{row.step_label}，{row.device}）"
            for row in media
            if row.case_id == case_id
        ]
        photos = session.scalars(select(CasePhoto).where(CasePhoto.case_id == case_id)).all()
    leader = sign_in("liuyang")
    evidence = case_view(demo_database, leader, case_id, dt.date(2026, 12, 7)).evidence
    assert evidence[-len(expected_media) :] == expected_media
    counted = [line for line in evidence if line.startswith("案件照片")]
    assert counted == ([f"案件照片 {len(photos)} 张"] if photos else [])

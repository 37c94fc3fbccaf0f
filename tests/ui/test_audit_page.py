"""操作日志 shows the record chain's state above the list: intact with the counts, or the break
in red."""

from __future__ import annotations

from sqlalchemy import func, select

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.models import AuditEvent
from tests.attacker import drop_guards, raw_connection, restore_guards
from ui.pages.audit_page import BROKEN_STYLE, INTACT_STYLE, AuditPage


def open_page(qtbot, make_context, sign_in, wait_idle) -> AuditPage:
    """The page as the demo administrator 赵磊 sees it, shown and loaded."""
    page = AuditPage(make_context(sign_in("zhaolei")))
    qtbot.addWidget(page)
    page.show()
    wait_idle()
    return page


def event_count(database: Database) -> int:
    with database.read() as session:
        return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


def test_an_intact_chain_is_shown_with_its_counts(
    qtbot, make_context, sign_in, wait_idle, demo_database
):
    """The demo: 记录链完整 with every event counted, in the calm colour."""
    page = open_page(qtbot, make_context, sign_in, wait_idle)
    text = page.chain_label.text()
    assert text.startswith(
        f"记录链完整：已核验 {event_count(demo_database)} 条操作记录（1 台设备）、"
    )
    assert text.endswith("卷已归档案卷。")
    assert page.chain_label.styleSheet() == INTACT_STYLE
    assert page.model.rowCount() > 0


def test_a_broken_chain_is_shown_in_red_naming_the_event(
    qtbot, make_context, sign_in, wait_idle, demo_database
):
    """An altered event: the label names its number and says it was changed, in red."""
    page = open_page(qtbot, make_context, sign_in, wait_idle)
    with raw_connection(demo_database) as connection:
        drop_guards(connection)
        connection.execute("UPDATE audit_event SET summary = '改过' WHERE device_seq = 42")
        restore_guards(connection)

    page.hide()
    page.show()  # shown again: the chain is checked again
    wait_idle()
    text = page.chain_label.text()
    assert text.startswith("记录链有问题：第 42 条记录（")
    assert "这条记录被改动过" in text
    assert page.chain_label.styleSheet() == BROKEN_STYLE


def test_the_detail_pane_shows_the_events_place_in_the_chain(
    qtbot, make_context, sign_in, wait_idle, demo_database
):
    """Selecting an event shows its number in the chain and the start of its fingerprint."""
    page = open_page(qtbot, make_context, sign_in, wait_idle)
    page.table.selectRow(0)
    with demo_database.read() as session:
        newest = session.scalars(
            select(AuditEvent).order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
        ).first()
    assert newest is not None
    assert page.detail.toPlainText().endswith(
        f"记录链：第 {newest.device_seq} 条，指纹 {newest.event_hash[:16]}…"
    )

"""A round's outcome is remembered for the status bar; the data key is escrowed once per key;
a revoked device is told so in Chinese; the command line exits 0 only on success."""

from __future__ import annotations

from pathlib import Path

import pytest

import main
from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.sync_client import round as round_module
from fuanjian_desktop.sync_client.errors import SyncError
from fuanjian_desktop.sync_client.progress import RoundProgress
from fuanjian_desktop.sync_client.round import run_round
from fuanjian_desktop.sync_client.state import Peer
from fuanjian_desktop.sync_client.status import sync_status
from fuanjian_desktop.sync_client.transport import Transport
from fuanjian_desktop.sync_protocol.escrow import unseal
from fuanjian_desktop.sync_protocol.keys import unb64
from tests.conftest import DemoTemplate
from tests.sync_client.conftest import Laptop
from tests.sync_client.fake_hq import ESCROW_PRIVATE
from tests.test_main_cli import run


@pytest.fixture
def laptop(synced_laptop: Laptop) -> Laptop:
    """Everything so far is at HQ."""
    return synced_laptop


def test_a_good_round_is_remembered(laptop: Laptop) -> None:
    """Last success set, no error; status reads 待上传 0 and the cursor."""
    assert sync_status(laptop.database).last_success_at is None
    run_round(laptop.database, transport=laptop.transport())
    status = sync_status(laptop.database)
    assert status.last_success_at is not None and status.last_error is None
    lines = status.lines()
    assert "待上传: 0" in lines and "同步游标: 0" in lines
    assert any(line.startswith("上次成功同步: 20") for line in lines)


def test_a_revoked_device_is_told_and_remembered(laptop: Laptop) -> None:
    """401 revoked: the Chinese sentence, kept as the last error; status shows 已停用."""
    laptop.hq.revoked = True
    with pytest.raises(SyncError) as refused:
        run_round(laptop.database, transport=laptop.transport())
    assert refused.value.message.startswith("本机已被区局停用同步（设备 ")
    status = sync_status(laptop.database)
    assert status.revoked and status.last_error == refused.value.message
    assert "已停用: 是" in status.lines()


def test_the_data_key_is_escrowed_once(laptop: Laptop) -> None:
    """Sealed to HQ's escrow key (HQ can unseal it), sent in the first round only."""
    run_round(laptop.database, transport=laptop.transport())
    run_round(laptop.database, transport=laptop.transport())
    assert len(laptop.hq.escrows) == 1
    sealed = laptop.hq.escrows[0]
    assert laptop.database.key is not None
    assert unseal(ESCROW_PRIVATE, sealed["sealed"]) == laptop.database.key.raw


def test_a_failing_progress_callback_stops_the_round(laptop: Laptop) -> None:
    """The desktop cancels by raising from progress; nothing is recorded as success."""

    class Cancelled(Exception):
        pass

    def cancel(progress: RoundProgress) -> None:
        raise Cancelled

    with pytest.raises(Cancelled):
        run_round(laptop.database, transport=laptop.transport(), progress=cancel)
    assert sync_status(laptop.database).last_success_at is None


def test_sync_status_before_joining(demo_database: Database) -> None:
    """Not joined: 从未 synced, cursor 0, and what is pending counted."""
    lines = sync_status(demo_database).lines()
    assert "区局同步: 未接入" in lines
    assert "上次成功同步: 从未" in lines and "同步游标: 0" in lines
    assert any(line.startswith("待上传: ") and line != "待上传: 0" for line in lines)


def test_sync_run_exits_0_on_success(
    laptop: Laptop, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``sync run``: the round's lines on stdout, exit 0."""

    def to_fake_hq(peer: Peer, client: object = None) -> Transport:
        secret = unb64(peer.secret_b64)
        return Transport(
            peer.hq_url, device_id=peer.device_id, secret=secret, client=laptop.hq.client()
        )

    monkeypatch.setattr(round_module.Transport, "for_peer", staticmethod(to_fake_hq))
    monkeypatch.setattr(main, "open_for_command", lambda args: reopen(laptop))
    assert main.main(["sync", "run", "--data-dir", str(laptop.database.folder)]) == 0
    assert "上传记录: 0" in capsys.readouterr().out


def reopen(laptop: Laptop) -> Database:
    """The laptop's database as a command opens it (the command closes it)."""
    from fuanjian_desktop.db.startup import open_database

    assert laptop.database.key is not None
    return open_database(DataFolder(laptop.database.folder), laptop.database.key)


def test_sync_run_without_joining_exits_1_in_chinese(
    demo_template: DemoTemplate, tmp_path: Path
) -> None:
    """A demo folder never joined: exit 1, the Chinese reason on stderr."""
    data = tmp_path / "D"
    demo_template.copy_files(DataFolder(data))
    done = run("sync", "run", "--data-dir", str(data))
    assert done.returncode == 1
    assert "错误：本机尚未接入区局同步" in done.stderr
    status = run("sync", "status", "--data-dir", str(data))
    assert status.returncode == 0 and "同步游标: 0" in status.stdout

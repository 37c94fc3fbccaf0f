"""The HQ server fixture: a real ``hq serve`` process per test, on SQLite and on PostgreSQL."""

from __future__ import annotations

import httpx

from tests.support.server import HqServer


def test_the_server_answers_and_stops(hq_server: HqServer):
    """It answers on loopback (an unsigned request is refused, not dropped) and stops on TERM."""
    answer = httpx.get(f"{hq_server.url}/v1/status", headers={"X-FJ-Protocol": "1"})
    assert answer.status_code == 401
    hq_server.stop()
    assert hq_server.process.returncode is not None

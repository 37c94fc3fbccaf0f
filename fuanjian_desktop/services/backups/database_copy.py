"""Connections of the backup's own to a database file, keyed like the app's, and the full check.

A backup verifies its copy with ``PRAGMA integrity_check`` (the full one, b-trees and indexes):
unlike the start-up check it runs once a day on a worker and must prove the copy whole.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher

from fuanjian_desktop.errors import UserError
from fuanjian_desktop.security.data_key import DataKey


@contextmanager
def keyed_connection(path: Path, key: DataKey) -> Iterator[Any]:
    """A connection to ``path`` keyed with ``key`` (SQLCipher's log kept off stderr)."""
    connection = sqlcipher.connect(str(path), isolation_level=None)
    try:
        connection.execute("PRAGMA cipher_log_level = NONE")
        connection.execute(key.sqlcipher_pragma())
        yield connection
    finally:
        connection.close()


def check_copy(path: Path, key: DataKey) -> None:
    """Refuse a copy that does not open with ``key`` or fails ``PRAGMA integrity_check``."""
    with keyed_connection(path, key) as connection:
        try:
            rows = connection.execute("PRAGMA integrity_check").fetchall()
        except sqlcipher.DatabaseError as error:
            raise UserError(
                f"数据库副本无法用密钥打开（{error}）。数据库文件可能已损坏，备份或恢复没有完成。"
            ) from error
    problems = [str(row[0]) for row in rows if row[0] != "ok"]
    if problems:
        raise UserError(
            f"数据库副本的完整性检查发现 {len(problems)} 处问题（如：{problems[0][:200]}），"
            "备份或恢复没有完成。请先处理数据库的损坏（启动程序时会提示从备份恢复）。"
        )

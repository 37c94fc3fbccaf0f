"""``python main.py hq …`` run as documented: init, enroll, devices, revoke, stats, the data
folder rule of serve/import/export, the port and the certificate pin ``hq serve`` prints."""

# ruff: noqa: F811  (pytest fixtures imported from tests.hq.hq_admin_support)

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import re
import ssl
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID

from fuanjian_desktop.errors import UserError
from fuanjian_desktop.hq.certificate import certificate_pin
from fuanjian_desktop.hq.cli import DATA_DIR_ENV, data_folder, port_number
from fuanjian_desktop.hq.database import HqDatabase
from tests.hq.hq_admin_support import add_device, hq, hq_sqlite_url  # noqa: F401
from tests.test_main_cli import run

CODE_LINE = re.compile(r"^[2-9A-HJKMNP-Z]{4}(-[2-9A-HJKMNP-Z]{4}){3}$")


def hq_command(*args: str) -> subprocess.CompletedProcess[str]:
    """``main.py hq …`` in a child process."""
    return run("hq", *args)


def test_init_then_enroll_prints_the_code_last(tmp_path: Path):
    """init on an empty SQLite file, then enroll: the code alone on the last line."""
    url = f"sqlite:///{tmp_path / 'hq.db'}"
    init = hq_command("init", "--db", url)
    assert init.returncode == 0, init.stderr
    assert init.stdout.splitlines()[0] == "区局数据库已就绪。"
    assert "机构：新增 11 个" in init.stdout
    enroll = hq_command("enroll", "--db", url, "--squad", "园岭")
    assert enroll.returncode == 0, enroll.stderr
    assert CODE_LINE.match(enroll.stdout.splitlines()[-1])
    assert "72 小时" in enroll.stdout


def test_commands_before_init_say_so(tmp_path: Path):
    """A database never initialised: the Chinese hint to run hq init, exit 1."""
    result = hq_command("devices", "--db", f"sqlite:///{tmp_path / 'none.db'}")
    assert result.returncode == 1
    assert "请先运行 python main.py hq init" in result.stderr


def test_devices_and_revoke(hq_sqlite_url: str, hq: HqDatabase):
    """devices lists the laptop under the Chinese header; revoke stops it; again: exit 1."""
    device = add_device(hq, "园岭", "园岭一号机")
    hq.close()  # the child process opens the file itself
    listed = hq_command("devices", "--db", hq_sqlite_url)
    assert listed.returncode == 0, listed.stderr
    header, line = listed.stdout.splitlines()
    assert header.split("\t") == ["设备", "中队", "名称", "登记时间", "最后联系", "状态"]
    assert line.split("\t")[:3] == [device, "园岭", "园岭一号机"]
    assert line.split("\t")[-1] == "正常"
    revoked = hq_command("revoke", "--db", hq_sqlite_url, device, "--reason", "电脑遗失")
    assert revoked.returncode == 0 and "已停用设备“园岭一号机”" in revoked.stdout
    again = hq_command("revoke", "--db", hq_sqlite_url, device)
    assert again.returncode == 1 and "已于" in again.stderr


def test_stats_lines_and_unknown_squad(hq_sqlite_url: str):
    """An empty HQ counts zero in the laptop's 名称: 数值 lines; an unknown squad exits 2."""
    result = hq_command("stats", "--db", hq_sqlite_url, "--year", "2026", "--squad", "园岭")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "立案: 0" and "检查企业: 0" in lines
    assert all(re.fullmatch(r"\S+: 0(\.00)?", line) for line in lines), lines
    unknown = hq_command("stats", "--db", hq_sqlite_url, "--year", "2026", "--squad", "东门")
    assert unknown.returncode == 2 and "没有名为“东门”的中队" in unknown.stderr


def namespace(db: str, data_dir: Path | None = None) -> argparse.Namespace:
    """The parsed options data_folder reads."""
    return argparse.Namespace(db=db, data_dir=data_dir)


def test_data_folder_rule(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """--data-dir, else the environment, else beside a SQLite file; PostgreSQL must be told."""
    monkeypatch.delenv(DATA_DIR_ENV, raising=False)
    pg = "postgresql+psycopg://fj@localhost/hq"
    assert data_folder(namespace(pg, tmp_path / "given")) == tmp_path / "given"
    assert data_folder(namespace(f"sqlite:///{tmp_path}/hq.db")) == tmp_path / "hq-data"
    with pytest.raises(UserError, match="--data-dir"):
        data_folder(namespace(pg))
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "env"))
    assert data_folder(namespace(pg)) == tmp_path / "env"


def test_port_must_be_a_tcp_port():
    """--port takes 1–65535; anything else is a usage error in Chinese, not a traceback."""
    assert port_number("8765") == 8765
    for wrong in ("0", "65536", "80000", "http"):
        with pytest.raises(argparse.ArgumentTypeError, match="1–65535"):
            port_number(wrong)


def test_certificate_pin_is_the_sha256_of_its_der(tmp_path: Path):
    """The printed pin is what the laptop compares: SHA-256 of the certificate's DER bytes."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "hq.example")])
    moment = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(moment)
        .not_valid_after(moment + dt.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    pem = certificate.public_bytes(Encoding.PEM).decode("ascii")
    (tmp_path / "hq.crt").write_text(pem, encoding="ascii")
    expected = hashlib.sha256(ssl.PEM_cert_to_DER_cert(pem)).hexdigest()
    assert certificate_pin(tmp_path / "hq.crt") == expected
    (tmp_path / "bad.crt").write_text("not a certificate", encoding="ascii")
    with pytest.raises(UserError, match="PEM"):
        certificate_pin(tmp_path / "bad.crt")

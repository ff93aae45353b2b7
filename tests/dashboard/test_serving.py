"""`jixiao dashboard` binds to this machine unless a password guards a network-wide dashboard."""

from __future__ import annotations

import subprocess

import pytest

from etl import cli


def test_sharing_on_the_network_requires_a_password(monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    started: list[list[str]] = []
    monkeypatch.setattr(subprocess, "call", lambda cmd, **kw: started.append(cmd) or 0)
    monkeypatch.delenv("JIXIAO_PASSWORD", raising=False)
    assert cli.main(["dashboard", "--host", "0.0.0.0"]) == 2
    assert "JIXIAO_PASSWORD" in capsys.readouterr().err and started == []


def test_the_default_binds_to_localhost_and_a_password_opens_the_network(
        monkeypatch: pytest.MonkeyPatch, dash_db: object) -> None:
    started: list[list[str]] = []
    monkeypatch.setattr(subprocess, "call", lambda cmd, **kw: started.append(cmd) or 0)
    monkeypatch.delenv("JIXIAO_PASSWORD", raising=False)
    assert cli.main(["dashboard", "--db", str(dash_db)]) == 0
    assert started[-1][started[-1].index("--server.address") + 1] == "127.0.0.1"
    monkeypatch.setenv("JIXIAO_PASSWORD", "x")
    assert cli.main(["dashboard", "--db", str(dash_db), "--host", "0.0.0.0"]) == 0
    assert started[-1][started[-1].index("--server.address") + 1] == "0.0.0.0"

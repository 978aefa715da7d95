"""The secrets file's forwarding of rotated refresh tokens, and its lock between processes."""

from __future__ import annotations

import multiprocessing
import stat

from core.secrets import forget_secret, read_secrets, secrets_path, store_secret


def test_a_rotated_token_leads_to_the_current_one(tmp_path, monkeypatch):
    from core.secrets import store_rotation, successor

    monkeypatch.setenv("SYNCDECK_CONFIG_DIR", str(tmp_path))
    store_secret("xero.refresh_token", "rt-1")
    store_rotation("xero.refresh_token", "rt-1", "rt-2")
    store_rotation("xero.refresh_token", "rt-2", "rt-3")
    assert successor("rt-1") == successor("rt-2") == "rt-3"
    assert successor("rt-3") is None and successor("unknown") is None
    assert read_secrets() == {"xero.refresh_token": "rt-3"}  # the forwarding table is apart
    assert stat.S_IMODE(secrets_path().stat().st_mode) == 0o600
    text = secrets_path().read_text()
    assert "rt-1" not in text and "rt-2" not in text  # only their SHA-256


def test_a_rotated_away_token_is_never_stored_back(tmp_path, monkeypatch):
    from core.secrets import store_rotation, successor

    monkeypatch.setenv("SYNCDECK_CONFIG_DIR", str(tmp_path))
    store_rotation("xero.refresh_token", "rt-1", "rt-2")
    assert store_secret("xero.refresh_token", "rt-1") == "secret:xero.refresh_token"
    assert read_secrets()["xero.refresh_token"] == "rt-2"
    store_secret("xero.refresh_token", "fresh")  # a reconnect with a new token is kept
    assert read_secrets()["xero.refresh_token"] == "fresh"
    forget_secret("xero.refresh_token")
    assert read_secrets() == {} and successor("rt-1") is None


def _writer(folder: str, prefix: str, n: int) -> None:
    import os

    os.environ["SYNCDECK_CONFIG_DIR"] = folder
    for i in range(n):
        store_secret(f"{prefix}.k{i}", "v")


def test_two_processes_writing_at_once_lose_nothing(tmp_path):
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(tmp_path), p, 40)) for p in ("a", "b")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0]
    assert len(read_secrets(tmp_path / "secrets.toml")) == 80

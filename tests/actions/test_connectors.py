"""connectors test / reconnect / disconnect and services enable / disable, with refusals."""

from __future__ import annotations

import json

from ops_helpers import config_text, make_store, query, sandbox

from core.cli import main
from core.sandbox import Faults

BEARER = 'auth = { type = "bearer", token = "env:CRM_TOKEN" }'


def test_connection_ok_is_stored(tmp_path, capsys) -> None:
    with sandbox(3) as sb:
        db = make_store(tmp_path, config_text(sb))
        assert main(["connectors", "test", "crm", "--db", str(db)]) == 0
        assert "crm: connected (HTTP 200" in capsys.readouterr().out
        status, tested = query(db, "SELECT status, tested_at FROM connectors WHERE name='crm'")[0]
        assert status == "connected" and tested is not None
        assert sb.crm.requests  # it really asked the CRM (the stream's path)


def test_connection_refused_gives_reason_and_hint(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("CRM_TOKEN", "wrong-token")
    with sandbox(3, Faults(token="right-token")) as sb:
        db = make_store(tmp_path, config_text(sb, crm_auth=BEARER), {"CRM_TOKEN": "x"})
        assert main(["connectors", "test", "crm", "--db", str(db)]) == 1
        err = capsys.readouterr().err
        assert "test is not successful: HTTP 401" in err
        assert "What to do:" in err and "credentials" in err
        assert "wrong-token" not in err
        status, detail = query(db, "SELECT status, status_detail FROM connectors "
                                   "WHERE name='crm'")[0]  # fmt: skip
        assert status == "error" and "401" in detail
        code = query(db, "SELECT code FROM log_events WHERE title LIKE 'Test is not%'")[0][0]
        assert code == "http_401"


def test_unreachable_connector_is_exit_1(tmp_path, capsys) -> None:
    with sandbox(1) as sb:
        text = config_text(sb).replace(sb.erp_url, "http://127.0.0.1:9")
        db = make_store(tmp_path, text)
        assert main(["connectors", "test", "erp", "--db", str(db), "--json"]) == 1
        doc = json.loads(capsys.readouterr().out)
        assert doc["ok"] is False and "could not connect" in doc["reason"] and doc["hint"]


def test_reconnect_changes_secret_refs_only(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("NEW_TOKEN", "n")
    with sandbox(1) as sb:
        db = make_store(tmp_path, config_text(sb, crm_auth=BEARER), {"CRM_TOKEN": "x"})
        before = query(db, "SELECT name, enabled, config_json FROM services")
        assert main(["connectors", "reconnect", "crm", "token=env:NEW_TOKEN", "--db", str(db)]) == 0
        cfg = json.loads(query(db, "SELECT config_json FROM connectors WHERE name='crm'")[0][0])
        assert cfg["auth"]["token"] == "env:NEW_TOKEN"
        assert query(db, "SELECT name, enabled, config_json FROM services") == before
        stored = query(db, "SELECT config_json FROM connectors")
        assert all('"n"' not in r[0] for r in stored)


def test_reconnect_refusals_change_nothing(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.delenv("UNSET_VAR", raising=False)
    with sandbox(1) as sb:
        db = make_store(tmp_path, config_text(sb, crm_auth=BEARER), {"CRM_TOKEN": "x"})
        before = query(db, "SELECT config_json, status FROM connectors")
        for bad, words in (
            (["token=plain-secret"], "is a secret"),
            (["tokn=env:X"], "has no auth key 'tokn'"),
            (["token=env:UNSET_VAR"], "UNSET_VAR is not set"),
            (["token"], "is not KEY=env:NAME"),
        ):
            assert main(["connectors", "reconnect", "crm", *bad, "--db", str(db)]) == 2
            assert words in capsys.readouterr().err
        assert main(["connectors", "reconnect", "nope", "a=env:B", "--db", str(db)]) == 2
        assert query(db, "SELECT config_json, status FROM connectors") == before


def test_disconnect_disables_and_lists_services(tmp_path, capsys) -> None:
    with sandbox(1) as sb:
        db = make_store(tmp_path, config_text(sb, services=("customers", "contacts")))
        assert main(["services", "disable", "contacts", "--db", str(db)]) == 0
        capsys.readouterr()
        assert main(["connectors", "disconnect", "erp", "--db", str(db)]) == 0
        out = capsys.readouterr().out
        assert "Disabled services: customers." in out  # contacts was already off
        assert query(db, "SELECT name, enabled FROM services ORDER BY name") == [
            ("contacts", 0), ("customers", 0)]  # fmt: skip
        assert query(db, "SELECT status FROM connectors WHERE name='erp'")[0][0] == "disconnected"


def test_services_enable_disable_and_unknown(tmp_path, capsys) -> None:
    with sandbox(1) as sb:
        db = make_store(tmp_path, config_text(sb, schedule="*/5 * * * *"))
        assert main(["services", "disable", "customers", "--db", str(db)]) == 0
        assert query(db, "SELECT enabled FROM services")[0][0] == 0
        assert main(["services", "enable", "customers", "--db", str(db)]) == 0
        assert "enabled (schedule */5 * * * *)" in capsys.readouterr().out
        assert query(db, "SELECT enabled FROM services")[0][0] == 1
        assert main(["services", "enable", "nope", "--db", str(db)]) == 2
        assert main(["--read-only", "services", "disable", "customers", "--db", str(db)]) == 2
        assert query(db, "SELECT enabled FROM services")[0][0] == 1

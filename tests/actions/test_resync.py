"""Needs resync (last run failed, partial, interrupted, or a connector reconnected) and resync
of several or all services that need it (`syncdeck status`, `syncdeck resync`)."""

from __future__ import annotations

import json

from ops_helpers import config_text, make_store, query, sandbox

from core.cli import main


def status_of(capsys, db) -> dict[str, dict]:  # noqa: ANN001
    capsys.readouterr()
    assert main(["status", "--db", str(db), "--json"]) == 0
    return {s["service"]: s for s in json.loads(capsys.readouterr().out)}


def test_partial_run_needs_resync_and_resync_all_runs_it_again(
    tmp_path, capsys, monkeypatch
) -> None:
    monkeypatch.setenv("COLUMNS", "160")  # the table fits the terminal: no cut reason here
    with sandbox(12) as sb:
        for c in sb.crm.customers[:2]:
            c["email"] = f"reject{c['id']}@example.com"  # the ERP answers 422
        text = config_text(sb, services=("customers", "others", "idle"), cooldown=0)
        db = make_store(tmp_path, text)
        assert main(["run", "customers", "--db", str(db)]) == 3  # partial
        sb.crm.customers[:2] = []  # the bad records are gone at the source
        assert main(["run", "others", "--db", str(db)]) == 0
        states = status_of(capsys, db)
        assert states["customers"]["state"] == "needs resync"
        assert states["customers"]["reason"] == "last run partial"
        assert states["others"]["state"] == "synced"
        assert states["idle"]["state"] == "never run"
        assert main(["status", "--needs-resync", "--db", str(db)]) == 0
        out = capsys.readouterr().out
        assert "customers" in out and "last run partial" in out and "others" not in out

        assert main(["resync", "--all", "--db", str(db)]) == 0
        out = capsys.readouterr().out
        assert "Run 3 of customers: success" in out
        runs = query(db, "SELECT id, status FROM runs ORDER BY id")
        assert runs == [(1, "partial"), (2, "success"), (3, "success")]  # only customers ran
        assert status_of(capsys, db)["customers"]["state"] == "synced"
        assert main(["resync", "--all", "--db", str(db)]) == 0
        assert "No service needs a resync." in capsys.readouterr().out


def test_reconnected_connector_needs_resync_of_its_services(tmp_path, capsys, monkeypatch) -> None:
    with sandbox(3) as sb:
        db = make_store(tmp_path, config_text(sb, services=("customers",), cooldown=60,
                                              crm_auth='auth = { type = "bearer", '
                                              'token = "env:CRM_T" }'),
                        environ={"CRM_T": "a"})  # fmt: skip
        monkeypatch.setenv("CRM_T", "a")
        assert main(["run", "customers", "--db", str(db)]) == 0
        assert status_of(capsys, db)["customers"]["state"] == "synced"
        monkeypatch.setenv("CRM_T2", "b")
        assert main(["connectors", "reconnect", "crm", "token=env:CRM_T2", "--db", str(db)]) == 0
        state = status_of(capsys, db)["customers"]
        assert (state["state"], state["reason"]) == ("needs resync", "crm reconnected")
        # inside the cooldown the resync is refused (exit 1), --force runs it
        assert main(["resync", "customers", "--db", str(db)]) == 1
        assert "customers: not run: A synchronization was recently" in capsys.readouterr().out
        monkeypatch.setenv("CRM_T2", "b")
        assert main(["resync", "customers", "--force", "--db", str(db)]) == 0
        assert status_of(capsys, db)["customers"]["state"] == "synced"


def test_resync_bad_input(tmp_path, capsys) -> None:
    with sandbox(3) as sb:
        db = make_store(tmp_path, config_text(sb))
        assert main(["resync", "--db", str(db)]) == 2
        assert "Name the services to resync, or give --all" in capsys.readouterr().err
        assert main(["resync", "nope", "--db", str(db)]) == 2
        assert "No service named 'nope'" in capsys.readouterr().err
        assert main(["resync", "--all", "--read-only", "--db", str(db)]) == 2
        assert query(db, "SELECT COUNT(*) FROM runs")[0][0] == 0

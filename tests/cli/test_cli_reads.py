"""Each read command's table, JSON and CSV output, run in-process with main([...])."""

from __future__ import annotations

import csv
import io
import json

import pytest

from core.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def as_json(capsys, *argv: str) -> dict:
    code, out, err = run(capsys, *argv, "--json")
    assert (code, err) == (0, "")
    return json.loads(out)


def as_csv(capsys, *argv: str) -> list[dict[str, str]]:
    code, out, err = run(capsys, *argv, "--csv")
    assert (code, err) == (0, "")
    return list(csv.DictReader(io.StringIO(out)))


@pytest.fixture
def db(seeded_db) -> list[str]:
    return ["--db", str(seeded_db.path)]


def test_runs_table_json_csv(capsys, seeded_db, db) -> None:
    code, out, err = run(capsys, "runs", *db)
    lines = out.splitlines()
    assert code == 0 and err == ""
    assert lines[0].split()[:4] == ["ID", "STARTED", "SERVICE", "TYPE"]
    assert lines[1].split()[0] == str(seeded_db.big_run)  # newest first
    assert len(lines) == 1 + 20 + 1
    assert lines[-1].startswith(f"rows 1-20 of {seeded_db.runs} · next: --after")

    doc = as_json(capsys, "runs", "--limit", "5", *db)
    assert doc["total"] == seeded_db.runs and len(doc["items"]) == 5 and doc["has_next"]
    assert doc["items"][0]["id"] == seeded_db.big_run
    assert doc["items"][0]["started_at"].endswith("Z")
    nxt = as_json(capsys, "runs", "--limit", "5", "--after", str(doc["next_after"]), *db)
    assert nxt["items"][0]["id"] == doc["items"][-1]["id"] - 1 and nxt["has_prev"]
    back = as_json(capsys, "runs", "--limit", "5", "--before", str(nxt["prev_before"]), *db)
    assert [r["id"] for r in back["items"]] == [r["id"] for r in doc["items"]]
    page2 = as_json(capsys, "runs", "--limit", "5", "--page", "2", *db)
    assert page2["items"] == nxt["items"]

    rows = as_csv(capsys, "runs", "--status", "failed,partial", "--limit", "100", *db)
    assert rows and {r["status"] for r in rows} == {"failed", "partial"}
    assert rows[0]["message"].startswith("Customers sync completed")  # full, not cut


def test_runs_filters_and_global_db_position(capsys, seeded_db, db) -> None:
    doc = as_json(capsys, "--db", str(seeded_db.path), "runs", "--service", "hubspot-to-xero")
    assert doc["total"] == seeded_db.runs - seeded_db.runs_svc1
    doc = as_json(capsys, "runs", "--connector", "Xero", "--since", "30d", *db)
    assert doc["total"] == seeded_db.runs - seeded_db.runs_svc1
    doc = as_json(capsys, "runs", "--touching", "C-4711", *db)
    assert [r["id"] for r in doc["items"]] == [seeded_db.big_run]


def test_runs_honours_syncdeck_db(capsys, seeded_db, monkeypatch) -> None:
    monkeypatch.setenv("SYNCDECK_DB", str(seeded_db.path))
    doc = as_json(capsys, "runs", "--limit", "1")
    assert doc["total"] == seeded_db.runs


def test_empty_result_is_a_message_not_an_error(capsys, db) -> None:
    code, out, err = run(capsys, "runs", "--status", "cancelled", *db)
    assert (code, out, err) == (0, "No runs match.\n", "")
    assert as_json(capsys, "runs", "--status", "cancelled", *db)["items"] == []
    code, out, _ = run(capsys, "runs", "--status", "cancelled", "--csv", *db)
    assert code == 0 and out.startswith("id,service_id,service,") and out.count("\n") == 1


def test_steps_instances_entities_calls(capsys, seeded_db, db) -> None:
    s = seeded_db
    code, out, _ = run(capsys, "steps", str(s.big_run), *db)
    assert code == 0 and ["contacts" in out, "companies" in out, "invoices" in out] == [True] * 3
    assert [r["stream"] for r in as_csv(capsys, "steps", str(s.big_run), *db)] == [
        "contacts", "companies", "invoices"
    ]  # fmt: skip

    doc = as_json(capsys, "instances", str(s.big_step), *db)
    assert [i["page"] for i in doc["items"]] == [1, 2, 3, 4]
    code, out, _ = run(capsys, "instances", str(s.big_step), *db)
    assert "https://cw.example" in out and "HEADROOM" in out
    code, out, _ = run(capsys, "instances", str(s.empty_step), *db)
    assert (code, out) == (0, f"Step {s.empty_step} has no pages.\n")

    rows = as_csv(capsys, "entities", str(s.big_step), "--action", "fail", "--limit", "1000", *db)
    assert len(rows) == s.entity_actions["fail"]
    assert {r["reason"] for r in rows} == {
        "Agreement with ID 123 does not belong to company with ID 456."
    }
    doc = as_json(capsys, "entities", str(s.big_step), "--status", "skipped", "--limit", "7", *db)
    assert doc["total"] == s.entity_actions["skip"] and len(doc["items"]) == 7
    code, out, _ = run(capsys, "entities", str(s.big_step), "--id", "C-4701", *db)
    assert "HS-901" in out and out.count("\n") == 3

    doc = as_json(capsys, "calls", "--entity", str(s.entity_with_calls), *db)
    assert [c["attempt"] for c in doc["items"]] == [1, 2]
    assert doc["items"][0]["request_body"] == '{"email": "a@example.com"}'
    code, out, _ = run(capsys, "calls", "--instance", str(s.big_instance), *db)
    assert code == 0 and "GET" in out and "ConnectWise" in out
    rows = as_csv(capsys, "calls", "--entity", str(s.entity_with_calls), *db)
    assert rows[0]["params"] == "{}" and rows[0]["status_code"] == "201"


def test_logs_table_cleans_untrusted_text(capsys, seeded_db, db) -> None:
    code, out, _ = run(capsys, "logs", "--limit", "3", *db)
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out
    assert "red text" in out  # the escape codes are gone, the words stay
    rows = as_csv(capsys, "logs", "--limit", "1", *db)
    assert rows[0]["details"] == "red text"
    doc = as_json(capsys, "logs", "--limit", "1", *db)
    assert doc["items"][0]["details"].startswith("\x1b[31m")  # JSON keeps it, escaped


def test_logs_filters(capsys, seeded_db, db) -> None:
    s = seeded_db
    assert as_json(capsys, "logs", "--level", "error", *db)["total"] == s.log_levels["ERROR"]
    both = as_json(capsys, "logs", "--level", "ERROR,WARNING", *db)["total"]
    assert both == s.log_levels["ERROR"] + s.log_levels["WARNING"]
    assert as_json(capsys, "logs", "--kind", "milestone", *db)["total"] == s.log_levels["INFO"]
    assert as_json(capsys, "logs", "--connector", "ConnectWise", *db)["total"] == 50
    assert as_json(capsys, "logs", "--service", "cw-to-hubspot", *db)["total"] == s.logs
    assert as_json(capsys, "logs", "--run", str(s.big_run), *db)["total"] == s.logs
    assert (
        as_json(capsys, "logs", "--search", "not mapped", *db)["total"] == s.log_levels["WARNING"]
    )
    assert as_json(capsys, "logs", "--since", "1h", *db)["total"] == 0
    assert as_json(capsys, "logs", "--since", "30d", *db)["total"] == s.logs
    code, out, _ = run(capsys, "logs", "--search", "zzz-nothing", *db)
    assert (code, out) == (0, "No log events match.\n")


def test_long_values_are_cut_in_tables_only(capsys, seeded_db, db, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = run(capsys, "logs", "--limit", "5", *db)
    assert code == 0 and "…" in out
    assert max(len(line) for line in out.splitlines()[:-1]) <= 80
    rows = as_csv(capsys, "logs", "--limit", "5", *db)
    assert all("…" not in r["title"] for r in rows)


def test_search(capsys, seeded_db, db) -> None:
    s = seeded_db
    code, out, _ = run(capsys, "search", "C-4701", *db)
    assert code == 0 and "contacts" in out and "HS-901" in out
    doc = as_json(capsys, "search", "HS-901", *db)
    assert [(h["run_id"], h["step_id"], h["external_id"]) for h in doc["items"]] == [
        (s.big_run, s.big_step, "C-4701")
    ]
    rows = as_csv(capsys, "search", "C-4702", *db)
    assert rows[0]["action"] == "skip" and rows[0]["reason"]


def test_stats(capsys, seeded_db, db) -> None:
    s = seeded_db
    code, out, _ = run(capsys, "stats", *db)
    assert code == 0
    assert f"Total logs 30d: {s.logs}" in out and f"Errors 30d: {s.log_levels['ERROR']}" in out
    assert "ConnectWise" in out and "Xero" in out and "LAST SYNCED" in out
    doc = as_json(capsys, "stats", *db)
    assert doc["overall"]["total"] == s.logs
    assert {c["connector"] for c in doc["connectors"]} == {"ConnectWise", "HubSpot", "Xero"}
    rows = as_csv(capsys, "stats", *db)
    assert [r["connector"] for r in rows] == ["(all)", "ConnectWise", "HubSpot", "Xero"]
    assert rows[0]["warnings"] == str(s.log_levels["WARNING"])
    assert rows[0]["last_update"].endswith("Z") and rows[1]["last_update"].endswith("Z")

"""`--failed` on runs, steps, instances, entities, calls and logs: the CLI twin of the console's
`f` (failed only at every level)."""

from __future__ import annotations

import json

from core.cli import main


def doc(capsys, *argv: str) -> dict:
    code = main([*argv, "--json"])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    return json.loads(out)


def test_failed_at_every_level(capsys, seeded_db) -> None:
    db = ["--db", str(seeded_db.path)]
    runs = doc(capsys, "runs", "--failed", "--limit", "100", *db)
    assert {r["status"] for r in runs["items"]} == {"failed", "partial"}
    assert runs["total"] == 18  # 9 failed + 9 partial of the 45 finished runs
    assert doc(capsys, "runs", *db)["total"] == 46
    steps = doc(capsys, "steps", str(seeded_db.big_run), "--failed", *db)
    assert steps["total"] == 0  # its steps record no failed count (a running run)
    entities = doc(capsys, "entities", str(seeded_db.big_step), "--failed", "--limit", "5", *db)
    assert entities["total"] == seeded_db.entity_actions["fail"]
    assert {e["status"] for e in entities["items"]} == {"failed"}
    assert entities["has_next"]  # keyset paged like every list
    pages = doc(capsys, "instances", str(seeded_db.big_step), "--failed", *db)
    assert pages["total"] == seeded_db.instances  # every page holds a failed entity
    calls = doc(capsys, "calls", "--instance", str(seeded_db.big_instance), "--failed", *db)
    assert calls["total"] == 0  # the pull answered 200
    logs = doc(capsys, "logs", "--failed", "--limit", "100", *db)
    assert logs["total"] == doc(capsys, "logs", "--level", "ERROR", *db)["total"] > 0
    assert {e["level"] for e in logs["items"]} == {"ERROR"}


def test_failed_contradicting_a_filter_is_bad_input(capsys, seeded_db) -> None:
    db = ["--db", str(seeded_db.path)]
    assert main(["entities", str(seeded_db.big_step), "--failed", "--status", "success", *db]) == 2
    assert "--failed and --status say different things" in capsys.readouterr().err
    assert main(["logs", "--failed", "--level", "INFO", *db]) == 2
    assert "--failed and --level say different things" in capsys.readouterr().err

"""Service filters (Patchworks): declared in the service TOML, applied by the engine before
mapping; each record a filter rejects is one skipped entity with the filter as its reason, so
every pulled record still ends created / updated / skipped / failed. Bad filters are refused
at import with the accepted forms."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ops_helpers import config_text, make_store, query, sandbox, write_config

from core.cli import main

FILTERS = 'filters = ["status = active", "updated_at within 24h"]'


def test_filtered_records_are_skipped_with_the_filter_as_reason(tmp_path, capsys) -> None:
    with sandbox(12) as sb:
        recent = (datetime.now(UTC) - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
        for c in sb.crm.customers:
            c["status"] = "active" if c["id"] % 2 == 0 else "inactive"
            c["updated_at"] = recent if c["id"] <= 8 else "2020-01-01T00:00:00Z"
        db = make_store(tmp_path, config_text(sb, extra_service=FILTERS))
        assert main(["run", "customers", "--full", "--db", str(db)]) == 0
        assert sb.erp.creates == 4  # ids 2, 4, 6, 8: active and updated in the last 24h
        pulled, created, skipped, failed = query(
            db, "SELECT pulled, created, skipped, failed FROM runs WHERE id = 1"
        )[0]
        assert (pulled, created, skipped, failed) == (12, 4, 8, 0)
        rows = dict(query(db, "SELECT external_id, reason FROM entities WHERE action = 'skip'"))
        assert set(rows) == {"1", "3", "5", "7", "9", "10", "11", "12"}
        assert rows["3"] == ("filtered out by the service filter 'status = active' "
                             "(status is 'inactive')")  # fmt: skip
        assert rows["10"].startswith("filtered out by the service filter 'updated_at within 24h'")
        assert query(db, "SELECT COUNT(*) FROM entities")[0][0] == 12  # each pulled record once


def test_bad_filter_refused_at_import(tmp_path, capsys) -> None:
    with sandbox(1) as sb:
        path = write_config(tmp_path, config_text(sb, extra_service='filters = ["status"]'))
        assert main(["config", "validate", str(path)]) == 2
        err = capsys.readouterr().err
        assert "'status' is not a filter" in err and "status = active" in err
        path = write_config(tmp_path, config_text(sb, extra_service='filters = ["t within soon"]'))
        assert main(["config", "import", str(path), "--db", str(tmp_path / "x.db")]) == 2
        assert "within takes a span such as 30m, 24h or 7d" in capsys.readouterr().err


def test_cli_shows_sets_and_clears_filters(tmp_path, capsys) -> None:
    with sandbox(1) as sb:
        db = ["--db", str(make_store(tmp_path, config_text(sb)))]
        assert main(["services", "filters", "customers", *db]) == 0
        assert "takes every source record (no filters)" in capsys.readouterr().out
        assert main(["services", "filters", "customers", "--set",
                     "status = active;  updated_at within 24h", *db]) == 0  # fmt: skip
        out = capsys.readouterr().out
        assert "where: status = active; updated_at within 24h." in out
        assert main(["services", "filters", "customers", "--set", "status", *db]) == 2
        assert "filters: 'status' is not a filter" in capsys.readouterr().err
        assert main(["services", "filters", "customers", "--json", *db]) == 0
        assert '"status = active"' in capsys.readouterr().out  # the bad --set changed nothing
        assert main(["services", "filters", "customers", "--clear", *db]) == 0
        assert "no filters" in capsys.readouterr().out
        assert main(["services", "filters", "customers", "--set", "a = b", "--read-only",
                     *db]) == 2  # fmt: skip

"""`syncdeck db migrate`: the seeded SQLite store (with its configuration) copied into a fresh
PostgreSQL database reads the same on both; refusals are one line, exit 2, nothing written."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from pathlib import Path

import pytest
from history_kit import Seeded

from core.cli import main
from core.store import IdMapRow, open_store
from core.store.migrate import TableCount, migrate_store

FAR = 10**10  # compress every payload: compressed bodies must arrive as they are


async def _add_config(path: Path) -> int:
    """Configuration the seeded history lacks; returns the id of a deleted service."""
    async with await open_store(path) as st:
        svc = await st.service_id("cw-to-hubspot")
        await st.set_value_mappings(svc, "status", [("Open", "open", "mapped"),
                                                    ("Lost", None, "unmapped")])  # fmt: skip
        pending = IdMapRow(svc, "contacts", "C-4701", None, None, pending=True)
        await st.put_id_map([IdMapRow(svc, "contacts", "C-4700", "hs-1", "h1"), pending])
        await st.set_stream_state(svc, "contacts", "2026-11-01T00:00:00Z")
        await st.save_config_file("[connectors]\n", "syncdeck.toml")
        await st.push_undo("edit", {"x": 1}, svc)
        cw = await st.connector_id("ConnectWise")
        gone = await st.upsert_service("to-delete", source_id=cw, destination_id=cw)
        await st.delete_service("to-delete")
        assert await st.compress_payloads(FAR) > 0
        return gone


async def _reads(location: str, s: Seeded) -> dict[str, object]:
    async with await open_store(location, create=False) as st:
        svc = await st.service_id("cw-to-hubspot")
        entity = await st.get_entity(s.entity_with_calls)
        return {
            "runs": (await st.list_runs(limit=500)).items,
            "failed runs": (await st.list_runs(failed=True, limit=500)).items,
            "steps": (await st.list_steps(s.big_run, limit=500)).items,
            "instances": (await st.list_instances(s.big_step, limit=500)).items,
            "entities": (await st.list_entities(s.big_step, limit=500)).items,
            "failed entities": (await st.list_entities(s.big_step, status="failed")).items,
            "entity": entity,
            "calls": (await st.list_calls(entity_id=s.entity_with_calls)).items,
            "payload": await st.get_call(s.payload_call),
            "logs": (await st.list_logs(limit=500)).items,
            "errors": (await st.list_logs(level="ERROR", limit=500)).items,
            "log search": (await st.list_logs(text="mapped", limit=500)).items,
            "tiles": await st.tiles(),
            "search": (await st.search_id(entity.external_id, limit=500)).items,
            "connectors": await st.list_connectors(),
            "services": await st.list_services(),
            "value mappings": await st.list_value_mappings(svc, "status"),
            "id map": await st.get_id_map(svc, "contacts", ["C-4700", "C-4701"]),
            "cursor": await st.get_stream_state(svc, "contacts"),
            "config file": await st.latest_config_file(),
            "undo": await st.last_undo(),
        }


def _pg_rows(url: str) -> int:
    async def go() -> int:
        async with await open_store(url, create=False) as st:
            return sum(int(v) for v in dict((await st.info())["rows"]).values())  # type: ignore[call-overload]

    return asyncio.run(go())


def test_migrate_copies_history_and_configuration(seeded_db: Seeded, pg_cluster, capsys) -> None:
    gone = asyncio.run(_add_config(seeded_db.path))
    url = asyncio.run(pg_cluster.create_database(pg_cluster.next_name("mig")))  # not migrated
    src = f"sqlite://{seeded_db.path.resolve()}"
    capsys.readouterr()
    assert main(["db", "migrate", "--from", src, "--to", url]) == 0
    out = capsys.readouterr().out
    assert "TABLE" in out and "SOURCE ROWS" in out and "COPIED ROWS" in out, out
    assert "counts match" in out and "Note: run(s) 46 were running" in out, out

    src_conn = sqlite3.connect(seeded_db.path)
    for line in out.splitlines()[1:16]:  # 15 tables
        table, source_rows, copied = line.split()
        n = src_conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        assert int(source_rows) == int(copied) == n, line
    compressed = src_conn.execute("SELECT COUNT(*) FROM payloads WHERE compressed = 1").fetchone()
    src_conn.close()
    assert compressed[0] > 0

    before, after = (
        asyncio.run(_reads(str(seeded_db.path), seeded_db)),
        asyncio.run(_reads(url, seeded_db)),
    )
    for key, value in before.items():
        assert after[key] == value, key
    assert before["payload"].response_body  # type: ignore[attr-defined]

    async def new_ids() -> tuple[int, int, int]:
        async with await open_store(url) as st:
            cw = await st.connector_id("ConnectWise")
            svc = await st.upsert_service("new", source_id=cw, destination_id=cw)
            run = await st.start_run(svc, sync_type="full", trigger="manual")
            return svc, run, max(r.id for r in before["runs"])  # type: ignore[attr-defined]

    svc, run, top = asyncio.run(new_ids())
    assert svc > gone  # a deleted service's id is not given again, as on SQLite
    assert run == top + 1

    # a second migration into the same (now full) database is refused, nothing written
    rows = _pg_rows(url)
    assert main(["db", "migrate", "--from", str(seeded_db.path), "--to", url]) == 2
    err = capsys.readouterr().err
    assert "already holds data" in err and err.count("\n") == 1 and "Traceback" not in err
    assert _pg_rows(url) == rows


def _empty(url: str) -> bool:
    return _pg_rows(url) == 0


def test_dry_run_prints_counts_and_writes_nothing(seeded_db: Seeded, pg_location, capsys) -> None:
    capsys.readouterr()
    assert main(["db", "migrate", "--from", str(seeded_db.path), "--to", pg_location,
                 "--dry-run", "--json"]) == 0  # fmt: skip
    import json

    doc = json.loads(capsys.readouterr().out)
    assert doc["dry_run"] is True
    runs = [t for t in doc["tables"] if t["table"] == "runs"][0]
    assert runs == {"table": "runs", "source_rows": seeded_db.runs, "copied_rows": None}
    assert _empty(pg_location)


def _older(path: Path, version: int) -> Path:
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize(
    "case, words",
    [
        ("missing", "No store file"),
        ("not sqlite", "not a syncdeck store"),
        ("other sqlite", "not a syncdeck store"),
        ("older", "older schema"),
        ("newer", "newer syncdeck"),
        ("pg source", "copies from an SQLite store"),
        ("odd scheme", "neither a path nor"),
        ("to sqlite", "not a postgresql:// URL"),
        ("unreachable", "Cannot reach PostgreSQL"),
        ("no database", "has no database"),
        ("foreign tables", "already holds tables"),
    ],
)
def test_refusals_are_one_line_exit_2_nothing_written(
    case: str, words: str, seeded_db: Seeded, pg_location: str, tmp_path: Path, capsys
) -> None:
    source, to = str(seeded_db.path), pg_location
    if case == "missing":
        source = str(tmp_path / "nope.db")
    elif case == "not sqlite":
        source = str(tmp_path / "notes.txt")
        Path(source).write_text("hello\n" * 100)
    elif case == "other sqlite":
        source = str(tmp_path / "other.db")
        sqlite3.connect(source).execute("CREATE TABLE t (x)").connection.close()
    elif case in ("older", "newer"):
        _older(seeded_db.path, 3 if case == "older" else 99)
    elif case == "pg source":
        source = pg_location
    elif case == "odd scheme":
        source = "mysql://x/y"
    elif case == "to sqlite":
        to = str(tmp_path / "dest.db")
    elif case == "unreachable":
        to = "postgresql://postgres@127.0.0.1:1/syncdeck"
    elif case == "no database":
        to = pg_location.rsplit("/", 1)[0] + "/no_such_db_here"
    elif case == "foreign tables":
        pg_location = to = asyncio.run(_foreign(pg_location))
    capsys.readouterr()
    assert main(["db", "migrate", "--from", source, "--to", to]) == 2
    err = capsys.readouterr().err
    assert words in err, err
    assert err.count("\n") == 1 and "Traceback" not in err
    if case == "foreign tables":
        assert asyncio.run(_foreign_only(to))
    else:
        assert _empty(pg_location)
    if case == "to sqlite":
        assert not Path(to).exists()


async def _foreign(url: str) -> str:
    """Another application's database (a table, no syncdeck schema) on the same cluster."""
    import asyncpg

    base, name = url.rsplit("/", 1)
    other = f"{name}_foreign"
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(f"DROP DATABASE IF EXISTS {other}")
        await conn.execute(f"CREATE DATABASE {other}")
    finally:
        await conn.close()
    conn = await asyncpg.connect(f"{base}/{other}")
    try:
        await conn.execute("CREATE TABLE invoices (id int)")
    finally:
        await conn.close()
    return f"{base}/{other}"


async def _foreign_only(url: str) -> bool:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        tables = await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        return [r[0] for r in tables] == ["invoices"]
    finally:
        await conn.close()


async def test_batches_smaller_than_a_table_copy_everything(seeded_db: Seeded, pg_location):
    counts = (await migrate_store(str(seeded_db.path), pg_location, batch=7)).tables
    assert all(isinstance(c, TableCount) and c.copied_rows == c.source_rows for c in counts)
    assert {c.table for c in counts if c.source_rows > 7} >= {"entities", "log_events"}


def test_source_is_never_written(seeded_db: Seeded, pg_location: str) -> None:
    before = seeded_db.path.read_bytes()
    shutil.copyfile(seeded_db.path, seeded_db.path.with_suffix(".bak"))
    assert main(["db", "migrate", "--from", str(seeded_db.path), "--to", pg_location]) == 0
    assert seeded_db.path.read_bytes() == before


async def test_a_count_mismatch_keeps_nothing(seeded_db: Seeded, pg_location, monkeypatch):
    """The counts are checked inside the copy's transaction: a mismatch rolls every row back."""
    from core.errors import StoreError
    from core.store.postgres.copy_in import PgDestination

    real = PgDestination.count

    async def short(self, table: str) -> int:
        n = await real(self, table)
        return n - 1 if table == "entities" else n

    monkeypatch.setattr(PgDestination, "count", short)
    n = seeded_db.entities
    with pytest.raises(StoreError, match=f"entities {n} -> {n - 1}.*nothing was kept"):
        await migrate_store(str(seeded_db.path), pg_location)
    monkeypatch.undo()
    assert await asyncio.to_thread(_empty, pg_location)


async def test_text_with_a_nul_still_moves(seeded_db: Seeded, pg_location) -> None:
    """PostgreSQL text cannot hold NUL; SQLite's can. The row moves with U+FFFD in its place."""
    conn = sqlite3.connect(seeded_db.path)
    conn.execute("UPDATE entities SET reason = ? WHERE id = 1", ("bad\x00byte",))
    conn.commit()
    conn.close()
    report = await migrate_store(str(seeded_db.path), pg_location)
    assert all(c.copied_rows == c.source_rows for c in report.tables)
    async with await open_store(pg_location, create=False) as st:
        assert (await st.get_entity(1)).reason == "bad\ufffdbyte"

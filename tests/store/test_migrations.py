"""A file written with the first schema upgrades in place to the latest, keeping every row."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from core.store import LATEST, open_store
from core.store.sqlite.db import _statements
from core.store.sqlite.schema import MIGRATIONS
from core.timeutil import now

DAY = 86400


def _build_v1(path: Path, ref: float) -> dict[str, list[tuple]]:
    """Run only MIGRATIONS[0], then insert rows into every table as version 1 knew them."""
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in _statements(MIGRATIONS[0]):
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    rows: dict[str, list[tuple]] = {
        "connectors": [
            (1, "ConnectWise", "connectwise", "https://cw.example", "connected", "", ref, 1, "{}"),
            (2, "HubSpot", "hubspot", "https://api.hubapi.com", "untested", "", None, 1, "{}"),
        ],
        "services": [(1, "cw-to-hubspot", 1, 2, "0 * * * *", 1, 60, 1, "{}")],
        "runs": [
            (
                1,
                1,
                "full",
                "manual",
                "success",
                ref - 3 * DAY,
                ref - 3 * DAY + 5,
                4,
                4,
                3,
                1,
                0,
                0,
                0,
                "Customers sync completed: 3 created, 1 updated.",
                None,
                1,
                "h",
                None,
                0,
            ),
            (
                2,
                1,
                "update",
                "schedule",
                "failed",
                ref - DAY,
                ref - DAY + 9,
                1,
                0,
                0,
                0,
                0,
                1,
                1,
                "Authentication failed.",
                None,
                1,
                "h",
                None,
                0,
            ),
        ],  # fmt: skip
        "steps": [
            (1, 1, "contacts", "success", ref - 3 * DAY, ref - 3 * DAY + 5, 4, 3, 1, 0, 0, 0, "")
        ],  # fmt: skip
        "instances": [
            (
                1,
                1,
                1,
                1,
                "GET",
                "https://cw.example/contacts?page=1",
                None,
                4,
                1,
                0.5,
                200,
                120,
                ref - 3 * DAY,
            )
        ],  # fmt: skip
        "entities": [
            (1, 1, 1, 1, "C-4711", "HS-9", "create", "success", "", ref - 3 * DAY),
            (
                2,
                1,
                1,
                1,
                "C-4712",
                None,
                "fail",
                "failed",
                "Agreement with ID 123 does not belong to company with ID 456.",
                ref - 3 * DAY,
            ),
        ],  # fmt: skip
        "api_calls": [
            (
                1,
                1,
                1,
                None,
                1,
                2,
                "POST",
                "https://api.hubapi.com/crm/v3/objects",
                "{}",
                201,
                80,
                1,
                "",
                ref - 3 * DAY,
                "{}",
                "{}",
            )
        ],  # fmt: skip
        "payloads": [(1, ref - 3 * DAY, '{"email": "ä@example.com"}', '{"id": "HS-9"}')],
        "log_events": [
            (
                1,
                ref - 3 * DAY,
                "INFO",
                "milestone",
                "Customers sync completed: 3 created.",
                "",
                1,
                1,
                1,
                None,
                None,
                None,
            ),
            (
                2,
                ref - DAY,
                "ERROR",
                "event",
                "Agreement with ID 123 does not belong to company with ID 456.",
                "company 456",
                1,
                1,
                2,
                None,
                None,
                "agreement_company",
            ),
            (
                3,
                ref - 2 * DAY,
                "WARNING",
                "event",
                "One or more invoice line customers are not mapped.",
                "",
                2,
                1,
                2,
                None,
                None,
                None,
            ),
        ],  # fmt: skip
        "id_map": [(1, "contacts", "C-4711", "HS-9", "abc", 0, ref)],
        "stream_state": [(1, "contacts", "2026-11-20T00:00:00Z", ref)],
        "config_files": [(1, ref, "/etc/syncdeck.toml", "[connectors]\n")],
    }
    for table, values in rows.items():
        marks = ",".join("?" * len(values[0]))
        conn.executemany(f"INSERT INTO {table} VALUES ({marks})", values)
    conn.close()
    return rows


def _dump(path: Path, table: str, columns: int) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        found = conn.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
    except sqlite3.OperationalError:  # WITHOUT ROWID tables
        found = conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2, 3").fetchall()
    conn.close()
    return [tuple(r[:columns]) for r in found]


async def test_v1_file_upgrades_in_place_without_losing_a_row(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    ref = now()
    rows = _build_v1(path, ref)

    async with await open_store(path, create=False) as store:
        assert await store.schema_version() == LATEST == len(MIGRATIONS)
        # Every v1 row survived, column for column (later migrations only add columns).
        for table, values in rows.items():
            assert _dump(path, table, len(values[0])) == values, table

        # Rows written before the upgrade are searchable and counted.
        page = await store.list_logs(text="does not belong")
        assert [e.id for e in page.items] == [2]
        assert (await store.list_logs(text="45")).total == 1  # short text: LIKE fallback
        tiles = await store.tiles()
        assert (tiles.total, tiles.errors, tiles.warnings) == (3, 1, 1)
        per = {t.connector: t for t in await store.connector_tiles()}
        assert (per["ConnectWise"].total, per["HubSpot"].warnings) == (2, 1)

        # Old payloads read back, then compress in place and still read back the same.
        assert (await store.get_call(1)).request_body == '{"email": "ä@example.com"}'
        assert await store.compress_payloads(ref) == 1
        call = await store.get_call(1)
        assert (call.request_body, call.response_body) == (
            '{"email": "ä@example.com"}',
            '{"id": "HS-9"}',
        )

        # The search by id and the drill-down work on migrated rows.
        hits = await store.search_id("HS-9")
        assert [(h.run_id, h.entity_id) for h in hits.items] == [(1, 1)]
        assert [r.id for r in (await store.list_runs(status="failed")).items] == [2]

        # Tables added by later migrations exist and take writes.
        await store.set_value_mappings(1, "terms", [("Net 30", "30", "mapped")])
        assert len(await store.list_value_mappings(1, "terms")) == 1

        # New log events after the upgrade are indexed by the triggers too.
        from core.store import Batch, LogRow

        late = LogRow(ts=now(), level="ERROR", kind="event", title="Token expired", connector_id=2)
        await store.write_batch(Batch(logs=[late]))
        assert (await store.list_logs(text="expired")).total == 1
        assert (await store.tiles()).errors == 2


async def test_reopening_a_latest_store_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "latest.db"
    async with await open_store(path) as store:
        await store.upsert_connector("A")
    async with await open_store(path, create=False) as store:
        assert await store.schema_version() == LATEST
        assert [c.name for c in await store.list_connectors()] == ["A"]


async def test_each_migration_step_from_every_older_version(tmp_path: Path) -> None:
    """A file left at any intermediate version (v1..LATEST-1) upgrades too."""
    for start in range(1, LATEST):
        path = tmp_path / f"v{start}.db"
        conn = sqlite3.connect(path, isolation_level=None)
        for script in MIGRATIONS[:start]:
            for statement in _statements(script):
                conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {start}")
        conn.execute("INSERT INTO connectors (name) VALUES ('kept')")
        conn.close()
        async with await open_store(path, create=False) as store:
            assert await store.schema_version() == LATEST
            assert [c.name for c in await store.list_connectors()] == ["kept"]

"""Shared fixtures. Keep this file small and additive: add fixtures, do not change existing ones.

- `store`: an empty, migrated store (async), once per backend: SQLite in tmp_path, and a fresh
  database in a throwaway PostgreSQL cluster (tests/pg_cluster.py) that the session starts on
  a loopback port the first time a postgres test needs it.
- `pg_location`: a fresh PostgreSQL store URL, for PostgreSQL-only tests.
- `store_location`: where such a store lives (a path or a postgresql:// URL), once per backend,
  for tests that open stores themselves (the engine's, the facade's).
- `seeded_db`: a path to a copy of a small, deterministic SQLite store (see `build_history`),
  for sync tests such as the CLI's (which runs its own event loop).
- `seeded_store`: that history opened (async), once per backend (the PostgreSQL copy holds the
  same rows, ids and times, so `seeded_db`'s figures hold for both).

PostgreSQL binaries missing: the postgres params FAIL (they never skip). SYNCDECK_TEST_BACKENDS
(e.g. "sqlite") narrows the backends for a quick local run.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from pg_cluster import Cluster, missing_binaries

from core.store import Batch, CallRow, Counts, EntityRow, LogRow, Store, open_store
from core.store.postgres.schema import LATEST as LATEST_PG
from core.timeutil import now

BACKENDS = [b for b in os.environ.get("SYNCDECK_TEST_BACKENDS", "sqlite,postgres").split(",") if b]

HOUR = 3600
DAY = 86400


@dataclass
class Seeded:
    """What build_history wrote: ids and counts that tests can assert on."""

    path: Path
    reference: float
    runs: int = 0
    runs_svc1: int = 0
    failed_runs: int = 0
    big_run: int = 0
    big_step: int = 0
    empty_step: int = 0
    big_instance: int = 0
    instances: int = 0
    entities: int = 0
    entity_actions: dict[str, int] = field(default_factory=dict)
    entity_with_calls: int = 0
    logs: int = 0
    log_levels: dict[str, int] = field(default_factory=dict)
    payload_call: int = 0


ACTIONS = [
    ("create", "success", ""),
    ("update", "success", ""),
    ("skip", "skipped", "Payload unchanged since the last sync."),
    ("fail", "failed", "Agreement with ID 123 does not belong to company with ID 456."),
]


async def build_history(store: Store, path: Path) -> Seeded:
    """3 connectors, 2 services, 45 runs over 20 days; one big run with 3 steps (one empty),
    4 pages, 60 entities with 2 calls each, and 100 log events (one holding escape codes)."""
    ref = now()
    s = Seeded(path=path, reference=ref)
    cw = await store.upsert_connector("ConnectWise", base_url="https://cw.example/v4_6_release")
    hs = await store.upsert_connector("HubSpot", base_url="https://api.hubapi.com")
    xero = await store.upsert_connector("Xero", base_url="https://api.xero.com")
    svc1 = await store.upsert_service("cw-to-hubspot", source_id=cw, destination_id=hs)
    svc2 = await store.upsert_service("hubspot-to-xero", source_id=hs, destination_id=xero)
    statuses = ["success", "success", "partial", "failed", "success"]
    for i in range(45):
        svc = svc1 if i < 40 else svc2
        status = statuses[i % len(statuses)]
        started = ref - 20 * DAY + i * 10 * HOUR
        rid = await store.start_run(svc, sync_type="update", trigger="schedule", started_at=started)
        await store.update_run(
            rid, status=status, finished_at=started + 60, pulled=10, created=3, updated=2,
            message=f"Customers sync completed: 3 created, 2 updated. Run {i}.",
        )  # fmt: skip
        s.runs += 1
        s.runs_svc1 += svc == svc1
        s.failed_runs += status == "failed"
    s.big_run = rid = await store.start_run(
        svc1, sync_type="full", trigger="manual", started_at=ref - 2 * HOUR
    )
    s.runs += 1
    s.runs_svc1 += 1
    s.big_step = step = await store.start_step(rid, "contacts", started_at=ref - 2 * HOUR)
    await store.start_step(rid, "companies", started_at=ref - 2 * HOUR)
    s.empty_step = await store.start_step(rid, "invoices", started_at=ref - 2 * HOUR)
    n = 0
    for page in range(1, 5):
        iid = await store.add_instance(
            step, rid, page=page, method="GET",
            url=f"https://cw.example/v4_6_release/company/contacts?page={page}",
            started_at=ref - 2 * HOUR + page,
        )  # fmt: skip
        await store.update_instance(iid, records=15, status_code=200, duration_ms=120)
        s.instances += 1
        if page == 1:
            s.big_instance = iid
        entities = []
        for k in range(15):
            action, status, reason = ACTIONS[n % 4]
            ext = f"C-{4700 + n}"
            calls = [
                CallRow(
                    run_id=rid, step_id=step, instance_id=None, connector_id=hs, method="POST",
                    url="https://api.hubapi.com/crm/v3/objects/contacts", status_code=201,
                    duration_ms=80, started_at=ref - 2 * HOUR + page + k / 100, attempt=a,
                    request_body='{"email": "a@example.com"}' if n == 0 else None,
                    response_body='{"id": "901", "ok": true}' if n == 0 else None,
                )
                for a in (1, 2)
            ]  # fmt: skip
            entities.append(
                EntityRow(
                    step_id=step,
                    run_id=rid,
                    instance_id=iid,
                    external_id=ext,
                    internal_id=f"HS-{900 + n}" if action != "fail" else None,
                    action=action,
                    status=status,
                    reason=reason,
                    created_at=ref - 2 * HOUR + page + k / 100,
                    calls=calls,
                )  # fmt: skip
            )
            s.entity_actions[action] = s.entity_actions.get(action, 0) + 1
            n += 1
        pull = CallRow(
            run_id=rid, step_id=step, instance_id=iid, connector_id=cw, method="GET",
            url=f"https://cw.example/v4_6_release/company/contacts?page={page}",
            status_code=200, duration_ms=120, started_at=ref - 2 * HOUR + page,
        )  # fmt: skip
        ids = await store.write_batch(
            Batch(
                entities=entities,
                calls=[pull],
                run_id=rid,
                run_counts=Counts(pulled=15),
                step_id=step,
                step_counts=Counts(processed=15),
            )  # fmt: skip
        )
        s.entities += len(ids)
        if page == 1:
            s.entity_with_calls = ids[0]
    s.payload_call = int(await store._scalar("SELECT MIN(call_id) FROM payloads"))
    levels = ["INFO", "INFO", "WARNING", "ERROR"]
    logs = []
    for i in range(100):
        level = levels[i % 4]
        title = {
            "INFO": "Customers sync completed: 12 created, 3 updated, 1 failed. Duration: 5321ms.",
            "WARNING": "One or more invoice line customers are not mapped.",
            "ERROR": "Agreement with ID 123 does not belong to company with ID 456.",
        }[level]
        logs.append(
            LogRow(
                ts=ref - 19 * DAY + i * 4 * HOUR,
                level=level,
                kind="milestone" if level == "INFO" else "event",
                title=title,
                details="\x1b[31mred\x1b]52;c;aGk=\x07 text" if i == 99 else f"event {i}",
                connector_id=cw if i % 2 == 0 else hs,
                service_id=svc1,
                run_id=rid,
            )  # fmt: skip
        )
        s.log_levels[level] = s.log_levels.get(level, 0) + 1
    await store.write_batch(Batch(logs=logs))
    s.logs = len(logs)
    return s


def run_async(fn, *args):
    """asyncio.run(fn(*args)) on a thread of its own: session fixtures are first asked for
    from inside a test's running event loop."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(fn(*args))).result()


@pytest.fixture(scope="session")
def pg_cluster():
    """One PostgreSQL cluster for the session (about 1 s to start), stopped at the end."""
    missing = missing_binaries()
    if missing:
        pytest.fail(
            f"PostgreSQL binaries missing ({', '.join(missing)}): install postgresql-15 "
            "(apt-get install -y postgresql-15; .ci/run does) or set SYNCDECK_TEST_BACKENDS=sqlite"
        )
    with Cluster() as cluster:
        yield cluster


@pytest.fixture(scope="session")
def pg_template(pg_cluster: Cluster) -> str:
    """A migrated, empty database that each test's database is copied from."""
    name = "tpl_empty"

    async def build() -> None:
        url = await pg_cluster.create_database(name)
        st = await open_store(url)
        await st.close()

    run_async(build)
    return name


async def _pg_database(request: pytest.FixtureRequest, template: str) -> str:
    cluster: Cluster = request.getfixturevalue("pg_cluster")
    name = cluster.next_name()
    url = await cluster.create_database(name, template)
    request.addfinalizer(lambda: run_async(cluster.drop_database, name))
    return url


_EMPTY_FREE: list[str] = []  # emptied databases of the session, ready for the next test


async def _empty_again(cluster: Cluster, name: str) -> None:
    """Empty every table but the schema version, ids back to 1: a fresh store again for
    the next test, in a fraction of CREATE + DROP DATABASE's time. A database a test left
    busy or changed is dropped instead."""
    import asyncpg

    conn = await asyncpg.connect(cluster.url(name))
    try:
        await conn.execute("SET lock_timeout = '2s'")
        version = await conn.fetchval("SELECT MAX(version) FROM syncdeck_schema")
        tables = [r[0] for r in await conn.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
            "AND tablename != 'syncdeck_schema'")]  # fmt: skip
        async with conn.transaction():  # DELETE: tiny tables, no new files (TRUNCATE made them)
            for table in sorted(tables, key=lambda t: t == "log_counts"):  # counters last
                await conn.execute(f"DELETE FROM {table}")
            await conn.execute(
                "SELECT setval(pg_get_serial_sequence(table_name, column_name), 1, false) "
                "FROM information_schema.columns WHERE table_schema = 'public' "
                "AND is_identity = 'YES'"
            )
        if version == LATEST_PG:
            _EMPTY_FREE.append(name)
            return
    except (asyncpg.PostgresError, OSError):
        pass
    finally:
        await conn.close()
    await cluster.drop_database(name)


async def _empty_pg_database(request: pytest.FixtureRequest) -> str:
    """A fresh, migrated, empty PostgreSQL store for this test (reused after a TRUNCATE)."""
    cluster: Cluster = request.getfixturevalue("pg_cluster")
    template = request.getfixturevalue("pg_template")
    if _EMPTY_FREE:
        name = _EMPTY_FREE.pop()
    else:
        name = cluster.next_name("empty")
        await cluster.create_database(name, template)
    request.addfinalizer(lambda: run_async(_empty_again, cluster, name))
    return cluster.url(name)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
async def store_location(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    if backend == "sqlite":
        return str(tmp_path / "store.db")
    return await _empty_pg_database(request)


@pytest.fixture
async def pg_location(request: pytest.FixtureRequest) -> str:
    """A fresh, migrated PostgreSQL store's URL (for PostgreSQL-only tests)."""
    return await _empty_pg_database(request)


@pytest.fixture
async def store(store_location: str):
    st = await open_store(store_location)
    yield st
    await st.close()


@pytest.fixture(scope="session")
def _seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Seeded:
    path = tmp_path_factory.mktemp("seeded") / "template.db"

    async def build() -> Seeded:
        async with await open_store(path) as st:
            return await build_history(st, path)

    return asyncio.run(build())


@pytest.fixture
def seeded_db(_seeded_template: Seeded, tmp_path: Path) -> Seeded:
    """A fresh copy of the seeded store for this test (tests may prune or write)."""
    path = tmp_path / "seeded.db"
    shutil.copyfile(_seeded_template.path, path)
    copy = Seeded(**{**_seeded_template.__dict__, "path": path})
    return copy


async def copy_sqlite_to_postgres(path: Path, url: str) -> None:
    """Every row of an SQLite store into a migrated PostgreSQL one (same ids and times); the
    daily log counters are rebuilt by the PostgreSQL triggers."""
    import asyncpg

    skip = {"log_counts", "sqlite_sequence"}
    src = sqlite3.connect(path)
    conn = await asyncpg.connect(url)
    try:
        tables = [
            r[0]
            for r in src.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if r[0] not in skip and not r[0].startswith("log_fts")
        ]
        for table in tables:
            cur = src.execute(f"SELECT * FROM {table}")
            cols = [d[0] for d in cur.description]
            found = [
                tuple(v.encode() if table == "payloads" and isinstance(v, str) else v for v in r)
                for r in cur
            ]
            if found:
                await conn.copy_records_to_table(table, records=found, columns=cols)
            if "id" in cols:
                await conn.execute(
                    f"SELECT setval('{table}_id_seq', (SELECT COALESCE(MAX(id), 1) FROM {table}))"
                )
    finally:
        src.close()
        await conn.close()


@pytest.fixture(scope="session")
def _pg_seeded_template(pg_cluster: Cluster, pg_template: str, _seeded_template: Seeded) -> str:
    name = "tpl_seeded"

    async def build() -> None:
        url = await pg_cluster.create_database(name, pg_template)
        await copy_sqlite_to_postgres(_seeded_template.path, url)

    run_async(build)
    return name


@pytest.fixture
async def seeded_store(backend: str, seeded_db: Seeded, request: pytest.FixtureRequest):
    if backend == "sqlite":
        st = await open_store(seeded_db.path, create=False)
    else:
        url = await _pg_database(request, request.getfixturevalue("_pg_seeded_template"))
        st = await open_store(url, create=False)
    yield st
    await st.close()

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
from pathlib import Path

import pytest
from history_kit import Seeded, build_history
from pg_cluster import Cluster, missing_binaries

from core.store import open_store
from core.store.postgres.schema import LATEST as LATEST_PG

# pytest-xdist's workers are given COLUMNS=80; the CLI's tables would then be cut narrower than
# in a plain run (or CI, which has no terminal: 120). Every process sees the same width.
os.environ.pop("COLUMNS", None)
os.environ.pop("LINES", None)

BACKENDS = [b for b in os.environ.get("SYNCDECK_TEST_BACKENDS", "sqlite,postgres").split(",") if b]


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

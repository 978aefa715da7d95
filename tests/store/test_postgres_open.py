"""Opening a PostgreSQL store: every bad URL, password, database or right is one clear line
with what to do (exit 2 from the CLI), and nothing is half-written."""

from __future__ import annotations

import os
import subprocess
import sys

import asyncpg
import pytest
from pg_cluster import PASSWORD_ROLE, Cluster

from core.errors import StoreError
from core.store import open_store
from core.store.postgres.schema import LATEST


async def _fresh(pg_cluster: Cluster) -> tuple[str, str]:
    name = pg_cluster.next_name("open")
    return name, await pg_cluster.create_database(name)


async def _tables(url: str) -> list[str]:
    conn = await asyncpg.connect(url)
    try:
        found = await conn.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
        )
        return [r[0] for r in found]
    finally:
        await conn.close()


async def _refused(url: str, *, create: bool = True) -> str:
    with pytest.raises(StoreError) as caught:
        st = await open_store(url, create=create)
        await st.close()
    text = str(caught.value)
    assert "\n" not in text and "Traceback" not in text
    return text


async def test_unreachable_server(pg_cluster: Cluster) -> None:
    text = await _refused("postgresql://someone:s3cret@127.0.0.1:1/db")
    assert "Cannot reach PostgreSQL at 127.0.0.1:1" in text and "server is running" in text
    assert "s3cret" not in text


async def test_unknown_host() -> None:
    text = await _refused("postgresql://someone@no-such-host.invalid/db")
    assert "no-such-host.invalid" in text and "Check the host" in text


async def test_not_a_url_at_all() -> None:
    text = await _refused("postgresql://someone@127.0.0.1:notaport/db")
    assert "postgresql://USER:PASSWORD@HOST:PORT/DATABASE" in text


async def test_wrong_password(pg_cluster: Cluster) -> None:
    name, url = await _fresh(pg_cluster)
    conn = await asyncpg.connect(url)
    await conn.execute(f"CREATE ROLE {PASSWORD_ROLE} LOGIN PASSWORD 'right'")
    await conn.close()
    try:
        bad = f"postgresql://{PASSWORD_ROLE}:wrong@127.0.0.1:{pg_cluster.port}/{name}"
        text = await _refused(bad)
        assert f"refused the password for user {PASSWORD_ROLE}" in text and "wrong" not in text
        assert await _tables(url) == []
    finally:
        conn = await asyncpg.connect(url)
        await conn.execute(f"DROP ROLE {PASSWORD_ROLE}")
        await conn.close()


async def test_missing_database(pg_cluster: Cluster) -> None:
    text = await _refused(pg_cluster.url("no_such_db"))
    assert "has no database no_such_db" in text and "createdb" in text


async def test_read_command_on_an_empty_database_creates_nothing(pg_cluster: Cluster) -> None:
    _, url = await _fresh(pg_cluster)
    text = await _refused(url, create=False)
    assert "No syncdeck store in" in text and "syncdeck config import" in text
    assert await _tables(url) == []


async def test_a_newer_schema_is_refused_untouched(pg_cluster: Cluster) -> None:
    _, url = await _fresh(pg_cluster)
    await (await open_store(url)).close()
    conn = await asyncpg.connect(url)
    await conn.execute("INSERT INTO syncdeck_schema (version) VALUES ($1)", LATEST + 5)
    await conn.close()
    text = await _refused(url)
    assert f"newer syncdeck (schema {LATEST + 5}; this one knows {LATEST})" in text
    conn = await asyncpg.connect(url)
    assert await conn.fetchval("SELECT MAX(version) FROM syncdeck_schema") == LATEST + 5
    await conn.close()


async def test_someone_elses_database_is_refused(pg_cluster: Cluster) -> None:
    _, url = await _fresh(pg_cluster)
    conn = await asyncpg.connect(url)
    await conn.execute("CREATE TABLE runs (id int)")
    await conn.close()
    text = await _refused(url)
    assert "no syncdeck store" in text and "database of its own" in text
    assert await _tables(url) == ["runs"]


async def test_missing_pg_trgm_without_the_right_to_create_it(pg_cluster: Cluster) -> None:
    name, url = await _fresh(pg_cluster)
    conn = await asyncpg.connect(url)
    await conn.execute("CREATE ROLE lowly LOGIN")
    await conn.close()
    try:
        text = await _refused(pg_cluster.url(name, user="lowly"))
        assert "pg_trgm extension is not enabled" in text
        assert f"CREATE EXTENSION pg_trgm;` in {name}" in text
        assert await _tables(url) == []
    finally:
        conn = await asyncpg.connect(url)
        await conn.execute("DROP ROLE lowly")
        await conn.close()


async def test_two_workers_migrating_at_once_migrate_once(pg_cluster: Cluster) -> None:
    import asyncio

    _, url = await _fresh(pg_cluster)
    stores = await asyncio.gather(*(open_store(url) for _ in range(4)))
    for st in stores:
        assert await st.schema_version() == LATEST
        await st.close()


def test_cli_says_one_line_and_exits_2(pg_cluster: Cluster) -> None:
    url = "postgresql://someone:s3cret@127.0.0.1:1/db"
    for env_db, args in ((None, ["runs", "--db", url]), (url, ["runs"])):
        env = {**os.environ, "SYNCDECK_DB": env_db} if env_db else dict(os.environ)
        done = subprocess.run(
            [sys.executable, "-m", "core.cli", *args], capture_output=True, text=True,
            env=env, timeout=60, check=False,
        )  # fmt: skip
        assert done.returncode == 2, done.stderr
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and "Cannot reach PostgreSQL" in lines[0], done.stderr
        assert "s3cret" not in done.stderr + done.stdout


async def test_read_only_writes_nothing_even_when_the_role_could(pg_location: str) -> None:
    from core.errors import UserError

    st = await open_store(pg_location, read_only=True)
    try:
        assert (await st.list_runs()).total == 0
        with pytest.raises((UserError, asyncpg.ReadOnlySQLTransactionError)):
            await st.upsert_connector("crm")
    finally:
        await st.close()
    st = await open_store(pg_location)
    try:
        assert await st.list_connectors() == []
    finally:
        await st.close()


async def test_read_only_never_creates_a_store(pg_cluster: Cluster) -> None:
    _, url = await _fresh(pg_cluster)
    with pytest.raises(StoreError, match="No syncdeck store in"):
        await open_store(url, read_only=True)
    assert await _tables(url) == []


async def test_a_password_never_appears_even_in_the_drivers_words() -> None:
    # asyncpg quotes some parameter values in its errors (gsslib here): the password's text
    # is masked wherever it shows up.
    for url in ("postgresql://bob:s3cret@[::1/db", "postgresql://bob:s3cret@127.0.0.1:99999/db",
                "postgresql://bob:s3cret@127.0.0.1:1/db?krbsrvname=x&gsslib=s3cret"):  # fmt: skip
        text = await _refused(url)
        assert "s3cret" not in text, text

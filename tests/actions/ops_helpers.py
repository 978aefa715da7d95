"""Shared by tests/actions and tests/worker: the sandbox CRM and ERP on loopback, a config for
them, a store with it imported, and a way to run the real `syncdeck` in a subprocess."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from core.config_io import import_file
from core.sandbox import CrmState, ErpState, Faults, Served, crm_app, erp_app, make_customers
from core.store import open_store

ROOT = Path(__file__).resolve().parents[2]


def customers(n: int) -> list[dict]:
    out = make_customers(n, messy=False)
    for c in out:  # distinct, increasing timestamps so an incremental cursor moves
        i = c["id"]
        c["updated_at"] = f"2026-01-01T{i // 3600:02d}:{i // 60 % 60:02d}:{i % 60:02d}Z"
    return out


@dataclass
class Sandbox:
    crm: CrmState
    erp: ErpState
    crm_url: str
    erp_url: str


@contextmanager
def sandbox(n: int = 40, crm_faults: Faults | None = None) -> Iterator[Sandbox]:
    crm = CrmState(customers(n), crm_faults)
    erp = ErpState()
    with Served(crm_app(crm)) as c, Served(erp_app(erp)) as e:
        yield Sandbox(crm, erp, c.url, e.url)


PAGINATOR = 'paginator = { type = "page_number", page_param = "_page", base_page = 1, ' + (
    'total_path = "pages" }'
)
PUSH = (
    'push = { create = "POST /accounts", update = "PATCH /accounts/{id}", '
    'find = "GET /accounts?source_id={key}", find_selector = "data", id_path = "id" }'
)


def config_text(
    sb: Sandbox,
    *,
    services: tuple[str, ...] = ("customers",),
    cooldown: int = 60,
    schedule: str | None = None,
    per_page: int = 10,
    crm_auth: str = "",
    extra_service: str = "",
) -> str:
    head = f"""
[connectors.crm]
base_url = "{sb.crm_url}"
{crm_auth}

[connectors.erp]
base_url = "{sb.erp_url}"
rate_limit = {{ concurrency = 4 }}
"""
    body = ""
    pull = (
        f'pull = {{ path = "/customers", params = {{ _per_page = {per_page} }}, '
        f'data_selector = "data", {PAGINATOR} }}'
    )
    for name in services:
        sched = f'schedule = "{schedule}"' if schedule else ""
        body += f"""
[services.{name}]
source = "crm"
destination = "erp"
cooldown_minutes = {cooldown}
{sched}
{extra_service}

[[services.{name}.streams]]
name = "customers"
key = "id"
incremental = {{ cursor_path = "updated_at", start_param = "updated_since" }}
{pull}
{PUSH}

[services.{name}.streams.fields]
name = {{ from = "company.name", transforms = ["trim"] }}
email = {{ from = "email", transforms = ["lower"], required = true }}
source_id = {{ from = "id", transforms = ["string"] }}
"""
    return head + body


def write_config(tmp: Path, text: str) -> Path:
    path = tmp / "sync.toml"
    path.write_text(text)
    return path


def make_store(
    tmp: Path, text: str, environ: dict[str, str] | None = None, location: str | None = None
) -> Path | str:
    """The config imported into a new store: `location` (a path or a postgresql:// URL, e.g.
    the `store_location` fixture), or store.db in `tmp`."""
    db: Path | str = location or tmp / "store.db"

    async def go() -> None:
        store = await open_store(db, create=True)
        try:
            await import_file(store, write_config(tmp, text), environ or {})
        finally:
            await store.close()

    asyncio.run(go())
    return db


def syncdeck(*args: str, env: dict[str, str] | None = None, **kw: object) -> subprocess.Popen:
    full_env = {**os.environ, **(env or {}), "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "core.cli", *args], cwd=ROOT, env=full_env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw,  # type: ignore[arg-type]
    )  # fmt: skip


def query(db: Path | str, sql: str, params: tuple = ()) -> list[tuple]:
    """Rows of `sql` (`?` placeholders) read straight from the store, on either backend."""
    if isinstance(db, str) and db.startswith("postgresql://"):
        return asyncio.run(_pg_query(db, sql, params))
    conn = sqlite3.connect(db, timeout=10)
    try:
        return list(conn.execute(sql, params).fetchall())
    finally:
        conn.close()


async def _pg_query(url: str, sql: str, params: tuple) -> list[tuple]:
    import asyncpg

    from core.store.postgres.base import pg_sql

    conn = await asyncpg.connect(url)
    try:
        return [tuple(r) for r in await conn.fetch(pg_sql(sql), *params)]
    finally:
        await conn.close()

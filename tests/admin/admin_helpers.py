# ruff: noqa: E501
"""A store with two connectors and a service whose stream maps fields and uses a lookup, plus
samples of a pulled page (shared by tests/admin and the console's admin screen tests)."""

from __future__ import annotations

from pathlib import Path

from core.config import parse_config
from core.config_io import apply
from core.store import open_store

CONFIG = """
[connectors.crm]
base_url = "{crm}"

[connectors.erp]
base_url = "{erp}"
{erp_extra}

[services.customers]
source = "crm"
destination = "erp"
schedule = "*/15 * * * *"
cooldown_minutes = 60

[[services.customers.streams]]
name = "customers"
key = "id"
pull = {{ path = "/customers", params = {{ _per_page = 10 }}, data_selector = "data", paginator = {{ type = "page_number", page_param = "_page", base_page = 1, total_path = "pages" }} }}
push = {{ create = "POST /accounts", update = "PATCH /accounts/{{id}}", find = "GET /accounts?source_id={{key}}", find_selector = "data", id_path = "id" }}

[services.customers.streams.fields]
name = {{ from = "company.name", transforms = ["trim"] }}
email = {{ from = "email", transforms = ["lower"], required = true }}
plan = {{ from = "plan", lookup = "plans", default = "basic" }}

[services.customers.lookups.plans]
gold = "P-GOLD"
"""

SAMPLES = [
    {"id": 1, "company": {"name": "  Acme Ltd "}, "email": "Ann@Acme.COM", "plan": "gold"},
    {"id": 2, "company": {"name": "Beta"}, "email": "bob@beta.io", "plan": "silver"},
    {"id": 3, "company": {"name": "Gamma"}, "email": "cy@gamma.io", "plan": "bronze"},
]


def config_text(crm: str = "http://127.0.0.1:9", erp: str = "http://127.0.0.1:9",
                erp_extra: str = "") -> str:  # fmt: skip
    return CONFIG.format(crm=crm, erp=erp, erp_extra=erp_extra)


async def build_admin_store(path: str | Path, **urls: str) -> None:
    store = await open_store(path, create=True)
    try:
        text = config_text(**urls)
        await apply(store, parse_config(text), text, "test")
        sid = await store.service_id("customers")
        await store.record_samples(sid, "customers", SAMPLES)
    finally:
        await store.close()


async def add_history(path: str | Path, now: float) -> None:
    """A finished run 25 minutes before `now`, a connector test result and some log events
    (for screenshots and snapshots)."""
    from core.store import LogRow

    store = await open_store(path, create=False)
    try:
        sid = await store.service_id("customers")
        crm = await store.connector_id("crm")
        erp = await store.connector_id("erp")
        run = await store.start_run(sid, sync_type="full", trigger="manual", started_at=now - 1500)
        await store.update_run(run, status="partial", finished_at=now - 1490, pulled=40,
                               pushed=37, created=30, updated=7, skipped=2, failed=1)  # fmt: skip
        await store.set_connector_status(crm, "connected", "HTTP 200 in 84ms", tested_at=now - 90)
        await store.set_connector_status(erp, "error", "HTTP 401", tested_at=now - 60)
        rows = [
            LogRow(ts=now - 1500 + i * 60, level=lvl, kind="event", title=f"event {i}",
                   connector_id=crm if i % 2 else erp, service_id=sid, run_id=run)
            for i, lvl in enumerate(["INFO", "INFO", "WARNING", "ERROR", "INFO", "ERROR"])
        ]  # fmt: skip
        for r in rows:
            await store.add_log(r)
    finally:
        await store.close()

"""A sync config against the fault API (source and destination on its two routes), a store with
it imported, and a run of it."""

from __future__ import annotations

import json
from pathlib import Path

from fault_api import FaultState

from core.config_io import import_file
from core.engine.runner import RunResult, run_service
from core.store import Store, open_store

TOKEN = "fault-api-secret-token"
TENANT = "fault-api-tenant-key"
ENV = {"FAULT_TOKEN": TOKEN, "FAULT_TENANT": TENANT}


def config_text(
    state: FaultState,
    *,
    kind: str = "page_number",
    paginator: dict | None = None,
    push: str = "",
    src_extra: str = "",
    dst_extra: str = "",
    path: str = "",
) -> str:
    push = push or 'push = { create = "POST /dst/records", id_path = "id" }'
    state.paginator = paginator or dict(PAGINATORS[kind])
    pull = f'path = "{path or "/src/items"}", data_selector = "data"'
    return f"""
[connectors.src]
base_url = "{state.urls["own"]}"
auth = {{ type = "bearer", token = "env:FAULT_TOKEN" }}
headers = {{ "X-Tenant-Key" = "env:FAULT_TENANT", "X-Client" = "syncdeck" }}
retry = {{ attempts = 3, backoff_base = 0, backoff_max = 0 }}
{src_extra}

[connectors.dst]
base_url = "{state.urls["own"]}"
timeout = 0.5
retry = {{ attempts = 3, backoff_base = 0, backoff_max = 0 }}
{dst_extra}

[services.sync]
source = "src"
destination = "dst"
cooldown_minutes = 0

[[services.sync.streams]]
name = "items"
key = "id"
pull = {{ {pull}, paginator = {_inline(state.paginator)} }}
{push}

[services.sync.streams.fields]
name = {{ from = "name" }}
source_id = {{ from = "id", transforms = ["string"] }}
"""


PAGINATORS: dict[str, dict] = {
    "page_number": {"type": "page_number", "page_param": "page", "total_path": "pages"},
    "offset": {"type": "offset", "limit": 5, "total_path": "total"},
    "cursor": {"type": "cursor", "cursor_path": "next", "cursor_param": "cursor"},
    "json_link": {"type": "json_link", "next_url_path": "next_url"},
    "header_link": {"type": "header_link"},
    "single_page": {"type": "single_page"},
}


def _inline(d: dict) -> str:
    return "{ " + ", ".join(f"{k} = {json.dumps(v)}" for k, v in d.items()) + " }"


class Stores:
    """Stores opened by a test, closed at its end (the `stores` fixture: once per backend)."""

    def __init__(self, tmp_path: Path, location: str | None = None) -> None:
        self.tmp_path = tmp_path
        self.location = location or str(tmp_path / "s.db")
        self.opened: list[Store] = []

    async def make(self, text: str) -> Store:
        """The store at `location` (the same each time) with `text` imported."""
        cfg = self.tmp_path / "sync.toml"
        cfg.write_text(text)
        store = await open_store(self.location)
        self.opened.append(store)
        await import_file(store, cfg, ENV)
        return store

    async def close(self) -> None:
        while self.opened:
            await self.opened.pop().close()


async def run(store: Store) -> RunResult:
    return await run_service(store, "sync", environ=ENV)

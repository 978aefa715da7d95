"""The store interface: what the engine, the facade and the CLI may call.

Every backend (sqlite/ today; postgres/ for the fleet) implements this Protocol; nothing outside
core/store/ touches SQL or a driver. Keyset pages are `Page`; engine rows are `core.store.records`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

from ..models import (
    ApiCall,
    Connector,
    ConnectorTiles,
    Entity,
    LogEvent,
    Run,
    SearchHit,
    Service,
    Step,
    StepInstance,
    Tiles,
    ValueMapping,
    Worker,
)
from .page import Page
from .records import Batch, CallRow, Claim, IdMapRow, LogRow, PruneReport


@runtime_checkable
class Store(Protocol):
    """One store, whatever holds it. `location` is what the user named (a path or a URL)."""

    @property
    def location(self) -> str: ...

    # True where a commit by any process is announced (PostgreSQL's NOTIFY): a console may wait
    # for `wait_for_change` instead of its timer. SQLite polls, so its consoles keep the timer.
    pushes_changes: bool

    async def __aenter__(self) -> Store: ...

    async def __aexit__(self, *exc: object) -> None: ...

    # ---- lifetime and facts --------------------------------------------------------------
    async def close(self) -> None: ...
    async def info(self) -> dict[str, object]: ...
    async def schema_version(self) -> int: ...

    # ---- drill-down reads ----------------------------------------------------------------
    async def connector_id(self, name: str) -> int: ...
    async def data_version(self) -> int: ...
    async def get_call(self, call_id: int) -> ApiCall: ...
    async def get_connector(self, name: str) -> Connector: ...
    async def get_entity(self, entity_id: int) -> Entity: ...
    async def get_instance(self, instance_id: int) -> StepInstance: ...
    async def get_run(self, run_id: int) -> Run: ...
    async def get_service(self, name: str) -> Service: ...
    async def get_step(self, step_id: int) -> Step: ...
    async def last_synced_by_connector(self) -> dict[int, float]: ...
    async def reconnected_at(self) -> dict[str, float]: ...
    async def list_calls(
        self,
        *,
        instance_id: int | None = None,
        entity_id: int | None = None,
        limit: int = 50,
        after: int | None = None,
        before: int | None = None,
        text: str | None = None,
        failed: bool = False,
    ) -> Page[ApiCall]: ...
    async def list_connectors(self) -> list[Connector]: ...
    async def list_entities(
        self,
        step_id: int,
        *,
        action: str | None = None,
        status: str | None = None,
        external_id: str | None = None,
        instance_id: int | None = None,
        limit: int = 50,
        after: int | None = None,
        before: int | None = None,
    ) -> Page[Entity]: ...
    async def list_instances(
        self,
        step_id: int,
        *,
        limit: int = 50,
        after: int | None = None,
        before: int | None = None,
        text: str | None = None,
        failed: bool = False,
    ) -> Page[StepInstance]: ...
    async def list_runs(
        self,
        *,
        connector: str | None = None,
        service: str | None = None,
        status: str | Sequence[str] | None = None,
        since: float | None = None,
        until: float | None = None,
        touching: str | None = None,
        limit: int = 20,
        after: int | None = None,
        before: int | None = None,
        failed: bool = False,
    ) -> Page[Run]: ...
    async def list_services(self) -> list[Service]: ...
    async def list_steps(
        self,
        run_id: int,
        *,
        limit: int = 50,
        after: int | None = None,
        before: int | None = None,
        failed: bool = False,
    ) -> Page[Step]: ...
    async def max_ids(self) -> dict[str, int]: ...
    async def wait_for_change(self, timeout: float) -> bool: ...
    async def service_id(self, name: str) -> int: ...

    # ---- the log grid and tiles ----------------------------------------------------------
    async def connector_tiles(self, days: int = 30) -> list[ConnectorTiles]: ...
    async def count_logs_after(self, after_id: int, **filters: Any) -> int: ...
    async def get_log(self, event_id: int) -> LogEvent: ...
    async def list_logs(
        self,
        *,
        level: str | Sequence[str] | None = None,
        kind: str | None = None,
        connector: str | None = None,
        service: str | None = None,
        run_id: int | None = None,
        since: float | None = None,
        until: float | None = None,
        text: str | None = None,
        limit: int = 20,
        after: int | None = None,
        before: int | None = None,
        account: str | None = None,
    ) -> Page[LogEvent]: ...
    async def tiles(
        self, *, connector: str | None = None, service: str | None = None, days: int = 30
    ) -> Tiles: ...

    # ---- id search -----------------------------------------------------------------------
    async def search_id(
        self,
        value: str,
        *,
        run_id: int | None = None,
        step_id: int | None = None,
        since: float | None = None,
        limit: int = 50,
        after: int | None = None,
        before: int | None = None,
    ) -> Page[SearchHit]: ...
    async def search_steps(self, run_id: int, value: str) -> list[Step]: ...

    # ---- the engine's writes -------------------------------------------------------------
    async def add_instance(
        self,
        step_id: int,
        run_id: int,
        *,
        page: int,
        method: str,
        url: str,
        cursor: str | None = None,
        started_at: float | None = None,
    ) -> int: ...
    async def add_log(self, row: LogRow) -> int: ...
    async def insert_calls(self, calls: Iterable[CallRow]) -> None: ...
    async def mark_interrupted(self, stale_after: float = 120.0) -> list[int]: ...
    async def put_id_map(self, rows: Iterable[IdMapRow]) -> None: ...
    async def request_cancel(self, run_id: int) -> None: ...
    async def save_config_file(self, toml_text: str, source_path: str = "") -> int: ...
    async def set_connector_status(
        self, connector_id: int, status: str, detail: str = "", tested_at: float | None = None
    ) -> None: ...
    async def set_service_enabled(self, service_id: int, enabled: bool) -> None: ...
    async def set_stream_state(self, service_id: int, stream: str, cursor: str | None) -> None: ...
    async def start_run(
        self,
        service_id: int | None,
        *,
        sync_type: str,
        trigger: str,
        status: str = "running",
        started_at: float | None = None,
        retry_of: int | None = None,
    ) -> int: ...
    async def start_step(
        self, run_id: int, stream: str, started_at: float | None = None
    ) -> int: ...
    async def update_instance(self, instance_id: int, **fields: Any) -> None: ...
    async def update_run(self, run_id: int, **fields: Any) -> None: ...
    async def update_step(self, step_id: int, **fields: Any) -> None: ...
    async def upsert_connector(
        self,
        name: str,
        *,
        base_url: str = "",
        preset: str | None = None,
        config: dict | None = None,
    ) -> int: ...
    async def upsert_service(
        self,
        name: str,
        *,
        source_id: int,
        destination_id: int,
        schedule: str | None = None,
        enabled: bool = True,
        cooldown_minutes: int = 60,
        capture_payloads: bool = False,
        config: dict | None = None,
    ) -> int: ...
    async def write_batch(self, batch: Batch) -> list[int]: ...

    # ---- engine state: id map, cursors, value mappings, config ---------------------------
    async def cancel_requested(self, run_id: int) -> bool: ...
    async def clear_stream_state(self, service_id: int, stream: str | None = None) -> None: ...
    async def connector_config(self, name: str) -> dict: ...
    async def get_id_map(
        self, service_id: int, stream: str, external_ids: Sequence[str]
    ) -> dict[str, tuple[str | None, str | None, bool]]: ...
    async def get_stream_state(self, service_id: int, stream: str) -> str | None: ...
    async def latest_config_file(self) -> str | None: ...
    async def list_value_mappings(
        self, service_id: int, lookup: str, *, status: str | None = None
    ) -> list[ValueMapping]: ...
    async def note_unmapped(self, service_id: int, lookup: str, values: Iterable[str]) -> None: ...
    async def pending_id_map(self, service_id: int, stream: str) -> list[str]: ...
    async def service_config(self, name: str) -> dict: ...
    async def set_value_mappings(
        self, service_id: int, lookup: str, pairs: Iterable[tuple[str, str | None, str]]
    ) -> None: ...

    # ---- samples, admin deletes and undo -------------------------------------------------
    async def delete_connector(self, name: str) -> None: ...
    async def delete_service(self, name: str) -> None: ...
    async def delete_value_mappings(
        self, service_id: int, lookup: str, sources: Sequence[str]
    ) -> None: ...
    async def drop_undo(self, undo_id: int) -> None: ...
    async def last_undo(self) -> tuple[int, str, dict[str, Any]] | None: ...
    async def list_samples(self, service_id: int, stream: str) -> list[dict[str, Any]]: ...
    async def push_undo(self, what: str, undo: dict[str, Any], service_id: int | None) -> int: ...
    async def record_samples(
        self, service_id: int, stream: str, records: Sequence[Any], keep: int = 20
    ) -> None: ...

    # ---- bulk loads (demo history, moving a store) ------------------------------------------
    async def bulk_first_ids(self) -> dict[str, int]: ...
    async def bulk_insert(self, rows: Mapping[str, Sequence[tuple]]) -> None: ...
    async def bulk_mode(self, on: bool) -> None: ...

    # ---- the fleet: workers, claims, schedule fires, leases (database clock) ---------------
    async def check_for_worker(self) -> None: ...
    async def claim_run(self, worker_id: int) -> Claim | None: ...
    async def db_now(self) -> float: ...
    async def enqueue_run(
        self,
        service_id: int,
        *,
        trigger: str,
        options: dict[str, Any] | None = None,
        retry_of: int | None = None,
    ) -> int: ...
    async def expire_workers(self) -> list[int]: ...
    async def fire_schedule(
        self, service_id: int, fire_at: float, worker_id: int | None = None
    ) -> tuple[str, int | None]: ...
    async def heartbeat_worker(self, worker_id: int) -> bool: ...
    async def list_workers(self, *, include_stopped: bool = False) -> list[Worker]: ...
    async def register_worker(self, host: str, pid: int, lease_seconds: float) -> int: ...
    async def stop_worker(self, worker_id: int) -> None: ...
    async def touch_run(self, run_id: int) -> bool: ...

    # ---- retention -----------------------------------------------------------------------
    async def compress_payloads(self, older_than: float) -> int: ...
    async def prune(
        self,
        *,
        retention_days: float = 30,
        compress_after_days: float = 7,
        payload_keep_hours: float | None = 24,
        reference: float | None = None,
    ) -> PruneReport: ...
    async def vacuum_hint(self) -> dict[str, int]: ...

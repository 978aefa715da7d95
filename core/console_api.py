"""The one async API through which the console and the CLI read data and act.

The console (tui/) uses nothing else from core: no SQL, no HTTP. Every method returns models or
keyset pages of models; errors a user can act on are UserError with a message and a hint.
Actions (run now, cancel, retry failed, test connection...) are added here as the engine lands.
"""

from __future__ import annotations

import dataclasses
import os
import time
from typing import Any

from .admin_api import AdminAPI
from .errors import StoreFull, UserError
from .models import (
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
    Worker,
)
from .store import Page, PruneReport, Store, open_store
from .store.liveness import probably_dead


class ConsoleAPI(AdminAPI):
    def __init__(self, store: Store, *, read_only: bool = False) -> None:
        self.store = store
        self.read_only = read_only

    @classmethod
    async def open(
        cls,
        db: str | os.PathLike[str] | None = None,
        *,
        create: bool = False,
        read_only: bool = False,
    ) -> ConsoleAPI:
        api = cls(await open_store(db, create=create, read_only=read_only), read_only=read_only)
        if not read_only:  # a run whose process died (kill -9) shows as interrupted, not running
            try:
                await api.store.mark_interrupted()
            except StoreFull:  # reads work on a full disk: such runs show as stale meanwhile
                pass
            except BaseException:
                await api.close()
                raise
        return api

    async def close(self) -> None:
        await self.store.close()

    @property
    def db_path(self) -> str:
        return self.store.location

    # ---- reads -------------------------------------------------------------------------------

    async def connectors(self) -> list[Connector]:
        return await self.store.list_connectors()

    async def services(self) -> list[Service]:
        return await self.store.list_services()

    async def tiles(self, *, connector: str | None = None, service: str | None = None) -> Tiles:
        return await self.store.tiles(connector=connector, service=service)

    async def connector_tiles(self) -> list[ConnectorTiles]:
        return await self.store.connector_tiles()

    async def runs(self, **filters: Any) -> Page[Run]:
        page = await self.store.list_runs(**filters)
        return dataclasses.replace(page, items=[flag_stale(r) for r in page.items])

    async def run(self, run_id: int) -> Run:
        return flag_stale(await self.store.get_run(run_id))

    async def steps(self, run_id: int, **paging: Any) -> Page[Step]:
        return await self.store.list_steps(run_id, **paging)

    async def step(self, step_id: int) -> Step:
        return await self.store.get_step(step_id)

    async def instances(self, step_id: int, **paging: Any) -> Page[StepInstance]:
        return await self.store.list_instances(step_id, **paging)

    async def instance(self, instance_id: int) -> StepInstance:
        return await self.store.get_instance(instance_id)

    async def entities(self, step_id: int, **filters: Any) -> Page[Entity]:
        return await self.store.list_entities(step_id, **filters)

    async def entity(self, entity_id: int) -> Entity:
        return await self.store.get_entity(entity_id)

    async def calls(self, **filters: Any) -> Page[ApiCall]:
        return await self.store.list_calls(**filters)

    async def call(self, call_id: int) -> ApiCall:
        return await self.store.get_call(call_id)

    async def logs(self, **filters: Any) -> Page[LogEvent]:
        return await self.store.list_logs(**filters)

    async def log(self, event_id: int) -> LogEvent:
        return await self.store.get_log(event_id)

    async def count_new_logs(self, after_id: int, **filters: Any) -> int:
        return await self.store.count_logs_after(after_id, **filters)

    async def search_id(self, value: str, **scope: Any) -> Page[SearchHit]:
        return await self.store.search_id(value, **scope)

    async def search_steps(self, run_id: int, value: str) -> list[Step]:
        return await self.store.search_steps(run_id, value)

    async def changed_since(self, token: int | None) -> tuple[bool, int]:
        """(changed?, new token). One tiny query: PRAGMA data_version on the reader."""
        version = await self.store.data_version()
        return (token is None or version != token), version

    @property
    def pushes_changes(self) -> bool:
        """The store announces commits (PostgreSQL): the console can wake on them."""
        return self.store.pushes_changes

    async def wait_for_change(self, timeout: float) -> bool:
        """True as soon as another connection commits (within `timeout` seconds)."""
        return await self.store.wait_for_change(timeout)

    async def info(self) -> dict[str, object]:
        return await self.store.info()

    async def workers(self, *, include_stopped: bool = False) -> list[Worker]:
        """The workers sharing this store; `stale` by the database's clock."""
        return await self.store.list_workers(include_stopped=include_stopped)

    # ---- operator actions (core/actions.py) --------------------------------------------------

    def _writable(self, what: str) -> None:
        if self.read_only:
            raise UserError(f"{what} writes to the store, and read-only mode forbids it.",
                            "Open without --read-only.")  # fmt: skip

    async def run_now(self, name: str, *, force: bool = False, **options: Any) -> Any:
        """Run a service now, honouring its cooldown (CooldownActive) unless `force`."""
        from .actions import run_now

        self._writable("Running a service")
        return await run_now(self.store, name, force=force, **options)

    async def live_workers(self) -> int:
        """Workers that are running and inside their lease (by the database's clock)."""
        return sum(1 for w in await self.store.list_workers() if w.status == "running" and
                   not w.stale)  # fmt: skip

    async def queue_run(self, name: str, *, force: bool = False, **options: Any) -> int:
        """Queue a run of a service for any worker to take (the cooldown as for run now).
        Returns the queued run's id; RunActive when the service already has a live run."""
        from .actions import queue_run

        self._writable("Queueing a run")
        return await queue_run(self.store, name, force=force, **options)

    async def cancel_run(self, run_id: int) -> Run:
        from .actions import cancel_run

        self._writable("Cancelling a run")
        return await cancel_run(self.store, run_id)

    async def retry_run(self, run_id: int, **options: Any) -> Any:
        """A new run of trigger "retry" pushing only the failed entities of `run_id`."""
        from .actions import retry_run

        self._writable("Retrying a run")
        return await retry_run(self.store, run_id, **options)

    async def test_connection(self, name: str) -> Any:
        """One cheap authenticated request; returns core.actions.ConnectionCheck."""
        from .actions import check_connection

        self._writable("Testing a connector")
        return await check_connection(self.store, name)

    async def reconnect_connector(self, name: str, values: dict[str, str]) -> list[str]:
        from .actions import reconnect_connector

        self._writable("Reconnecting a connector")
        return await reconnect_connector(self.store, name, values)

    async def disconnect_connector(self, name: str, *, undoable: bool = False) -> list[str]:
        """`undoable`: on the console's undo stack (`u`), as every console change is."""
        from . import admin_undo
        from .actions import disconnect_connector

        self._writable("Disconnecting a connector")
        if undoable:
            return await admin_undo.disconnect(self.store, name)
        return await disconnect_connector(self.store, name)

    async def set_service_enabled(
        self, name: str, enabled: bool, *, undoable: bool = False
    ) -> Service:
        from . import admin_undo
        from .actions import set_service_enabled

        self._writable("Enabling or disabling a service")
        if undoable:
            return await admin_undo.set_enabled(self.store, name, enabled)
        return await set_service_enabled(self.store, name, enabled)

    async def sync_states(self) -> list[Any]:
        """Per service: synced / syncing / needs resync (and why) / never run (core.resync)."""
        from .resync import sync_states

        return await sync_states(self.store)

    async def resync(
        self, names: list[str] | None = None, *, force: bool = False, **options: Any
    ) -> list[Any]:
        """Run the named services again, or every one that needs a resync (core.resync)."""
        from .resync import resync

        self._writable("Resyncing services")
        return await resync(self.store, names, force=force, **options)

    # ---- maintenance -------------------------------------------------------------------------

    async def prune(self, **options: Any) -> PruneReport:
        return await self.store.prune(**options)

    # ---- engine actions (core/engine, core/config_io) ----------------------------------------

    async def run_service(
        self,
        name: str,
        *,
        full: bool = False,
        stream: str | None = None,
        dry_run: bool = False,
        trigger: str = "manual",
        progress: Any = None,
    ) -> Any:
        """Run one service now; `progress(Progress)` is called after every page (sync or async).
        Returns core.engine.runner.RunResult; raises UserError for bad input."""
        from .engine.runner import run_service

        return await run_service(
            self.store, name, full=full, stream=stream, dry_run=dry_run, trigger=trigger,
            progress=progress,
        )  # fmt: skip

    async def import_config(self, path: str | os.PathLike[str]) -> Any:
        """Validate a TOML file completely, then store it (all-or-nothing). Returns SyncConfig."""
        from .config_io import import_file

        return await import_file(self.store, path)

    async def export_config(self) -> str:
        """The stored configuration as TOML (secrets stay env: references)."""
        from .config_io import export_text

        return await export_text(self.store)

    async def validate_config(self, path: str | os.PathLike[str]) -> Any:
        """Check a TOML file without storing it. Raises UserError naming file, key and fix."""
        from .config_io import validate_file

        return validate_file(path)


def flag_stale(run: Run) -> Run:
    """A run still "running" or "queued" whose process is gone (this host) or silent (another
    host) is flagged stale: a read-only reader may not mark it interrupted, but must not show it
    as running either (a writer marks it interrupted when it next opens the store)."""
    if run.status.finished:
        return run
    beat = run.heartbeat_at.timestamp() if run.heartbeat_at is not None else None
    if probably_dead(run.pid, run.host, beat, now=time.time()):
        return run.model_copy(update={"stale": True})
    return run

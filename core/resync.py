"""Sync state per service (Levelup's Synced / Syncing / Needs resync) and resync.

A service needs a resync when its last run failed, was partial or interrupted, or when one of
its connectors was reconnected after that run started. Resync runs such services again, one after
the other, through core.actions.run_now (the cooldown holds unless forced); each service ends as
one ResyncResult: ran (with the run's summary) or refused (with the reason).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel

from .errors import UserError
from .models import Run, RunStatus, Service
from .store import Store
from .timeutil import to_dt

NEEDS_RESYNC_STATUSES = {
    RunStatus.FAILED: "last run failed",
    RunStatus.PARTIAL: "last run partial",
    RunStatus.INTERRUPTED: "last run interrupted",
}


class SyncState(StrEnum):
    SYNCED = "synced"
    SYNCING = "syncing"
    NEEDS_RESYNC = "needs resync"
    NEVER = "never run"


class ServiceSync(BaseModel):
    service: str
    state: SyncState
    reason: str = ""
    last_run: int | None = None
    last_status: str | None = None
    last_started: datetime | None = None


class ResyncResult(BaseModel):
    service: str
    ran: bool
    run_id: int | None = None
    status: str = ""
    message: str = ""


def sync_state(svc: Service, last: Run | None, reconnected: dict[str, datetime]) -> ServiceSync:
    """The state of one service from its newest run and its connectors' reconnect times."""
    if last is None:
        return ServiceSync(service=svc.name, state=SyncState.NEVER)
    base = {"last_run": last.id, "last_status": last.status.value,
            "last_started": last.started_at}  # fmt: skip
    if not last.status.finished:
        return ServiceSync(service=svc.name, state=SyncState.SYNCING, **base)
    reasons = []
    if last.status in NEEDS_RESYNC_STATUSES:
        reasons.append(NEEDS_RESYNC_STATUSES[last.status])
    for name in dict.fromkeys((svc.source, svc.destination)):
        at = reconnected.get(name)
        if at is not None and at >= last.started_at:
            reasons.append(f"{name} reconnected")
    if reasons:
        return ServiceSync(
            service=svc.name, state=SyncState.NEEDS_RESYNC, reason="; ".join(reasons), **base
        )
    return ServiceSync(service=svc.name, state=SyncState.SYNCED, **base)


async def sync_states(store: Store) -> list[ServiceSync]:
    services = await store.list_services()
    reconnected = {k: to_dt(v) for k, v in (await store.reconnected_at()).items()}
    out = []
    for svc in services:
        page = await store.list_runs(service=svc.name, limit=1)
        out.append(sync_state(svc, page.items[0] if page.items else None, reconnected))
    return out


async def resync(
    store: Store, names: list[str] | None = None, *, force: bool = False, **options: Any
) -> list[ResyncResult]:
    """Run again the services named (each must exist), or, with no names, every service that
    needs a resync. Returns one result per service, in order."""
    from .actions import run_now

    states = {s.service: s for s in await sync_states(store)}
    if names:
        for name in names:
            if name not in states:
                await store.get_service(name)  # NotFound with the known names
        targets = list(dict.fromkeys(names))
    else:
        targets = [n for n, s in states.items() if s.state is SyncState.NEEDS_RESYNC]
    results = []
    for name in targets:
        if states[name].state is SyncState.SYNCING:
            results.append(ResyncResult(service=name, ran=False, message="already syncing"))
            continue
        try:
            res = await run_now(store, name, force=force, **options)
        except UserError as exc:
            results.append(ResyncResult(service=name, ran=False, message=str(exc)))
            continue
        results.append(
            ResyncResult(
                service=name,
                ran=True,
                run_id=res.run_id,
                status=res.status.value,
                message=res.summary(),
            )
        )
    return results

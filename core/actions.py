"""What an on-call engineer does to syncs: run now (with the cooldown), cancel, retry the failed
entities, test / reconnect / disconnect a connector, enable / disable a service.

Each action is one core function on the store; the CLI (core/commands/action_cmds.py) and the
console (through core/console_api.py) call the same ones. Bad input raises UserError before
anything is written (exit 2); a refused run-now raises CooldownActive (exit 1).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import httpx
from pydantic import ValidationError

from .config import ENV_PREFIX, SECRET_FIELDS, ConnectorConfig, RetryConfig, resolve
from .connectors.client import Client
from .connectors.oauth2_refresh import keep_rotations
from .connectors.presets import PRESETS, test_path
from .errors import UserError
from .models import (
    ConnectorStatus,
    EntityStatus,
    LogKind,
    LogLevel,
    Run,
    RunStatus,
    Service,
    Trigger,
)
from .store import LogRow, Store
from .text import plural
from .timeutil import now
from .troubleshooting import CATALOGUE, Trouble, match

COOLDOWN_MESSAGE = (
    "A synchronization was recently completed. Minimum interval between syncs is {minutes}."
)
ACTIVE = (RunStatus.RUNNING, RunStatus.QUEUED)


class CooldownActive(UserError):
    """A manual run inside the service's cooldown: one line on stderr, exit code 1."""

    exit_code = 1

    def __init__(self, minutes: int, wait_seconds: float, last_run: int) -> None:
        self.minutes = minutes
        self.wait_seconds = wait_seconds
        self.last_run = last_run
        mins = max(1, int(-(-wait_seconds // 60)))
        super().__init__(
            COOLDOWN_MESSAGE.format(minutes=plural(minutes, "minute")),
            f"Next run possible in {plural(mins, 'minute')}; add --force to run now.",
        )


# ---- run now, cooldown ---------------------------------------------------------------------


async def check_cooldown(store: Store, name: str, *, at: float | None = None) -> None:
    """Raise CooldownActive when the service's last completed run finished within its
    cooldown. Scheduled and retry runs do not call this."""
    svc = await store.get_service(name)
    if svc.cooldown_minutes <= 0:
        return
    page = await store.list_runs(
        service=name, status=[RunStatus.SUCCESS.value, RunStatus.PARTIAL.value], limit=5
    )
    ends = [(r.finished_at.timestamp(), r.id) for r in page.items if r.finished_at is not None]
    if not ends:
        return
    last, run_id = max(ends)
    left = last + svc.cooldown_minutes * 60 - (now() if at is None else at)
    if left > 0:
        raise CooldownActive(svc.cooldown_minutes, left, run_id)


async def run_now(store: Store, name: str, *, force: bool = False, **options: Any) -> Any:
    """Run a service now. A manual run inside the service's cooldown raises CooldownActive
    (exit 1) unless `force`; scheduled and retry runs are not held back."""
    from .engine.runner import run_service

    await store.get_service(name)  # an unknown name is NotFound (exit 2) first
    manual = options.get("trigger", Trigger.MANUAL.value) == Trigger.MANUAL.value
    if manual and not force and not options.get("dry_run"):
        await check_cooldown(store, name)
    return await run_service(store, name, **options)


async def queue_run(
    store: Store,
    name: str,
    *,
    force: bool = False,
    full: bool = False,
    stream: str | None = None,
) -> int:
    """A queued manual run for a worker (any host) to claim; the cooldown as for run_now."""
    svc = await store.get_service(name)
    if stream is not None:
        streams = (await store.service_config(name)).get("streams", [])
        known = [s.get("name", "") for s in streams]
        if stream not in known:
            raise UserError(f"Service {name} has no stream named '{stream}'.",
                            f"Its streams: {', '.join(known)}.")  # fmt: skip
    if not force:
        await check_cooldown(store, name)
    await store.mark_interrupted()
    return await store.enqueue_run(
        svc.id, trigger=Trigger.MANUAL.value, options={"full": full, "stream": stream}
    )


# ---- cancel, retry -----------------------------------------------------------------------


async def cancel_run(store: Store, run_id: int) -> Run:
    """Ask a running run (in any process) to stop after the page in flight."""
    await store.mark_interrupted()
    run = await store.get_run(run_id)
    if run.status not in ACTIVE:
        raise UserError(
            f"Run {run_id} is not running (it is {run.status.value}); only a running run can "
            "be cancelled.",
            "List running runs with `syncdeck runs --status running`.",
        )
    await store.request_cancel(run_id)
    await store.add_log(
        LogRow(ts=now(), level=LogLevel.WARNING.value, kind=LogKind.EVENT.value,
               title=f"Cancel requested for run {run_id}",
               details=f"Run {run_id} of {run.service} was asked to stop after the page in "
               "flight.", service_id=run.service_id, run_id=run_id)
    )  # fmt: skip
    return run


async def failed_entities(store: Store, run_id: int) -> dict[str, set[str]]:
    """stream -> external ids of the entities that failed in the run."""
    out: dict[str, set[str]] = {}
    steps = await store.list_steps(run_id, limit=1000)
    for step in steps.items:
        after: int | None = None
        while True:
            page = await store.list_entities(
                step.id, status=EntityStatus.FAILED.value, limit=1000, after=after
            )
            for e in page.items:
                if not e.external_id.startswith("#"):  # a record without a key cannot be found
                    out.setdefault(step.stream, set()).add(e.external_id)
            if not page.has_next:
                break
            after = page.next_key
    return out


async def retry_run(store: Store, run_id: int, **options: Any) -> Any:
    """A new run (trigger "retry") that pulls the source again and pushes only the entities
    that failed in run `run_id`."""
    from .engine.runner import ServiceRun

    await store.mark_interrupted()
    run = await store.get_run(run_id)
    if run.status in ACTIVE:
        raise UserError(
            f"Run {run_id} is still {run.status.value}.",
            "Wait for it to finish (or cancel it), then retry its failures.",
        )
    failed = await failed_entities(store, run_id)
    if not failed:
        raise UserError(
            f"Run {run_id} has no failed entities to retry.",
            f"See what it did with `syncdeck steps {run_id}`.",
        )
    svc = run.service
    sr = ServiceRun(
        store, svc, full=True, trigger=Trigger.RETRY.value, retry_of=run_id, only_ids=failed,
        **options,
    )  # fmt: skip
    await store.mark_interrupted()
    return await sr.run()


# ---- connectors --------------------------------------------------------------------------


@dataclass
class ConnectionCheck:
    connector: str
    ok: bool
    status_code: int | None
    duration_ms: int
    url: str
    reason: str = ""
    trouble: Trouble | None = None
    tested_at: float = field(default_factory=now)

    @property
    def hint(self) -> str:
        if self.trouble is None:
            return ""
        return f"{self.trouble.title}: {' '.join(self.trouble.actions)}"


def _stored_connector(data: dict, name: str) -> ConnectorConfig:
    try:
        return ConnectorConfig.model_validate(data)
    except ValidationError as exc:
        raise UserError(
            f"The stored configuration of connector {name} is not valid: {exc.errors()[0]['msg']}.",
            "Re-import it with `syncdeck config import FILE`.",
        ) from None


async def _probe_path(store: Store, name: str, cfg: ConnectorConfig) -> str:
    path = test_path(cfg)
    if path:
        return path
    for svc in await store.list_services():
        if svc.source == name:
            data = await store.service_config(svc.name)
            for s in data.get("streams", []):
                if s.get("pull", {}).get("path"):
                    return str(s["pull"]["path"])
    return "/"


async def probe(
    name: str,
    cfg: ConnectorConfig,
    path: str,
    *,
    connector_id: int | None = None,
    environ: dict[str, str] | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    store: Store | None = None,
) -> ConnectionCheck:
    """One cheap authenticated GET with `cfg` (stored or not yet saved); writes nothing.
    A credential that cannot be resolved (env: variable not set) raises UserError."""
    cfg = cfg.model_copy(update={"retry": RetryConfig(attempts=1)})
    t0 = time.perf_counter()
    client = Client(name, cfg, connector_id=connector_id, environ=environ, transport=transport)
    if store is not None:  # a stored connector: a refresh token it rotates is kept
        keep_rotations(client, store, name)
    try:
        ex = await client.request("GET", path)
    finally:
        await client.aclose()
    ms = int((time.perf_counter() - t0) * 1000)
    auth_error = getattr(client.auth, "error", "")
    ok = ex.ok and (ex.status or 0) < 400
    # Every text below is stored and printed: the connector's secrets are masked in it.
    reason = "" if ok else client.redactor.text(auth_error or ex.error or f"HTTP {ex.status}") or ""
    trouble: Trouble | None = None
    if not ok:  # advice that fits the cause: DNS, refused, TLS, timeout, 401, 403, 429, 5xx
        code = f"http_{ex.status}" if ex.status in (401, 403) else match(ex.status, reason)
        trouble = CATALOGUE.get(code or "test_connection_failed")
    return ConnectionCheck(name, ok, ex.status, ms, ex.url, reason, trouble)


async def check_connection(
    store: Store,
    name: str,
    *,
    environ: dict[str, str] | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> ConnectionCheck:
    """One cheap authenticated request; the result and time are stored on the connector."""
    cid = await store.connector_id(name)
    cfg = _stored_connector(await store.connector_config(name), name)
    path = await _probe_path(store, name, cfg)
    result = await probe(
        name, cfg, path, connector_id=cid, environ=environ, transport=transport, store=store
    )
    await record_check(store, cid, result)
    return result


async def record_check(store: Store, cid: int, result: ConnectionCheck) -> None:
    """The result of a test on the connector (status, detail, time) and in the log."""
    ok, name = result.ok, result.connector
    status = ConnectorStatus.CONNECTED if ok else ConnectorStatus.ERROR
    detail = f"HTTP {result.status_code} in {result.duration_ms}ms" if ok else result.reason
    await store.set_connector_status(cid, status.value, detail, tested_at=result.tested_at)
    title = "Test connection successful" if ok else "Test is not successful"
    trouble = result.trouble
    await store.add_log(
        LogRow(ts=result.tested_at, level=(LogLevel.INFO if ok else LogLevel.ERROR).value,
               kind=LogKind.EVENT.value, title=f"{title}: {name}",
               details=f"GET {result.url}: {detail}.", connector_id=cid,
               code=None if ok else (trouble.code if trouble else "test_connection_failed"))
    )  # fmt: skip


def _secret_keys(cfg: ConnectorConfig) -> set[str]:
    if cfg.preset in PRESETS:
        return {c.key for c in PRESETS[cfg.preset].credentials}
    return {k for k in cfg.auth.model_dump() if k != "type"}


async def reconnect_connector(
    store: Store, name: str, values: dict[str, str], *, environ: dict[str, str] | None = None
) -> list[str]:
    """Point a connector at new secrets (env: references); its services are left as they are.
    Returns the keys changed."""
    cid = await store.connector_id(name)
    data = await store.connector_config(name)
    cfg = _stored_connector(data, name)
    if not values:
        raise UserError("Nothing to change.", "Give at least one KEY=env:NAME.")
    allowed = _secret_keys(cfg)
    where = "credentials" if cfg.preset and cfg.auth.type == "none" else "auth"
    target = dict(data.get(where, {}))
    for key, value in values.items():
        if key not in allowed:
            raise UserError(
                f"Connector {name} has no {where} key '{key}'.",
                f"Its keys: {', '.join(sorted(allowed)) or 'none'}.",
            )
        secret = key in SECRET_FIELDS or (
            cfg.preset in PRESETS and any(c.key == key and c.secret
                                          for c in PRESETS[cfg.preset].credentials)
        )  # fmt: skip
        if secret and not value.startswith((ENV_PREFIX, "secret:")):
            raise UserError(
                f"{key} is a secret: give an env:NAME reference, not the value.",
                f"For example {key}=env:{name.upper()}_{key.upper()}; secrets are never stored.",
            )
        resolve(value, f"connectors.{name}.{where}.{key}", environ)  # the variable must be set
        target[key] = value
    new = {**data, where: target}
    checked = _stored_connector(new, name)
    await store.upsert_connector(name, base_url=checked.base_url, preset=checked.preset, config=new)
    await store.set_connector_status(cid, ConnectorStatus.UNTESTED.value, "reconnected")
    await store.add_log(
        LogRow(ts=now(), level=LogLevel.INFO.value, kind=LogKind.MILESTONE.value,
               title=f"Connector {name} reconnected",
               details=f"New secret references for {', '.join(sorted(values))}; services "
               "unchanged.", connector_id=cid)
    )  # fmt: skip
    return sorted(values)


async def services_of(store: Store, name: str) -> list[Service]:
    await store.connector_id(name)
    return [s for s in await store.list_services() if name in (s.source, s.destination)]


async def disconnect_connector(store: Store, name: str) -> list[str]:
    """Mark the connector disconnected and disable every service that uses it. Returns the
    names of the services that were enabled and are now disabled."""
    cid = await store.connector_id(name)
    disabled = []
    for svc in await services_of(store, name):
        if svc.enabled:
            await store.set_service_enabled(svc.id, False)
            disabled.append(svc.name)
    await store.set_connector_status(cid, ConnectorStatus.DISCONNECTED.value, "disconnected")
    await store.add_log(
        LogRow(ts=now(), level=LogLevel.WARNING.value, kind=LogKind.MILESTONE.value,
               title=f"Connector {name} disconnected",
               details="Disabled services: " + (", ".join(disabled) or "none") + ".",
               connector_id=cid)
    )  # fmt: skip
    return disabled


async def set_service_enabled(store: Store, name: str, enabled: bool) -> Service:
    svc = await store.get_service(name)
    await store.set_service_enabled(svc.id, enabled)
    return await store.get_service(name)

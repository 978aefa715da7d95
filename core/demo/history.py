"""seed_history: 30 days of deterministic demo history, written fast through the store.

Everything is relative to `now`, so the 30-day window is always full. Rows are generated in time
order (ids grow with time) and written with executemany in transactions of about 10,000 rows,
while the next batch is being generated.
"""

from __future__ import annotations

import asyncio
import heapq
import random
import time
from collections.abc import Awaitable, Callable

from ..config import SyncConfig, config_from_dict, connector_dict, service_dict
from ..store import Store
from .catalogue import CONNECTORS, SERVICES, Cadence, ServiceSpec
from .configs import VALUE_MAPPINGS
from .generate import Generator, RunResult, Sink
from .wordings import CONNECTOR_EVENTS, COOLDOWN

DAY = 86400.0
HOUR = 3600.0
FLUSH_ROWS = 10_000

# incidents: (service, from hours ago, to hours ago, failure key) - every run inside fails
INCIDENTS = (
    ("shopify-to-autotask", 5.2, 0.0, "http_401"),
    ("autotask-orders-to-shopify", 5.2, 0.0, "http_401"),
    ("shopify-to-xero", 8.0 * 24, 7.6 * 24, "oauth_expired"),
    ("shopify-to-quickbooks", 12.6 * 24, 12.0 * 24, "oauth_expired"),
)


async def _flush(store: Store, sink: Sink) -> None:
    """One transaction of generated rows (tuples in the store's BULK_COLUMNS order)."""
    kinds = ("runs", "steps", "instances", "entities", "calls", "payloads", "logs")
    await store.bulk_insert({k: getattr(sink, k) for k in kinds})


def demo_config() -> SyncConfig:
    """The demo's connectors and services validated as a TOML import would be (a broken demo
    fails here, before anything is written)."""
    return config_from_dict(
        {
            "connectors": {c.name: c.config for c in CONNECTORS},
            "services": {s.name: s.config for s in SERVICES},
        },
        "the demo catalogue",
    )


async def _setup(store: Store, now: float) -> tuple[dict[str, int], dict[str, int]]:
    cfg = demo_config()
    connector_ids: dict[str, int] = {}
    for c in CONNECTORS:
        stored = connector_dict(cfg.connectors[c.name])
        cid = await store.upsert_connector(c.name, base_url=c.base_url, preset=c.preset,
                                           config=stored)  # fmt: skip
        tested = (
            None if c.status == "untested" else now - (5 * HOUR if c.status == "error" else DAY)
        )
        await store.set_connector_status(cid, c.status, c.status_detail, tested)
        connector_ids[c.name] = cid
    service_ids: dict[str, int] = {}
    for s in SERVICES:
        service_ids[s.name] = await store.upsert_service(
            s.name, source_id=connector_ids[s.source], destination_id=connector_ids[s.destination],
            schedule=s.schedule, enabled=s.enabled, capture_payloads=s.capture_payloads,
            config=service_dict(cfg.services[s.name]),
        )  # fmt: skip
    for svc, lookups in VALUE_MAPPINGS.items():
        for lookup, pairs in lookups.items():
            await store.set_value_mappings(service_ids[svc], lookup, pairs)
    return connector_ids, service_ids


async def _first_ids(store: Store) -> dict[str, int]:
    """The generator's first id per table (its keys are table names)."""
    first = await store.bulk_first_ids()
    tables = {"calls": "api_calls", "logs": "log_events"}
    return {tables.get(k, k): v for k, v in first.items()}


def _schedule(
    rng: random.Random, now: float, runs_factor: int
) -> list[tuple[float, int, str, dict]]:
    """Every planned run and event in the window: (time, seq, kind, details)."""
    start = now - 30 * DAY + 600
    end = now - 15 * 60
    out: list[tuple[float, int, str, dict]] = []
    seq = 0

    def add(t: float, what: str, **kw: object) -> None:
        nonlocal seq
        if start <= t <= end:
            out.append((t, seq, what, kw))
            seq += 1

    day0 = (start // DAY) * DAY
    for svc in SERVICES:
        stop = now - svc.stopped_days_ago * DAY if svc.stopped_days_ago else end
        for cad in svc.cadences:
            every = cad.every_hours * HOUR
            if cad.size != "full":
                every /= runs_factor
            t = day0 + cad.at_hour * HOUR
            while t < stop:
                add(t + rng.uniform(0, 90), "run", svc=svc, cad=cad, trigger="schedule")
                t += every
        t = start + rng.uniform(0, DAY)
        while t < stop:  # people pressing "run now", sometimes too soon (cooldown)
            add(t, "run", svc=svc, cad=Cadence("full" if rng.random() < 0.3 else "update", 0),
                trigger="manual")  # fmt: skip
            if rng.random() < 0.3:
                add(t + rng.uniform(5, 50) * 60, "cooldown", svc=svc)
            t += rng.uniform(0.5, 2.5) * DAY
    for ago, connector, level, kind, title, details, code in CONNECTOR_EVENTS:
        add(now - ago * HOUR, "event", connector=connector, level=level, kind=kind, title=title,
            details=details, code=code)  # fmt: skip
    heapq.heapify(out)
    return out


def _mode(rng: random.Random, svc: ServiceSpec, t: float, now: float) -> tuple[str, str | None]:
    for name, frm, to, failure in INCIDENTS:
        if name == svc.name and now - frm * HOUR <= t <= now - to * HOUR:
            return "failed", failure
    r = rng.random()
    if r < 0.80:
        return "success", None
    if r < 0.92:
        return "partial", None
    if r < 0.96:
        return "failed", None
    if r < 0.98:
        return "cancelled", None
    return "interrupted", None


async def seed_history(
    store: Store,
    *,
    scale: float = 1,
    seed: int = 7,
    now: float | None = None,
    calls_per_entity: float = 4.0,
    progress: Callable[[dict[str, int]], None] | None = None,
) -> dict:
    """Fill `store` with 30 days of demo history ending at `now`. Returns counts written."""
    if scale <= 0:
        raise ValueError("scale must be positive")
    now = time.time() if now is None else float(now)
    rng = random.Random(seed)
    began = time.perf_counter()
    connector_ids, service_ids = await _setup(store, now)
    first = await _first_ids(store)
    gen = Generator(rng=rng, now=now, scale=scale, calls_per_entity=calls_per_entity,
                    connector_ids=connector_ids, service_ids=service_ids,
                    first_ids=first)  # fmt: skip
    plan = _schedule(rng, now, gen.runs_factor)
    last_night = _last_night(plan, now)
    totals = {k: 0 for k in ("runs", "steps", "instances", "entities", "calls", "payloads", "logs")}
    pending: asyncio.Task | None = None

    async def flush() -> None:
        nonlocal pending
        sink = gen.sink
        gen.sink = Sink()
        for k in totals:
            totals[k] += len(getattr(sink, k))
        if pending is not None:
            await pending
        pending = asyncio.ensure_future(_flush(store, sink))
        if progress is not None:
            progress(dict(totals))

    await store.bulk_mode(True)  # SQLite: no fsync per checkpoint; restored afterwards
    try:
        await _generate(gen, plan, flush, rng, now, last_night)
        if pending is not None:
            await pending
    finally:
        await store.bulk_mode(False)
    compressed = await store.compress_payloads(now - 7 * DAY)
    totals["compressed_payloads"] = compressed
    totals["connectors"] = len(CONNECTORS)
    totals["services"] = len(SERVICES)
    totals["seconds"] = round(time.perf_counter() - began, 2)
    return totals


async def _generate(
    gen: Generator,
    plan: list,
    flush: Callable[[], Awaitable[None]],
    rng: random.Random,
    now: float,
    last_night: float | None,
) -> None:
    seq = len(plan)
    while plan:
        t, _, kind, kw = heapq.heappop(plan)
        if kind == "event":
            gen.log(t, kw["level"], kw["kind"], kw["title"], kw["details"], kw["connector"],
                    code=kw["code"])  # fmt: skip
        elif kind == "cooldown":
            svc = kw["svc"]
            gen.log(t, "WARNING", "event", COOLDOWN[0], COOLDOWN[1], svc.destination, svc.name,
                    code=COOLDOWN[2])  # fmt: skip
        else:
            svc, cad = kw["svc"], kw["cad"]
            story = None
            if svc.name == "hubspot-to-connectwise" and cad.size == "full":
                story = "fail" if t == last_night else "ok"
            if kind == "retry":
                mode = "success" if rng.random() < 0.75 else "partial"
                result = gen.run(svc, t, sync_type="update", trigger="retry", mode=mode,
                                 size="update", retry_of=kw["of"],
                                 retry_indices=kw["indices"])  # fmt: skip
            else:
                mode, failure = _mode(rng, svc, t, now)
                if story == "fail":
                    mode, failure = "partial", None
                elif story == "ok" and mode == "failed":
                    mode = "success"
                sync_type = cad.sync_type
                if cad.size != "full" and trigger_is_background(svc):
                    sync_type = "background"
                result = gen.run(svc, t, sync_type=sync_type, trigger=kw["trigger"], mode=mode,
                                 size=cad.size, failure=failure, story_4711=story)  # fmt: skip
            _maybe_retry(rng, plan, svc, result, seq, now)
            seq += 1
        if gen.sink.size() >= FLUSH_ROWS:
            await flush()
    await flush()  # nothing seeded is left running or queued: live runs are the engine's own


def trigger_is_background(svc: ServiceSpec) -> bool:
    return any(c.sync_type == "background" for c in svc.cadences)


def _last_night(plan: list[tuple[float, int, str, dict]], now: float) -> float | None:
    """The start of the newest nightly full run of hubspot-to-connectwise (customer 4711)."""
    best = None
    for t, _, kind, kw in plan:
        if kind == "run" and kw["svc"].name == "hubspot-to-connectwise":
            if kw["cad"].size == "full" and kw["trigger"] == "schedule" and t < now - 600:
                best = t if best is None else max(best, t)
    return best


def _maybe_retry(
    rng: random.Random, plan: list, svc: ServiceSpec, result: RunResult, seq: int, now: float
) -> None:
    if result.status != "partial" or not result.failed or rng.random() > 0.35:
        return
    t = result.finished_at + rng.uniform(5, 40) * 60
    if t < now - 15 * 60:
        item = {"svc": svc, "cad": Cadence("update", 0), "of": result.run_id,
                "indices": result.failed}  # fmt: skip
        heapq.heappush(plan, (t, seq, "retry", item))

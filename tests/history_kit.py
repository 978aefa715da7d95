"""The small deterministic history the store, CLI and console tests share (`build_history`).

A plain module, not conftest: `from conftest import ...` finds whichever conftest.py was
imported first under that name (tests/admin has one too), which depends on collection order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from core.store import Batch, CallRow, Counts, EntityRow, LogRow, Store
from core.timeutil import now

HOUR = 3600
DAY = 86400


@dataclass
class Seeded:
    """What build_history wrote: ids and counts that tests can assert on."""

    path: Path
    reference: float
    runs: int = 0
    runs_svc1: int = 0
    failed_runs: int = 0
    big_run: int = 0
    big_step: int = 0
    empty_step: int = 0
    big_instance: int = 0
    instances: int = 0
    entities: int = 0
    entity_actions: dict[str, int] = field(default_factory=dict)
    entity_with_calls: int = 0
    logs: int = 0
    log_levels: dict[str, int] = field(default_factory=dict)
    payload_call: int = 0


ACTIONS = [
    ("create", "success", ""),
    ("update", "success", ""),
    ("skip", "skipped", "Payload unchanged since the last sync."),
    ("fail", "failed", "Agreement with ID 123 does not belong to company with ID 456."),
]


async def build_history(store: Store, path: Path) -> Seeded:
    """3 connectors, 2 services, 45 runs over 20 days; one big run with 3 steps (one empty),
    4 pages, 60 entities with 2 calls each, and 100 log events (one holding escape codes)."""
    ref = now()
    s = Seeded(path=path, reference=ref)
    cw = await store.upsert_connector("ConnectWise", base_url="https://cw.example/v4_6_release")
    hs = await store.upsert_connector("HubSpot", base_url="https://api.hubapi.com")
    xero = await store.upsert_connector("Xero", base_url="https://api.xero.com")
    svc1 = await store.upsert_service("cw-to-hubspot", source_id=cw, destination_id=hs)
    svc2 = await store.upsert_service("hubspot-to-xero", source_id=hs, destination_id=xero)
    statuses = ["success", "success", "partial", "failed", "success"]
    for i in range(45):
        svc = svc1 if i < 40 else svc2
        status = statuses[i % len(statuses)]
        started = ref - 20 * DAY + i * 10 * HOUR
        rid = await store.start_run(svc, sync_type="update", trigger="schedule", started_at=started)
        await store.update_run(
            rid, status=status, finished_at=started + 60, pulled=10, created=3, updated=2,
            message=f"Customers sync completed: 3 created, 2 updated. Run {i}.",
        )  # fmt: skip
        s.runs += 1
        s.runs_svc1 += svc == svc1
        s.failed_runs += status == "failed"
    s.big_run = rid = await store.start_run(
        svc1, sync_type="full", trigger="manual", started_at=ref - 2 * HOUR
    )
    s.runs += 1
    s.runs_svc1 += 1
    s.big_step = step = await store.start_step(rid, "contacts", started_at=ref - 2 * HOUR)
    await store.start_step(rid, "companies", started_at=ref - 2 * HOUR)
    s.empty_step = await store.start_step(rid, "invoices", started_at=ref - 2 * HOUR)
    n = 0
    for page in range(1, 5):
        iid = await store.add_instance(
            step, rid, page=page, method="GET",
            url=f"https://cw.example/v4_6_release/company/contacts?page={page}",
            started_at=ref - 2 * HOUR + page,
        )  # fmt: skip
        await store.update_instance(iid, records=15, status_code=200, duration_ms=120)
        s.instances += 1
        if page == 1:
            s.big_instance = iid
        entities = []
        for k in range(15):
            action, status, reason = ACTIONS[n % 4]
            ext = f"C-{4700 + n}"
            calls = [
                CallRow(
                    run_id=rid, step_id=step, instance_id=None, connector_id=hs, method="POST",
                    url="https://api.hubapi.com/crm/v3/objects/contacts", status_code=201,
                    duration_ms=80, started_at=ref - 2 * HOUR + page + k / 100, attempt=a,
                    request_body='{"email": "a@example.com"}' if n == 0 else None,
                    response_body='{"id": "901", "ok": true}' if n == 0 else None,
                )
                for a in (1, 2)
            ]  # fmt: skip
            entities.append(
                EntityRow(
                    step_id=step,
                    run_id=rid,
                    instance_id=iid,
                    external_id=ext,
                    internal_id=f"HS-{900 + n}" if action != "fail" else None,
                    action=action,
                    status=status,
                    reason=reason,
                    created_at=ref - 2 * HOUR + page + k / 100,
                    calls=calls,
                )  # fmt: skip
            )
            s.entity_actions[action] = s.entity_actions.get(action, 0) + 1
            n += 1
        pull = CallRow(
            run_id=rid, step_id=step, instance_id=iid, connector_id=cw, method="GET",
            url=f"https://cw.example/v4_6_release/company/contacts?page={page}",
            status_code=200, duration_ms=120, started_at=ref - 2 * HOUR + page,
        )  # fmt: skip
        ids = await store.write_batch(
            Batch(
                entities=entities,
                calls=[pull],
                run_id=rid,
                run_counts=Counts(pulled=15),
                step_id=step,
                step_counts=Counts(processed=15),
            )  # fmt: skip
        )
        s.entities += len(ids)
        if page == 1:
            s.entity_with_calls = ids[0]
    s.payload_call = int(await store._scalar("SELECT MIN(call_id) FROM payloads"))
    levels = ["INFO", "INFO", "WARNING", "ERROR"]
    logs = []
    for i in range(100):
        level = levels[i % 4]
        title = {
            "INFO": "Customers sync completed: 12 created, 3 updated, 1 failed. Duration: 5321ms.",
            "WARNING": "One or more invoice line customers are not mapped.",
            "ERROR": "Agreement with ID 123 does not belong to company with ID 456.",
        }[level]
        logs.append(
            LogRow(
                ts=ref - 19 * DAY + i * 4 * HOUR,
                level=level,
                kind="milestone" if level == "INFO" else "event",
                title=title,
                details="\x1b[31mred\x1b]52;c;aGk=\x07 text" if i == 99 else f"event {i}",
                connector_id=cw if i % 2 == 0 else hs,
                service_id=svc1,
                run_id=rid,
            )  # fmt: skip
        )
        s.log_levels[level] = s.log_levels.get(level, 0) + 1
    await store.write_batch(Batch(logs=logs))
    s.logs = len(logs)
    return s

"""A small deterministic store for the console's tests and screenshots (write API only)."""

from __future__ import annotations

import json
import random
from pathlib import Path

from core.store import Batch, CallRow, Counts, EntityRow, LogRow, open_store

# 2026-03-02 09:30:00 UTC: the fixed "now" of snapshot tests.
FIXED_NOW = 1772443800.0

EVIL = "[bold red]x[/] [/ \x1b]52;c;aGk=\x07 \x1b[2J \u202eend\u2066\u200f"

STREAMS = {"customers": ("companies", "contacts"), "invoices": ("invoice_lines",)}
MESSAGES = [
    ("INFO", "milestone", "Customers sync started", "Customers sync started for reseller r-7."),
    ("INFO", "milestone", "Customers sync completed", "12 created, 30 updated, 1 failed."),
    ("INFO", "event", "Products loaded", "Products loaded for period: last 3 months."),
    ("WARNING", "event", "Unmapped lines skipped", "2 rows with Mapping Status Unmapped."),
    ("WARNING", "event", "Subscription skipped", "Line skipped: incomplete data."),
    ("ERROR", "event", "Agreement mismatch", "Agreement with ID 88 does not belong to company 12."),
    ("ERROR", "event", "401 Unauthorized", "POST /companies answered 401 Unauthorized."),
    ("ERROR", "event", "Rate limited", "429 Too Many Requests after 5 attempts."),
]
CODES = {"Agreement mismatch": "agreement_mismatch", "401 Unauthorized": "http_401"}


async def build_store(
    path: str | Path, *, now: float = FIXED_NOW, runs: int = 6, logs: int = 45, evil: bool = False
) -> dict[str, int]:
    """Two connectors, two services, `runs` runs (the newest still running), their steps, pages,
    entities and calls, and `logs` log events spread over the last 30 days."""
    rnd = random.Random(7)
    store = await open_store(path, create=True)
    try:
        hub = await store.upsert_connector("hubspot", base_url="https://api.hubapi.com")
        erp = await store.upsert_connector("acme-erp", base_url="https://erp.example.com")
        services = {
            "customers": await store.upsert_service(
                "customers", source_id=hub, destination_id=erp, schedule="*/15 * * * *"
            ),
            "invoices": await store.upsert_service("invoices", source_id=erp, destination_id=hub),
        }
        out: dict[str, int] = {"hubspot": hub, "acme-erp": erp}
        for n in range(runs):
            name = "customers" if n % 3 != 2 else "invoices"
            started = now - (runs - n) * 3600 - 600
            running = n == runs - 1
            run_id = await store.start_run(
                services[name],
                sync_type="full" if n == 0 else "update",
                trigger="schedule" if n % 2 else "manual",
                started_at=started,
            )
            await store.update_run(run_id, host="worker-1.example")  # not this machine's name
            out.setdefault("first_run", run_id)
            out["last_run"] = run_id
            for s_no, stream in enumerate(STREAMS[name]):
                step_id = await store.start_step(run_id, stream, started_at=started + s_no * 20)
                out.setdefault("first_step", step_id)
                for page in range(1, 4):
                    url = f"https://api.hubapi.com/crm/v3/objects/{stream}?page={page}"
                    inst = await store.add_instance(
                        step_id, run_id, page=page, method="GET", url=url,
                        started_at=started + page,
                    )  # fmt: skip
                    await store.update_instance(
                        inst, records=5, retries=page == 3, headroom=0.8 - page / 10,
                        status_code=200, duration_ms=120 + page * 7,
                    )  # fmt: skip
                    out.setdefault("first_instance", inst)
                    batch = Batch(run_id=run_id, step_id=step_id)
                    c = Counts(pulled=5, processed=5)
                    for e in range(5):
                        ext = str(4700 + page * 10 + e)
                        if evil and n == 0 and page == 1 and e == 0:
                            ext = "4711" + EVIL
                        fail = e == 4 and page == 2
                        action = "fail" if fail else ("create" if e % 2 else "update")
                        status = 401 if fail else (201 if action == "create" else 200)
                        body = {"id": f"C-{ext[:6]}", "name": f"Company {e}", "ok": not fail}
                        call = CallRow(
                            run_id=run_id, step_id=step_id, instance_id=inst, connector_id=erp,
                            method="POST" if action == "create" else "PATCH",
                            url=f"https://erp.example.com/api/companies/{ext[:6]}"
                            + (EVIL if evil and n == 0 else ""),
                            started_at=started + page + e / 10,
                            params={"external_id": ext, "dry_run": False},
                            status_code=status, duration_ms=rnd.randint(40, 400),
                            error="401 Unauthorized: token rejected" if fail else "",
                            request_headers={"Authorization": "***", "Accept": "application/json"},
                            response_headers={"Content-Type": "application/json"},
                            response_body=json.dumps(body),
                        )  # fmt: skip
                        batch.entities.append(
                            EntityRow(
                                step_id=step_id,
                                run_id=run_id,
                                instance_id=inst,
                                external_id=ext,
                                internal_id=None if fail else f"C-{ext[:6]}",
                                action=action,
                                status="failed" if fail else "success",
                                reason="401 Unauthorized: token rejected" if fail else "",
                                created_at=started + page + e / 10,
                                calls=[call],
                            )  # fmt: skip
                        )
                        c.pushed += 0 if fail else 1
                        c.failed += fail
                        c.created += action == "create"
                        c.updated += action == "update"
                    batch.run_counts = c
                    batch.step_counts = Counts(
                        processed=5, created=c.created, updated=c.updated, failed=c.failed
                    )
                    await store.write_batch(batch)
                if not running:
                    await store.update_step(
                        step_id, status="partial", finished_at=started + 95, rate_limited=s_no == 1
                    )
            if not running:
                await store.update_run(
                    run_id, status="partial", finished_at=started + 100 + n,
                    errors=3, message="3 entities failed: 401 Unauthorized",
                )  # fmt: skip
        out["running_run"] = out["last_run"]
        log_rows = []
        for i in range(logs):
            level, kind, title, details = MESSAGES[i % len(MESSAGES)]
            if evil and i == logs - 1:
                title, details, level = "Evil " + EVIL, "details " + EVIL, "ERROR"
            log_rows.append(
                LogRow(
                    ts=now - (logs - 1 - i) * 11_000 - 180,
                    level=level,
                    kind=kind,
                    title=title,
                    details=details,
                    connector_id=hub if i % 2 else erp,
                    service_id=services["customers"],
                    run_id=out["first_run"] + (i % runs),
                    code=CODES.get(title),
                )  # fmt: skip
            )
        await store.write_batch(Batch(logs=log_rows))
        return out
    finally:
        await store.close()


async def add_log(
    path: str | Path, ts: float, title: str = "New event", level: str = "INFO"
) -> int:
    """Another process's write: one log event through a separate store connection."""
    store = await open_store(path, create=False)
    try:
        return await store.add_log(LogRow(ts=ts, level=level, kind="event", title=title))
    finally:
        await store.close()

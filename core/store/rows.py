"""Database rows (sqlite3.Row or asyncpg.Record: both index by column name) -> models. The only
place that knows column names and model fields both; the SELECTs here run on both backends.
"""

from __future__ import annotations

import json
import zlib
from typing import Any

from ..models import (
    ApiCall,
    Connector,
    Entity,
    LogEvent,
    Run,
    SearchHit,
    Service,
    Step,
    StepInstance,
    ValueMapping,
    Worker,
)
from ..timeutil import to_dt

Row = Any  # sqlite3.Row or asyncpg.Record: both give r["column"]

RUN_SELECT = """
SELECT r.*, s.name AS service, src.name AS source, dst.name AS destination
FROM runs r
LEFT JOIN services s ON s.id = r.service_id
LEFT JOIN connectors src ON src.id = s.source_id
LEFT JOIN connectors dst ON dst.id = s.destination_id
"""

LOG_SELECT = """
SELECT l.*, c.name AS connector, s.name AS service
FROM log_events l
LEFT JOIN connectors c ON c.id = l.connector_id
LEFT JOIN services s ON s.id = l.service_id
"""

CALL_SELECT = """
SELECT a.*, c.name AS connector, p.request_body, p.response_body, p.compressed
FROM api_calls a
LEFT JOIN connectors c ON c.id = a.connector_id
LEFT JOIN payloads p ON p.call_id = a.id
"""


def connector(r: Row, last_synced: float | None = None) -> Connector:
    return Connector(
        id=r["id"],
        name=r["name"],
        preset=r["preset"],
        base_url=r["base_url"],
        status=r["status"],
        status_detail=r["status_detail"],
        tested_at=to_dt(r["tested_at"]),
        last_synced_at=to_dt(last_synced),
        enabled=bool(r["enabled"]),
    )


def service(r: Row) -> Service:
    cfg = json.loads(r["config_json"] or "{}")
    return Service(
        id=r["id"],
        name=r["name"],
        source=r["source"],
        destination=r["destination"],
        schedule=r["schedule"],
        enabled=bool(r["enabled"]),
        cooldown_minutes=r["cooldown_minutes"],
        capture_payloads=bool(r["capture_payloads"]),
        streams=[s.get("name", "") for s in cfg.get("streams", [])],
        filters=[str(f) for f in cfg.get("filters", [])],
    )


def run(r: Row) -> Run:
    return Run(
        id=r["id"],
        service_id=r["service_id"],
        service=r["service"] or "(deleted service)",
        source=r["source"] or "",
        destination=r["destination"] or "",
        sync_type=r["sync_type"],
        trigger=r["trigger"],
        status=r["status"],
        started_at=to_dt(r["started_at"]),
        finished_at=to_dt(r["finished_at"]),
        pulled=r["pulled"],
        pushed=r["pushed"],
        created=r["created"],
        updated=r["updated"],
        skipped=r["skipped"],
        failed=r["failed"],
        errors=r["errors"],
        message=r["message"],
        retry_of=r["retry_of"],
        host=r["host"],
        pid=r["pid"],
        heartbeat_at=to_dt(r["heartbeat_at"]),
        worker_id=r["worker_id"],
    )


def worker(r: Any) -> Worker:
    """A workers row joined with its runs in hand and its heartbeat age (database clock)."""
    age = max(0.0, float(r["db_now"]) - float(r["heartbeat_at"]))
    return Worker(
        id=r["id"],
        host=r["host"],
        pid=r["pid"],
        started_at=to_dt(r["started_at"]),
        heartbeat_at=to_dt(r["heartbeat_at"]),
        lease_seconds=r["lease_seconds"],
        status=r["status"],
        stopped_at=to_dt(r["stopped_at"]),
        runs_in_hand=r["runs_in_hand"],
        heartbeat_age=age,
        stale=r["status"] == "running" and age > float(r["lease_seconds"]),
    )


def step(r: Row) -> Step:
    return Step(
        id=r["id"],
        run_id=r["run_id"],
        stream=r["stream"],
        status=r["status"],
        started_at=to_dt(r["started_at"]),
        finished_at=to_dt(r["finished_at"]),
        processed=r["processed"],
        created=r["created"],
        updated=r["updated"],
        skipped=r["skipped"],
        failed=r["failed"],
        rate_limited=bool(r["rate_limited"]),
        message=r["message"],
    )


def instance(r: Row) -> StepInstance:
    return StepInstance(
        id=r["id"],
        step_id=r["step_id"],
        run_id=r["run_id"],
        page=r["page"],
        method=r["method"],
        url=r["url"],
        cursor=r["cursor"],
        records=r["records"],
        retries=r["retries"],
        headroom=r["headroom"],
        status_code=r["status_code"],
        duration_ms=r["duration_ms"],
        started_at=to_dt(r["started_at"]),
    )


def entity(r: Row) -> Entity:
    return Entity(
        id=r["id"],
        step_id=r["step_id"],
        run_id=r["run_id"],
        instance_id=r["instance_id"],
        external_id=r["external_id"],
        internal_id=r["internal_id"],
        action=r["action"],
        status=r["status"],
        reason=r["reason"],
        created_at=to_dt(r["created_at"]),
    )


def unpack_body(body: bytes | str | None, compressed: int | None) -> str | None:
    """Payloads older than 7 days are zlib-compressed in place; read them back the same."""
    if body is None:
        return None
    if compressed and isinstance(body, bytes | bytearray):
        body = zlib.decompress(body)
    if isinstance(body, bytes | bytearray):
        return body.decode("utf-8", errors="replace")
    return body


def api_call(r: Row) -> ApiCall:
    return ApiCall(
        id=r["id"],
        run_id=r["run_id"],
        step_id=r["step_id"],
        instance_id=r["instance_id"],
        entity_id=r["entity_id"],
        connector=r["connector"] or "",
        method=r["method"],
        url=r["url"],
        params=json.loads(r["params_json"] or "{}"),
        status_code=r["status_code"],
        duration_ms=r["duration_ms"],
        attempt=r["attempt"],
        error=r["error"],
        started_at=to_dt(r["started_at"]),
        request_headers=json.loads(r["request_headers_json"] or "{}"),
        response_headers=json.loads(r["response_headers_json"] or "{}"),
        request_body=unpack_body(r["request_body"], r["compressed"]),
        response_body=unpack_body(r["response_body"], r["compressed"]),
    )


def log_event(r: Row) -> LogEvent:
    return LogEvent(
        id=r["id"],
        ts=to_dt(r["ts"]),
        level=r["level"],
        kind=r["kind"],
        title=r["title"],
        details=r["details"],
        connector=r["connector"],
        service=r["service"],
        run_id=r["run_id"],
        step_id=r["step_id"],
        entity_id=r["entity_id"],
        code=r["code"],
    )


def value_mapping(r: Row) -> ValueMapping:
    return ValueMapping(
        lookup=r["lookup"],
        source_value=r["source_value"],
        destination_value=r["destination_value"],
        status=r["status"],
    )


def search_hit(r: Row) -> SearchHit:
    return SearchHit(
        run_id=r["run_id"],
        step_id=r["step_id"],
        entity_id=r["id"],
        service=r["service"] or "",
        stream=r["stream"],
        external_id=r["external_id"],
        internal_id=r["internal_id"],
        action=r["action"],
        status=r["status"],
        reason=r["reason"],
        at=to_dt(r["created_at"]),
    )

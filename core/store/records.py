"""Plain rows the engine hands to the store on its hot path (no pydantic there)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class CallRow:
    run_id: int
    method: str
    url: str
    started_at: float
    step_id: int | None = None
    instance_id: int | None = None
    entity_id: int | None = None
    connector_id: int | None = None
    params: dict[str, Any] = field(default_factory=dict)
    status_code: int | None = None
    duration_ms: int | None = None
    attempt: int = 1
    error: str = ""
    request_headers: dict[str, str] = field(default_factory=dict)
    response_headers: dict[str, str] = field(default_factory=dict)
    request_body: str | None = None
    response_body: str | None = None


@dataclass(slots=True)
class EntityRow:
    step_id: int
    run_id: int
    external_id: str
    action: str
    status: str
    created_at: float
    instance_id: int | None = None
    internal_id: str | None = None
    reason: str = ""
    calls: list[CallRow] = field(default_factory=list)


@dataclass(slots=True)
class LogRow:
    ts: float
    level: str
    kind: str
    title: str
    details: str = ""
    connector_id: int | None = None
    service_id: int | None = None
    run_id: int | None = None
    step_id: int | None = None
    entity_id: int | None = None
    code: str | None = None


@dataclass(slots=True)
class IdMapRow:
    service_id: int
    stream: str
    external_id: str
    internal_id: str | None
    payload_hash: str | None
    pending: bool = False


@dataclass(slots=True)
class Counts:
    """Increments to a run's or a step's counters, applied in the same transaction."""

    pulled: int = 0
    pushed: int = 0
    processed: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    failed: int = 0
    errors: int = 0


@dataclass(slots=True)
class InstanceRow:
    """A pulled page, inserted by write_batch together with the rows it produced."""

    step_id: int
    run_id: int
    page: int
    method: str
    url: str
    cursor: str | None = None
    started_at: float = 0.0
    records: int = 0
    retries: int = 0
    headroom: float | None = None
    status_code: int | None = None
    duration_ms: int | None = None


@dataclass
class Batch:
    """Everything one page (or one batch of pushes) produced, committed together."""

    entities: list[EntityRow] = field(default_factory=list)
    calls: list[CallRow] = field(default_factory=list)  # calls not tied to an entity
    logs: list[LogRow] = field(default_factory=list)
    id_map: list[IdMapRow] = field(default_factory=list)
    run_id: int | None = None
    run_counts: Counts | None = None
    step_id: int | None = None
    step_counts: Counts | None = None
    stream_state: tuple[int, str, str | None] | None = None  # service_id, stream, cursor
    # The page itself: inserted first; its id fills instance_id of the entities and calls
    # that have none, and is kept in `instance_id` once committed.
    instance: InstanceRow | None = None
    instance_id: int | None = None
    # Logs about one entity of this batch: (index in `entities`, log); entity_id is filled.
    entity_logs: list[tuple[int, LogRow]] = field(default_factory=list)
    # Source values seen without a mapping: (service_id, lookup, values) -> 'unmapped' rows.
    unmapped: list[tuple[int, str, list[str]]] = field(default_factory=list)

    def __len__(self) -> int:
        return (
            len(self.entities)
            + sum(len(e.calls) for e in self.entities)
            + len(self.calls)
            + len(self.logs)
        )


@dataclass
class PruneReport:
    deleted: dict[str, int] = field(default_factory=dict)
    payloads_dropped: int = 0
    payloads_compressed: int = 0
    cutoff: float = 0.0


# Bulk loads (demo history, `db migrate`): the columns of each kind of row, in tuple order.
# Rows carry explicit ids; the backend moves its id allocation past them.
BULK_COLUMNS: dict[str, tuple[str, ...]] = {
    "runs": (
        "id", "service_id", "sync_type", "trigger", "status", "started_at", "finished_at",
        "pulled", "pushed", "created", "updated", "skipped", "failed", "errors", "message",
        "retry_of", "pid", "host", "heartbeat_at", "cancel_requested",
    ),
    "steps": (
        "id", "run_id", "stream", "status", "started_at", "finished_at", "processed", "created",
        "updated", "skipped", "failed", "rate_limited", "message",
    ),
    "instances": (
        "id", "step_id", "run_id", "page", "method", "url", "cursor", "records", "retries",
        "headroom", "status_code", "duration_ms", "started_at",
    ),
    "entities": (
        "id", "step_id", "run_id", "instance_id", "external_id", "internal_id", "action",
        "status", "reason", "created_at",
    ),
    "calls": (
        "id", "run_id", "step_id", "instance_id", "entity_id", "connector_id", "method", "url",
        "params_json", "status_code", "duration_ms", "attempt", "error", "started_at",
        "request_headers_json", "response_headers_json",
    ),
    "payloads": ("call_id", "created_at", "request_body", "response_body"),
    "logs": (
        "id", "ts", "level", "kind", "title", "details", "connector_id", "service_id", "run_id",
        "step_id", "entity_id", "code",
    ),
}  # fmt: skip
BULK_TABLES = {
    "runs": "runs", "steps": "steps", "instances": "instances", "entities": "entities",
    "calls": "api_calls", "payloads": "payloads", "logs": "log_events",
}  # fmt: skip


def forget_ids(batch: Batch) -> None:
    """Undo the ids a rolled-back write_batch gave the batch's rows (the page's instance id on
    its entities and calls, entity ids on their calls), so writing it again (the disk was
    full, then had room) starts clean."""
    iid = batch.instance_id
    if batch.instance is not None and iid is not None:
        batch.instance_id = None
        for e in batch.entities:
            if e.instance_id == iid:
                e.instance_id = None
        for c in [*batch.calls, *(c for e in batch.entities for c in e.calls)]:
            if c.instance_id == iid:
                c.instance_id = None
    for e in batch.entities:
        for c in e.calls:
            c.entity_id = None


@dataclass(slots=True)
class Claim:
    """A queued run a worker has just claimed (it is now running, owned by that worker)."""

    run_id: int
    service_id: int
    service: str
    trigger: str
    retry_of: int | None = None
    options: dict[str, Any] = field(default_factory=dict)

"""Pydantic models of the words in PRODUCT.md.

These are the shapes the store returns and the facade hands to the console and the CLI.
Times are timezone-aware UTC datetimes; the console converts them to local time.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ConnectorStatus(StrEnum):
    CONNECTED = "connected"
    DISCONNECTED = "disconnected"
    ERROR = "error"
    UNTESTED = "untested"


class SyncType(StrEnum):
    FULL = "full"
    UPDATE = "update"
    BACKGROUND = "background"


class Trigger(StrEnum):
    MANUAL = "manual"
    SCHEDULE = "schedule"
    RETRY = "retry"


class RunStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCESS = "success"
    PARTIAL = "partial"
    FAILED = "failed"
    CANCELLED = "cancelled"
    INTERRUPTED = "interrupted"

    @property
    def finished(self) -> bool:
        return self not in (RunStatus.QUEUED, RunStatus.RUNNING)


class StepStatus(StrEnum):
    RUNNING = "running"
    SUCCESS = "success"
    PARTIAL = "partial"
    FAILED = "failed"
    CANCELLED = "cancelled"
    INTERRUPTED = "interrupted"


class EntityAction(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    SKIP = "skip"
    DELETE = "delete"
    FAIL = "fail"


class EntityStatus(StrEnum):
    SUCCESS = "success"
    SKIPPED = "skipped"
    FAILED = "failed"


class LogLevel(StrEnum):
    INFO = "INFO"
    WARNING = "WARNING"
    ERROR = "ERROR"


class LogKind(StrEnum):
    MILESTONE = "milestone"
    EVENT = "event"


class MappingStatus(StrEnum):
    MAPPED = "mapped"
    UNMAPPED = "unmapped"
    RESPONSE_ERROR = "response_error"


class _Row(BaseModel):
    model_config = ConfigDict(frozen=True, use_enum_values=False)


class Connector(_Row):
    id: int
    name: str
    preset: str | None = None
    base_url: str = ""
    status: ConnectorStatus = ConnectorStatus.UNTESTED
    status_detail: str = ""
    tested_at: datetime | None = None
    last_synced_at: datetime | None = None
    enabled: bool = True


class Stream(_Row):
    name: str
    key: str = "id"


class Service(_Row):
    id: int
    name: str
    source: str
    destination: str
    schedule: str | None = None
    enabled: bool = True
    cooldown_minutes: int = 60
    capture_payloads: bool = False
    streams: list[str] = Field(default_factory=list)
    filters: list[str] = Field(default_factory=list)  # which source records it takes


class Run(_Row):
    id: int
    service_id: int | None
    service: str
    source: str
    destination: str
    sync_type: SyncType
    trigger: Trigger
    status: RunStatus
    started_at: datetime
    finished_at: datetime | None = None
    pulled: int = 0
    pushed: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    failed: int = 0
    errors: int = 0
    message: str = ""
    retry_of: int | None = None
    host: str | None = None  # where its process runs, its pid, and when it last said so
    pid: int | None = None
    heartbeat_at: datetime | None = None
    worker_id: int | None = None  # the worker that claimed it, when a worker did
    stale: bool = False  # "running" but its process is gone or silent: probably dead (not stored)

    @property
    def shown_status(self) -> str:
        """The status in words: a stale run reads so, whatever its row still says."""
        return "stale / probably dead" if self.stale else self.status.value

    @property
    def stale_note(self) -> str:
        if not self.stale:
            return ""
        where = f"Its process (pid {self.pid} on {self.host})" if self.pid else "Its process"
        return (
            f"{where} is gone or silent; the next syncdeck command without --read-only marks "
            "it interrupted."
        )

    @property
    def duration_ms(self) -> int | None:
        if self.finished_at is None:
            return None
        return int((self.finished_at - self.started_at).total_seconds() * 1000)


class Worker(_Row):
    """One `syncdeck worker` process: where it runs and whether it is still alive. `stale` is
    decided by the database's clock (the heartbeat is older than the worker's lease)."""

    id: int
    host: str
    pid: int
    started_at: datetime
    heartbeat_at: datetime
    lease_seconds: float
    status: str  # running | stopped | lost
    stopped_at: datetime | None = None
    runs_in_hand: int = 0
    heartbeat_age: float = 0.0  # seconds, by the database's clock
    stale: bool = False


class Step(_Row):
    id: int
    run_id: int
    stream: str
    status: StepStatus
    started_at: datetime
    finished_at: datetime | None = None
    processed: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    failed: int = 0
    rate_limited: bool = False
    message: str = ""


class StepInstance(_Row):
    id: int
    step_id: int
    run_id: int
    page: int
    method: str
    url: str
    cursor: str | None = None
    records: int = 0
    retries: int = 0
    headroom: float | None = None  # share of the rate-limit budget left, 0..1
    status_code: int | None = None
    duration_ms: int | None = None
    started_at: datetime


class Entity(_Row):
    id: int
    step_id: int
    run_id: int
    instance_id: int | None = None
    external_id: str
    internal_id: str | None = None
    action: EntityAction
    status: EntityStatus
    reason: str = ""
    created_at: datetime


class ApiCall(_Row):
    id: int
    run_id: int
    step_id: int | None = None
    instance_id: int | None = None
    entity_id: int | None = None
    connector: str = ""
    method: str
    url: str
    params: dict[str, Any] = Field(default_factory=dict)
    status_code: int | None = None
    duration_ms: int | None = None
    attempt: int = 1
    error: str = ""
    started_at: datetime
    request_headers: dict[str, str] = Field(default_factory=dict)
    response_headers: dict[str, str] = Field(default_factory=dict)
    request_body: str | None = None
    response_body: str | None = None


class LogEvent(_Row):
    id: int
    ts: datetime
    level: LogLevel
    kind: LogKind
    title: str
    details: str = ""
    connector: str | None = None
    service: str | None = None
    run_id: int | None = None
    step_id: int | None = None
    entity_id: int | None = None
    code: str | None = None  # troubleshooting catalogue key, e.g. "http_401"


class FieldMapping(_Row):
    destination: str
    source: str | None = None
    transforms: list[str] = Field(default_factory=list)
    lookup: str | None = None
    default: Any = None
    required: bool = False


class ValueMapping(_Row):
    lookup: str
    source_value: str
    destination_value: str | None = None
    status: MappingStatus = MappingStatus.UNMAPPED


class Tiles(_Row):
    total: int
    errors: int
    warnings: int
    last_update: datetime | None
    scope: str = "all"
    milestones: int = 0  # log events of kind milestone (Levelup's cards), within `total`


class ConnectorTiles(_Row):
    connector: str
    total: int
    errors: int
    warnings: int
    last_update: datetime | None
    last_synced_at: datetime | None
    milestones: int = 0  # log events of kind milestone, within `total`


class SearchHit(_Row):
    run_id: int
    step_id: int
    entity_id: int
    service: str
    stream: str
    external_id: str
    internal_id: str | None
    action: EntityAction
    status: EntityStatus
    reason: str
    at: datetime

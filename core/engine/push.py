"""Decide and push one page: create / update / skip via the id map and a payload hash.

Crash safety: before any create is sent, its id-map entry is committed as `pending`. The page's
results (internal ids, hashes, pending cleared) are committed with its entities in one batch.
A pending entry found by a later run means a create may have reached the destination without
its id being kept: with `push.find` it is looked up there (and adopted); without it the entity
fails with that reason instead of risking a duplicate.
"""

from __future__ import annotations

import asyncio
import re
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from ..config import StreamConfig, parse_endpoint
from ..connectors.client import Client, Exchange, ResponseError
from ..mapping.fields import Mapper, MappingFailed, Skip, payload_hash
from ..mapping.paths import get_path
from ..models import EntityAction, EntityStatus
from ..store import Batch, Counts, EntityRow, IdMapRow, Store
from ..timeutil import now
from .batch_push import batchable, push_batches
from .id_refs import resolve as resolve_refs
from .pull import select_records
from .write_request import WriteFailed, send

_DRY_RUN = "dry run: nothing was sent"
UNCHANGED = "unchanged since the last successful push"
AMBIGUOUS = "an earlier run stopped while creating this record, so it may already exist"


_UNKNOWN: tuple[None, None, bool] = (None, None, False)
# enum members as module constants (attribute access on an Enum class is slow per record)
_CREATE, _UPDATE, _SKIP, _FAIL = (
    EntityAction.CREATE,
    EntityAction.UPDATE,
    EntityAction.SKIP,
    EntityAction.FAIL,
)
_SUCCESS, _SKIPPED, _FAILED = EntityStatus.SUCCESS, EntityStatus.SKIPPED, EntityStatus.FAILED


# (entity status, reason, internal id, calls, id-map row to commit)
Result = tuple[str, str, "str | None", list, "IdMapRow | None"]


@dataclass(slots=True)
class Decision:
    index: int
    external_id: str
    action: str
    payload: dict[str, Any] | None = None
    hash: str | None = None
    internal_id: str | None = None
    reason: str = ""
    reconcile: bool = False


@dataclass
class PageOutcome:
    entities: list[EntityRow] = field(default_factory=list)
    id_map: list[IdMapRow] = field(default_factory=list)
    counts: Counts = field(default_factory=Counts)
    unmapped: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    failures: list[tuple[str, str]] = field(default_factory=list)  # (external id, reason)


_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_.]*)\}")


def _endpoint(
    template: str, *, internal_id: str = "", key: str = "", payload: dict | None = None
) -> tuple[str, str]:
    """METHOD and path with {id} (destination id), {key} (external id) and any other {field}
    taken from the payload ('POST /finance/agreements/{agreementId}/additions'), percent-encoded.
    Raises WriteFailed when the payload lacks a field the path names."""
    method, path = parse_endpoint(template)
    path = path.replace("{id}", quote(internal_id, safe="")).replace("{key}", quote(key, safe=""))

    def fill(m: re.Match[str]) -> str:
        value = get_path(payload or {}, m.group(1))
        if value in (None, ""):
            raise WriteFailed(f"the path {template} needs {m.group(1)}, which the record lacks")
        return quote(str(value), safe="")

    return method, _PLACEHOLDER.sub(fill, path)


class Pusher:
    def __init__(
        self,
        store: Store,
        client: Client | None,
        stream: StreamConfig,
        mapper: Mapper,
        *,
        service_id: int,
        dry_run: bool = False,
    ) -> None:
        self.store = store
        self.client = client
        self.stream = stream
        self.mapper = mapper
        self.service_id = service_id
        self.dry_run = dry_run or stream.push is None or client is None
        self.confirmed = False  # a push has succeeded: a later 401/403 is not a setup problem
        self.auth_failure: Exchange | None = None
        # Id-map results of pages whose batch is queued but not committed yet (the recorder
        # writes in the background): decide() sees them as if they were in the store.
        self.unsaved: dict[str, tuple[str | None, str | None, bool]] = {}
        self.has_refs = any(f.id_of for f in stream.fields.values())
        self._unsaved_rows: dict[str, IdMapRow] = {}

    async def decide(self, records: list[Any], out: PageOutcome) -> list[Decision]:
        decisions: list[Decision] = []
        append = decisions.append
        external_id = self.mapper.external_id
        ext_ids = [external_id(r) if isinstance(r, dict) else None for r in records]
        # one query for the page's ids
        known = await self.store.get_id_map(
            self.service_id, self.stream.name, [e for e in ext_ids if e is not None]
        )
        if self.unsaved:
            unsaved = self.unsaved
            known.update({e: unsaved[e] for e in ext_ids if e in unsaved})
        hash_creates = not self.dry_run  # a dry-run create needs no hash (nothing compares it)
        map_record = self.mapper.map_record
        unmapped: list[tuple[str, str]] = []
        get_known = known.get
        i = -1
        for rec, ext in zip(records, ext_ids, strict=True):
            i += 1
            if ext is None:
                reason = f"the record has no {self.stream.key} (the stream's key)"
                append(Decision(i, f"#{i + 1}", _FAIL, reason=reason))
                continue
            try:
                payload = map_record(rec, unmapped)
            except MappingFailed as exc:
                append(Decision(i, ext, _FAIL, reason=str(exc)))
                continue
            except Skip as exc:
                append(Decision(i, ext, _SKIP, reason=str(exc)))
                continue
            internal, old_hash, pending = get_known(ext, _UNKNOWN)
            if internal:
                h = payload_hash(payload)
                if not pending and old_hash == h:
                    append(Decision(i, ext, _SKIP, payload, h, internal, UNCHANGED))
                else:
                    append(Decision(i, ext, _UPDATE, payload, h, internal))
            else:
                h = payload_hash(payload) if hash_creates else None
                append(Decision(i, ext, _CREATE, payload, h, reconcile=pending))
        for lookup, value in unmapped:
            out.unmapped[lookup].add(value)
        if self.has_refs:
            await self._resolve_refs(decisions, known)
        return decisions

    async def _resolve_refs(self, decisions: list[Decision], known: dict) -> None:
        """Replace id_of references by destination ids, then decide update / unchanged again
        on the payload that will be sent."""
        live = [d for d in decisions if d.payload is not None and d.action is not _FAIL]
        resolved = await resolve_refs(self.store, self.service_id, [d.payload for d in live])
        for d, (payload, reason) in zip(live, resolved, strict=True):
            if payload is None:
                d.action, d.payload, d.hash, d.reason = _FAIL, None, None, reason
                continue
            if payload is d.payload or d.action is _SKIP and d.reason != UNCHANGED:
                continue
            d.payload = payload
            d.hash = payload_hash(payload)
            if d.internal_id:
                _, old_hash, pending = known.get(d.external_id, _UNKNOWN)
                same = not pending and old_hash == d.hash
                d.action, d.reason = (_SKIP, UNCHANGED) if same else (_UPDATE, "")

    async def page(
        self,
        records: list[Any],
        *,
        step_id: int,
        run_id: int,
        instance_id: int | None,
        before_creates: Callable[[], Awaitable[None]] | None = None,
    ) -> PageOutcome:
        out = PageOutcome()
        decisions = await self.decide(records, out)
        creates = [d for d in decisions if d.action is _CREATE]
        if creates and not self.dry_run:
            if (
                self.unsaved
                and before_creates is not None
                and any(d.external_id in self.unsaved for d in creates)
            ):
                await before_creates()  # an earlier page's result for the same id comes first
            await self.store.put_id_map(
                IdMapRow(self.service_id, self.stream.name, d.external_id, None, None, True)
                for d in creates
                if not d.reconcile
            )
        settled = self._settled
        results: list[Any] = [settled(d) for d in decisions]
        sent = [i for i, r in enumerate(results) if r is None]
        batch = self.stream.push.batch if self.stream.push is not None else None
        if sent and batch is not None:
            grouped = [decisions[i] for i in sent if batchable(batch, decisions[i])]
            for i, r in (await push_batches(self, grouped)).items():
                results[i] = r
            sent = [i for i in sent if results[i] is None]
        if sent:
            pushed = await asyncio.gather(*(self._push(decisions[i]) for i in sent))
            for i, r in zip(sent, pushed, strict=True):
                results[i] = r
        t = now()
        unsaved = self.unsaved
        unsaved_rows = self._unsaved_rows
        entities = out.entities
        add_entity = entities.append
        created = updated = skipped = failed = 0
        for d, (status, reason, internal, calls, id_row) in zip(decisions, results, strict=True):
            add_entity(
                EntityRow(
                    step_id, run_id, d.external_id, d.action, status, t, instance_id, internal,
                    reason, calls,
                )
            )  # fmt: skip
            if id_row is not None:
                out.id_map.append(id_row)
                # as the upsert will store it: internal_id = COALESCE(new, old)
                unsaved_rows[d.external_id] = id_row
                unsaved[d.external_id] = (
                    id_row.internal_id if id_row.internal_id is not None else d.internal_id,
                    id_row.payload_hash,
                    id_row.pending,
                )
            if status is _FAILED or status == _FAILED:
                failed += 1
                out.failures.append((d.external_id, reason))
            elif status is _SKIPPED or status == _SKIPPED:
                skipped += 1
            elif d.action is _CREATE or d.action == _CREATE:
                created += 1
            else:
                updated += 1
        c = out.counts
        c.processed += len(decisions)
        c.failed += failed
        c.errors += failed
        c.skipped += skipped
        c.created += created
        c.updated += updated
        return out

    def committed(self, batch: Batch) -> None:
        """A page's batch is in the store: its id-map rows need no longer be kept here."""
        for row in batch.id_map:
            if self._unsaved_rows.get(row.external_id) is row:  # not superseded by a later page
                del self._unsaved_rows[row.external_id]
                del self.unsaved[row.external_id]

    def _settled(self, d: Decision) -> tuple[str, str, str | None, list, IdMapRow | None] | None:
        """The outcome of a decision that sends nothing (fail, skip, dry run); None otherwise."""
        action = d.action
        if action is _FAIL:
            return _FAILED, d.reason, None, [], None
        if action is _SKIP:
            return _SKIPPED, d.reason, d.internal_id, [], None
        if self.dry_run:
            return _SUCCESS, _DRY_RUN, d.internal_id, [], None
        return None

    def id_row(self, d: Decision, internal: str | None, h: str | None, pending: bool) -> IdMapRow:
        return IdMapRow(self.service_id, self.stream.name, d.external_id, internal, h, pending)

    _row = id_row

    async def _push(self, d: Decision) -> tuple[str, str, str | None, list, IdMapRow | None]:
        """(entity status, reason, internal id, calls, id-map row to commit)."""
        if d.action == EntityAction.FAIL:
            return EntityStatus.FAILED, d.reason, None, [], None
        if d.action == EntityAction.SKIP:
            return EntityStatus.SKIPPED, d.reason, d.internal_id, [], None
        if self.dry_run:
            return EntityStatus.SUCCESS, "dry run: nothing was sent", d.internal_id, [], None
        assert self.client is not None and self.stream.push is not None
        push = self.stream.push
        calls: list = []
        if d.action == EntityAction.CREATE and d.reconcile:
            if not push.find:
                reason = f"{AMBIGUOUS}; set push.find so syncdeck can look it up at the destination"
                return EntityStatus.FAILED, reason, None, [], None
            found, ex = await self._find(d)
            calls.extend(ex.calls)
            if not ex.ok:
                return (
                    EntityStatus.FAILED,
                    f"{AMBIGUOUS}; looking it up failed: {ex.error}",
                    None,
                    calls,
                    None,
                )
            if found:
                d.action = EntityAction.UPDATE
                d.internal_id = found
        if d.action == EntityAction.UPDATE and push.update is None:
            row = self._row(d, d.internal_id, d.hash, False)
            return EntityStatus.SKIPPED, "the stream has no push.update", d.internal_id, calls, row
        update = d.action == EntityAction.UPDATE
        try:
            template = (push.update or "") if update else push.create
            ids = {"internal_id": d.internal_id or "", "key": d.external_id, "payload": d.payload}
            method, path = _endpoint(template, **ids)
            read_path = ""
            if update and push.read is not None:
                read_path = _endpoint(push.read.path, **ids)[1]
            ex = await send(
                self.client, push, method, path, d.payload or {}, update=update,
                internal_id=d.internal_id, read_path=read_path, calls=calls,
            )  # fmt: skip
        except WriteFailed as exc:  # nothing was written: a create is not ambiguous
            row = None if update else self._row(d, None, None, False)
            return EntityStatus.FAILED, str(exc), d.internal_id, calls, row
        if not ex.ok:
            if ex.status in (401, 403) and not self.confirmed:
                self.auth_failure = ex  # the runner stops the run: the credentials are wrong
            ambiguous = (  # never sent at all (a halted run): not ambiguous
                d.action == EntityAction.CREATE
                and bool(ex.calls)
                and (ex.status is None or ex.status >= 500)
            )
            row = self._row(d, None, None, True) if ambiguous else None
            if d.action == EntityAction.CREATE and not ambiguous:
                row = self._row(d, None, None, False)
            return EntityStatus.FAILED, ex.error, d.internal_id, calls, row
        self.confirmed = True
        internal = d.internal_id
        if d.action == EntityAction.CREATE:
            try:
                body = ex.json()
            except ResponseError as exc:
                row = self._row(d, None, None, True)
                return EntityStatus.FAILED, str(exc), None, calls, row
            got = get_path(body, push.id_path)
            if got in (None, ""):
                row = self._row(d, None, None, True)
                reason = f"the destination's answer has no {push.id_path} (push.id_path)"
                return EntityStatus.FAILED, reason, None, calls, row
            internal = str(got)
        return EntityStatus.SUCCESS, "", internal, calls, self._row(d, internal, d.hash, False)

    async def _find(self, d: Decision) -> tuple[str | None, Exchange]:
        assert self.client is not None and self.stream.push is not None
        push = self.stream.push
        method, path = _endpoint(push.find or "", key=d.external_id)
        ex = await self.client.request(method, path)
        if not ex.ok:
            return None, ex
        try:
            found = select_records(ex.json(), push.find_selector)
        except ResponseError as exc:
            ex.error = str(exc)
            return None, ex
        if not found:
            return None, ex
        got = get_path(found[0], push.find_id_path or push.id_path)
        return (str(got) if got not in (None, "") else None), ex

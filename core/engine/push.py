"""Decide and push one page: create / update / skip via the id map and a payload hash.

Crash safety: before any create is sent, its id-map entry is committed as `pending`. The page's
results (internal ids, hashes, pending cleared) are committed with its entities in one batch.
A pending entry found by a later run means a create may have reached the destination without
its id being kept: with `push.find` it is looked up there (and adopted); without it the entity
fails with that reason instead of risking a duplicate.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from .. import timeutil
from ..config import StreamConfig, parse_endpoint
from ..connectors.client import Client, Exchange, ResponseError
from ..connectors.templates import _PLACEHOLDER as PLACEHOLDER
from ..connectors.templates import BadValue, fill
from ..mapping.fields import Mapper, MappingFailed, Skip, payload_hash
from ..mapping.filters import RecordFilter, first_rejection
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
LOST = "the answer to the create was lost"
FOUND = f"{LOST}; push.find found the record at the destination"


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


def idempotency_key(service_id: int, stream: str, d: Decision) -> str:
    """The same key for every attempt, in every run, to create one record: the destination
    dedupes a resend (and refuses one whose body changed rather than creating a second)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"syncdeck:{service_id}:{stream}:{d.external_id}"))


_NAMES = {"id": "destination id", "key": "source id"}


def _endpoint(
    template: str, *, internal_id: str | None = None, key: str = "", payload: dict | None = None
) -> tuple[str, str]:
    """(method, path) with the ids percent-encoded, and any other {field} taken from the mapped
    record ('POST /finance/agreements/{agreementId}/additions'). Raises BadValue for a value no
    URL can hold or a field the record lacks."""
    method, path = parse_endpoint(template)
    values = {"key": key} if internal_id is None else {"key": key, "id": internal_id}
    for name in PLACEHOLDER.findall(path):
        if name in ("id", "key"):
            continue
        value = get_path(payload or {}, name)
        if value in (None, ""):
            raise BadValue(f"the path {template} needs {name}, which the record lacks")
        values[name] = str(value)
    return method, fill(path, values, _NAMES)


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
        filters: list[RecordFilter] | None = None,
    ) -> None:
        self.store = store
        self.filters = filters or []  # the service's filters: a record failing one is skipped
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
        self._unsaved_rows: dict[str, IdMapRow] = {}
        self.has_refs = any(f.id_of for f in stream.fields.values())

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
        at = timeutil.now()  # looked up now: "within 24h" reads the clock of this run
        i = -1
        for rec, ext in zip(records, ext_ids, strict=True):
            i += 1
            if ext is None:
                reason = f"the record has no {self.stream.key} (the stream's key)"
                append(Decision(i, f"#{i + 1}", _FAIL, reason=reason))
                continue
            if self.filters:
                why = first_rejection(self.filters, rec, at)
                if why is not None:
                    append(Decision(i, ext, _SKIP, reason=why))
                    continue
            try:
                payload = map_record(rec, unmapped)
            except MappingFailed as exc:
                append(Decision(i, ext, _FAIL, reason=str(exc)))
                continue
            except Skip as exc:
                append(Decision(i, ext, _SKIP, reason=str(exc)))
                continue
            except Exception as exc:  # noqa: BLE001 - one record's fault must not end the run
                reason = f"internal error while mapping: {type(exc).__name__}: {exc}"
                append(Decision(i, ext, _FAIL, reason=reason))
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
        after_marks: Callable[[], Awaitable[None]] | None = None,
    ) -> PageOutcome:
        """Decide, commit the creates' pending marks, push, and return the page's rows.
        `before_creates`: commit every earlier page's results (a create of an id an earlier
        page wrote comes after that result). `after_marks`: called once the marks are committed
        and before anything is sent (the runner hands the previous page's rows to the writer
        then, so the marks never wait behind them)."""
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
        if after_marks is not None:
            await after_marks()
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
        """(entity status, reason, internal id, calls, id-map row to commit). Whatever goes wrong
        fails this entity alone and keeps the calls it made (a create's pending mark stays)."""
        calls: list = []
        try:
            if d.action == EntityAction.CREATE:
                return await self._create(d, calls)
            return await self._update(d, calls)
        except (BadValue, WriteFailed) as exc:  # a URL or body that cannot be built, a failed
            # read-before-write: this record fails, its write was not sent
            sent = bool(calls) or d.reconcile
            row = (
                None if sent or d.action != EntityAction.CREATE else self._row(d, None, None, False)
            )
            return EntityStatus.FAILED, str(exc), d.internal_id, calls, row
        except Exception as exc:  # noqa: BLE001 - one entity's fault must not end the run
            reason = f"internal error while pushing: {type(exc).__name__}: {exc}"
            return EntityStatus.FAILED, reason, d.internal_id, calls, None

    async def _update(
        self, d: Decision, calls: list
    ) -> tuple[str, str, str | None, list, IdMapRow | None]:
        assert self.client is not None and self.stream.push is not None
        push = self.stream.push
        if push.update is None:
            row = self._row(d, d.internal_id, d.hash, False)
            return EntityStatus.SKIPPED, "the stream has no push.update", d.internal_id, calls, row
        ids = {"internal_id": d.internal_id or "", "key": d.external_id, "payload": d.payload}
        method, path = _endpoint(push.update, **ids)
        read_path = _endpoint(push.read.path, **ids)[1] if push.read is not None else ""
        # the body sets the mapped fields to their values: sending it twice changes nothing more
        ex = await send(
            self.client, push, method, path, d.payload or {}, update=True,
            internal_id=d.internal_id, read_path=read_path, calls=calls, idempotent=True,
        )  # fmt: skip
        if not ex.ok:
            self._auth_check(ex)
            return EntityStatus.FAILED, ex.error, d.internal_id, calls, None
        self.confirmed = True
        row = self._row(d, d.internal_id, d.hash, False)
        return EntityStatus.SUCCESS, "", d.internal_id, calls, row

    async def _create(
        self, d: Decision, calls: list
    ) -> tuple[str, str, str | None, list, IdMapRow | None]:
        """Send a create; when its answer is lost, never resend blindly: look it up, resend with
        the same idempotency key, or fail with the pending mark kept, as push.on_lost_create says.
        """
        assert self.client is not None and self.stream.push is not None
        push = self.stream.push
        key_header = push.idempotency_header or push.idempotency_param  # creates are keyed
        ikey = idempotency_key(self.service_id, self.stream.name, d)
        headers = {push.idempotency_header: ikey} if push.idempotency_header else None
        lost = AMBIGUOUS if d.reconcile else ""  # why the record may already exist
        created = False  # the destination said it created it, but its id could not be read
        attempts = self.client.cfg.retry.attempts
        for attempt in range(1, attempts + 1):
            if lost and not key_header:
                if push.lost_create == "fail" or (created and push.lost_create != "look_up"):
                    return self._lost(d, lost, calls)
                if push.lost_create == "look_up":
                    found, ex = await self._find(d)
                    calls.extend(ex.calls)
                    if not ex.ok:
                        reason = f"{lost}; looking it up failed: {ex.error}"
                        return EntityStatus.FAILED, reason, None, calls, None
                    if found and d.reconcile:  # created by an earlier run: bring it up to date
                        d.action, d.internal_id = EntityAction.UPDATE, found
                        return await self._update(d, calls)
                    if found:
                        row = self._row(d, found, d.hash, False)
                        return EntityStatus.SUCCESS, FOUND, found, calls, row
                    if created:
                        return self._lost(d, lost + "; push.find does not find it yet", calls)
                # not there (or assumed not): it is safe to send it again
            if attempt > 1 and await self.client.pause(attempt - 1):
                return self._lost(d, f"{lost}; the run was stopped before it was sent again", calls)
            method, path = _endpoint(push.create, key=d.external_id, payload=d.payload)
            if push.idempotency_param:
                path += ("&" if "?" in path else "?") + f"{push.idempotency_param}={ikey}"
            # a PUT to a path named by the key creates one resource however often it is sent
            # (Xero's PUT /Contacts is not such a path: each one creates)
            safe = bool(key_header) or (method == "PUT" and "{key}" in push.create)
            ex = await send(
                self.client, push, method, path, d.payload or {}, update=False,
                internal_id=None, read_path="", calls=calls, idempotent=safe, headers=headers,
            )  # fmt: skip
            if ex.ambiguous:
                cause = ex.calls[-1].error if ex.calls and ex.calls[-1].error else ex.error
                lost = f"{LOST} ({cause}), so the record may already exist at the destination"
            elif not ex.ok:
                self._auth_check(ex)
                row = self._row(d, None, None, bool(lost))  # an earlier attempt may have landed
                return EntityStatus.FAILED, ex.error, None, calls, row
            else:
                self.confirmed = True
                try:
                    got = get_path(ex.json(), push.id_path)
                except ResponseError as exc:
                    got, lost = None, f"the destination created it but {exc}"
                else:
                    lost = f"the destination created it but its answer has no {push.id_path}"
                if got not in (None, ""):
                    internal = str(got)
                    return EntityStatus.SUCCESS, "", internal, calls, self._row(
                        d, internal, d.hash, False
                    )  # fmt: skip
                created = True
        return self._lost(d, lost, calls)

    def _lost(
        self, d: Decision, why: str, calls: list
    ) -> tuple[str, str, str | None, list, IdMapRow | None]:
        """Fail a create that may exist at the destination; its pending mark stays set."""
        push = self.stream.push
        assert push is not None
        if push.lost_create == "fail":
            hint = (
                "it was not sent again, to avoid a duplicate. Set push.find so syncdeck can look "
                "it up, or, once you have checked the destination, push.on_lost_create = "
                '"assume_not_created" to send it again (push.on_lost_create = "fail" is the '
                "default without push.find)"
            )
        else:
            hint = f'it was not sent again (push.on_lost_create = "{push.lost_create}")'
        return EntityStatus.FAILED, f"{why}; {hint}", None, calls, self._row(d, None, None, True)

    def _auth_check(self, ex: Exchange) -> None:
        if ex.status in (401, 403) and not self.confirmed:
            self.auth_failure = ex  # the runner stops the run: the credentials are wrong

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

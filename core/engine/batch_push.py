"""Batch pushes: N records a call (HubSpot's batch create / update, Xero's arrays).

Each result in the answer is matched back to its record (by a field sent and echoed back, by the
destination id for updates, or by position), so each record ends as its own entity: a failed
item fails only its entity. Creates follow the pusher's crash policy: their id-map rows were
committed as pending before the call; a create whose fate is unknown (no answer, a 5xx, an
answer whose item cannot be matched back) stays pending, so it is looked up (push.find) before
it is ever sent again, never duplicated.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from ..config_push import BatchPush, parse_endpoint
from ..connectors.client import Exchange, ResponseError
from ..mapping.bodies import BodyError, typed_id
from ..mapping.fields import compile_get
from ..mapping.paths import MISSING, get_path, set_path
from ..models import EntityAction, EntityStatus

if TYPE_CHECKING:
    from .push import Decision, Pusher, Result

UNMATCHED = (
    "the destination's batch answer has no result that matches this record, so whether it "
    "was written is unknown"
)


def batchable(batch: BatchPush, d: Decision) -> bool:
    if d.action == EntityAction.CREATE:
        return batch.create is not None and not d.reconcile
    return d.action == EntityAction.UPDATE and batch.update is not None


async def push_batches(pusher: Pusher, decisions: list[Decision]) -> dict[int, Result]:
    """Send the decisions in batches; {decision index: result}."""
    batch = pusher.stream.push.batch  # type: ignore[union-attr]
    assert batch is not None
    calls = []
    for action in (EntityAction.CREATE, EntityAction.UPDATE):
        group = [d for d in decisions if d.action == action]
        for start in range(0, len(group), batch.size):
            chunk = group[start : start + batch.size]
            calls.append(_one_batch(pusher, batch, chunk, action == EntityAction.CREATE))
    out: dict[int, Result] = {}
    for got in await asyncio.gather(*calls):  # as many at once as the connector allows
        out.update(got)
    return out


def _item(pusher: Pusher, batch: BatchPush, d: Decision, create: bool) -> dict[str, Any]:
    if create:  # sent as mapped (nothing here changes it)
        return d.payload if d.payload is not None else {}
    item = dict(d.payload or {})
    kind = pusher.stream.push.id_type  # type: ignore[union-attr]
    set_path(item, batch.id_field, typed_id(d.internal_id or "", kind))
    return item


async def _one_batch(
    pusher: Pusher, batch: BatchPush, chunk: list[Decision], create: bool
) -> dict[int, Result]:
    assert pusher.client is not None
    out: dict[int, Result] = {}
    sent: list[Decision] = []
    items: list[dict[str, Any]] = []
    for d in chunk:
        try:
            items.append(_item(pusher, batch, d, create))
            sent.append(d)
        except BodyError as exc:
            out[d.index] = _failed(pusher, d, str(exc), create, ambiguous=False)
    if not sent:
        return out
    method, path = parse_endpoint(batch.create if create else batch.update)  # type: ignore[arg-type]
    body: dict[str, Any] = {}
    set_path(body, batch.items, items)
    ex = await pusher.client.request(method, path, json=body)
    first = True

    def calls() -> list:
        nonlocal first
        got, first = (ex.calls if first else []), False
        return got  # the batch's calls belong to its first entity (one row per attempt)

    if not ex.ok:
        if ex.status in (401, 403) and not pusher.confirmed:
            pusher.auth_failure = ex
        ambiguous = ex.status is None or ex.status >= 500
        for d in sent:
            out[d.index] = _failed(pusher, d, ex.error, create, ambiguous, calls())
        return out
    pusher.confirmed = True
    try:
        results = _results(ex, batch)
    except ResponseError as exc:
        for d in sent:
            out[d.index] = _failed(pusher, d, str(exc), create, True, calls())
        return out
    matched = _match(batch, sent, items, results, create)
    for d in sent:
        res = matched.get(d.index)
        if res is None:
            out[d.index] = _failed(pusher, d, UNMATCHED, create, True, calls())
            continue
        errors = get_path(res, batch.error_path) if batch.error_path else None
        if errors:
            reason = "the destination refused it: " + _words(errors)
            out[d.index] = _failed(pusher, d, reason, create, False, calls())
            continue
        got = get_path(res, batch.result_id) if create else d.internal_id
        if got in (None, ""):
            reason = f"the destination's result has no {batch.result_id} (batch.result_id)"
            out[d.index] = _failed(pusher, d, reason, create, True, calls())
            continue
        internal = str(got)
        row = pusher.id_row(d, internal, d.hash, False)
        out[d.index] = (EntityStatus.SUCCESS, "", internal, calls(), row)
    return out


def _results(ex: Exchange, batch: BatchPush) -> list[Any]:
    body = ex.json()
    got = get_path(body, batch.results, MISSING)
    if got is MISSING or not isinstance(got, list):
        raise ResponseError(
            f"the destination's batch answer has no list at {batch.results} (batch.results), "
            "so no record can be matched back"
        )
    return got


def _match(
    batch: BatchPush, sent: list[Decision], items: list[Any], results: list[Any], create: bool
) -> dict[int, Any]:
    """{decision index: its result}; a record whose result cannot be told apart is left out."""
    if not create or batch.match:
        if create:
            get_sent = compile_get(batch.match)
            keys_sent: list[Any] = [get_sent(item) for item in items]
            key_res = compile_get(batch.match)
        else:
            keys_sent = [d.internal_id for d in sent]
            key_res = compile_get(batch.result_id)
        by_key: dict[str, Any] = {}
        twice: set[str] = set()  # two results with one key cannot be told apart
        for r in results:
            k = key_res(r)
            if k is None or k == "":
                continue
            k = k if type(k) is str else str(k)
            if k in by_key:
                twice.add(k)
            by_key[k] = r
        out: dict[int, Any] = {}
        for k, d in zip(keys_sent, sent, strict=True):
            if k is None or k == "":
                continue
            k = k if type(k) is str else str(k)
            if k in by_key and k not in twice:
                out[d.index] = by_key[k]
        return out
    if len(results) != len(sent):
        return {}
    return {d.index: r for d, r in zip(sent, results, strict=True)}


def _words(errors: Any) -> str:
    if isinstance(errors, list):
        parts = [str(e.get("Message") or e.get("message") or e) if isinstance(e, dict) else str(e)
                 for e in errors]  # fmt: skip
        return "; ".join(parts)[:300]
    return str(errors)[:300]


def _failed(
    pusher: Pusher,
    d: Decision,
    reason: str,
    create: bool,
    ambiguous: bool,
    calls: list | None = None,
) -> Result:
    row = None
    if create:
        row = pusher.id_row(d, None, None, ambiguous)
    return (EntityStatus.FAILED, reason, d.internal_id, calls or [], row)

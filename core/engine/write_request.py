"""Send one create or update as the destination wants it: the body built by mapping/bodies.py,
and for APIs with optimistic concurrency (push.read) the record read first, its version
(QuickBooks' SyncToken, an ETag) sent with the update. A 409 or 412 answer means the record
changed in between (so does a 400 holding push.read.conflict: QuickBooks answers a stale
SyncToken with 400 "Stale Object Error", code 5010): it is read again once and the update sent
again; a second conflict fails the entity with the reason.
"""

from __future__ import annotations

from typing import Any

from ..config_push import Push
from ..connectors.client import Client, Exchange, ResponseError
from ..mapping.bodies import BodyError, build, record_of
from ..mapping.paths import MISSING, get_path

CONFLICT = (409, 412)


def _conflict(ex: Exchange, push: Push) -> bool:
    if ex.status in CONFLICT:
        return True
    text = push.read.conflict if push.read is not None else None
    return bool(text) and ex.status == 400 and ex.response is not None and text in ex.response.text


class WriteFailed(Exception):
    """The write was not sent (a read failed, the body cannot be built): the reason in words."""


async def _read(client: Client, push: Push, path: str, calls: list) -> tuple[Any, Any]:
    """(current record, version token) of the record at `path`."""
    rd = push.read
    assert rd is not None
    method = rd.path.split(None, 1)[0]
    ex = await client.request(method, path)
    calls.extend(ex.calls)
    if not ex.ok:
        raise WriteFailed(f"reading it before the update failed: {ex.error}")
    try:
        answer = ex.json()
    except ResponseError as exc:
        raise WriteFailed(f"reading it before the update failed: {exc}") from None
    token: Any = None
    if rd.etag:
        token = ex.response.headers.get("etag") if ex.response is not None else None
        if not token:
            raise WriteFailed("the destination's answer to the read has no ETag header")
    elif rd.token_path:
        token = get_path(answer, rd.token_path, MISSING)
        if token is MISSING or token in (None, ""):
            raise WriteFailed(f"the destination's record has no {rd.token_path} (read.token_path)")
    return record_of(answer, push), token


async def send(
    client: Client,
    push: Push,
    method: str,
    path: str,
    payload: dict[str, Any],
    *,
    update: bool,
    internal_id: str | None,
    read_path: str,
    calls: list,
    idempotent: bool | None = None,
    headers: dict[str, str] | None = None,
) -> Exchange:
    """The write's exchange (its calls added to `calls`). Raises WriteFailed in words."""
    attempts = 2 if update and push.read is not None else 1
    ex: Exchange | None = None
    for attempt in range(attempts):
        current = token = None
        if update and push.read is not None:
            current, token = await _read(client, push, read_path, calls)
        try:
            body = build(
                push, payload, update=update, internal_id=internal_id, current=current, token=token
            )
        except BodyError as exc:
            raise WriteFailed(str(exc)) from None
        ex = await client.request(
            method, path, json=body.json, data=body.data,
            headers={**(headers or {}), **body.headers} or None, idempotent=idempotent,
        )  # fmt: skip
        calls.extend(ex.calls)
        if not _conflict(ex, push) or attempt + 1 == attempts:
            break
    assert ex is not None
    if attempts == 2 and _conflict(ex, push):
        ex.error = (
            f"the record changed at the destination while syncdeck updated it (HTTP {ex.status} "
            "twice, after reading it again); run the sync again, or check who else edits it: "
            + ex.error
        )
    return ex

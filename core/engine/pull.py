"""Pulling a stream: pages in order, with later pages fetched ahead when their number is known.

The paginator decides what comes next and when to stop; when the first page tells how many pages
there are (page_number or offset with a total), up to `ahead` later pages are already in flight
while the current one is mapped and pushed. Each page carries its records or an error in words.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from ..config import Pull
from ..connectors.client import Client, Exchange, ResponseError
from ..connectors.paginators import PageRequest, Paginator
from ..mapping.paths import MISSING, get_path
from ..mapping.selectors import is_expression, search


@dataclass(slots=True)
class PulledPage:
    request: PageRequest
    exchange: Exchange
    body: Any = None
    records: list[Any] = field(default_factory=list)
    error: str = ""
    repeat: bool = False


def select_records(body: Any, selector: str | None) -> list[Any]:
    """The records of a response body. Raises ResponseError in words.

    A selector is a dotted path ('results', 'paging.items'), or a JMESPath expression when it
    projects or filters ('list[*].subscription' unwraps Chargebee's entries)."""
    if selector and is_expression(selector):
        value = search(selector, body)
        if value is None and not isinstance(body, dict | list):
            raise ResponseError(f"the response has no '{selector}' (the data_selector)")
    elif selector:
        value = get_path(body, selector, MISSING)
        if value is MISSING:
            raise ResponseError(f"the response has no '{selector}' (the data_selector)")
    else:
        value = body
        if isinstance(value, dict):
            keys = ", ".join(list(value)[:6])
            raise ResponseError(
                f"the response is an object (keys: {keys}), not a list of records; "
                "set data_selector to the key that holds them"
            )
    if value is None:
        return []
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        return [value]
    raise ResponseError(f"'{selector}' holds a {type(value).__name__}, not records")


async def _fetch(client: Client, pull: Pull, req: PageRequest) -> Exchange:
    return await client.request(
        pull.method,
        req.path_or_url,
        params=req.params or None,
        json=pull.json_body,
        headers=pull.headers or None,
        idempotent=True,  # a pull reads, even by POST (search endpoints): resending is safe
    )


async def pages(
    client: Client, pull: Pull, paginator: Paginator, *, ahead: int = 0
) -> AsyncIterator[PulledPage]:
    req: PageRequest | None = paginator.first()
    planned: list[PageRequest] | None = None if ahead > 0 else []
    inflight: dict[int, tuple[PageRequest, asyncio.Task[Exchange]]] = {}
    try:
        while req is not None:
            early = inflight.pop(req.number, None)
            if early is not None and early[0].params == req.params:
                ex = await early[1]
            else:
                if early is not None:
                    early[1].cancel()
                ex = await _fetch(client, pull, req)
            page = PulledPage(request=req, exchange=ex)
            if ex.ok:
                try:
                    page.body = ex.json()
                    page.records = select_records(page.body, pull.data_selector)
                except ResponseError as exc:
                    page.error = str(exc)
            else:
                page.error = ex.error or "no response"
            if not page.error and paginator.is_repeat(page.records):
                page.repeat = True
                page.records = []
            if not page.error and not page.repeat:
                if planned is None:
                    planned = paginator.rest(page.body) or []
                while planned and len(inflight) < ahead:
                    nxt = planned.pop(0)
                    task = asyncio.create_task(_fetch(client, pull, nxt))
                    inflight[nxt.number] = (nxt, task)
            yield page
            if page.error or page.repeat:
                return
            req = paginator.next(page.body, ex.response, page.records)
    finally:
        for _, task in inflight.values():
            task.cancel()
        for _, task in inflight.values():
            try:
                await task
            except BaseException:  # noqa: BLE001 - a cancelled prefetch is expected
                pass

"""A fault-injecting loopback API (Starlette on uvicorn, 127.0.0.1 and 127.0.0.2).

One state, served on two hosts: 127.0.0.1 is the connectors' own host, 127.0.0.2 plays "another
host" (a next link or a redirect pointing elsewhere). Every request is recorded with the host it
reached, its raw path, query and headers, so a test can see exactly what was sent where.

Source (`/src/items`): pages in the shape of any paginator config (`paginator`, the dict a
config or a preset holds, and `selector`), with `mode`: normal, `endless` (the same cursor / next
link every time, new records on each page), `elsewhere` (the next link points to the other host).
`/src/redirect` answers 302 to the other host; `/src/echo401` answers 401 echoing what it got.

Destination (`/dst/records`): POST creates, GET ?source_id= finds, PATCH/PUT by id or key. The
creates take faults from `create_faults`, one per create: `reset` and `timeout` and `cut`
(answer lost after the record was stored), `502` (stored, then 502), `no_id` (stored, 201 with
no id), `reset_before` (connection reset, nothing stored), `422`. An `Idempotency-Key` seen
before replays the first answer instead of storing again.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlencode

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from uvicorn.protocols.http.h11_impl import H11Protocol

from core.sandbox import Served, free_port

OTHER_HOST = "127.0.0.2"
_TRANSPORTS: dict[tuple[str, int], asyncio.Transport] = {}


class ResettableH11(H11Protocol):
    """uvicorn's h11 protocol that lets the app find its connection (to reset it)."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        peer = transport.get_extra_info("peername")
        if peer:
            _TRANSPORTS[(peer[0], peer[1])] = transport


@dataclass
class Seen:
    host: str
    method: str
    raw_path: str
    query: str
    headers: dict[str, str]


@dataclass
class FaultState:
    items: list[dict[str, Any]] = field(default_factory=list)
    per_page: int = 5
    mode: str = "normal"  # normal | endless | elsewhere
    paginator: dict[str, Any] = field(default_factory=lambda: {"type": "single_page"})
    selector: str | None = "data"  # where the records are in a page's body
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    create_faults: list[str] = field(default_factory=list)
    timeout_s: float = 1.0
    creates: int = 0
    keys: dict[str, dict[str, Any]] = field(default_factory=dict)  # Idempotency-Key -> answer
    seen: list[Seen] = field(default_factory=list)
    urls: dict[str, str] = field(default_factory=dict)  # "own" / "other" -> base URL
    endless: int = 0  # records served in endless mode
    make_id: Callable[[int], str] = lambda n: f"r{n}"  # the id of the nth record created

    def sent_to(self, host: str) -> list[Seen]:
        return [s for s in self.seen if s.host == host]

    def source_ids(self) -> list[str]:
        return [str(r.get("source_id")) for r in self.records.values()]


def _page(state: FaultState, start: int) -> list[dict[str, Any]]:
    if state.mode == "endless":  # new records on every page, forever
        state.endless += 2
        return [{"id": f"e{state.endless - i}", "name": f"Endless {state.endless - i}"}
                for i in range(2)]  # fmt: skip
    return state.items[start : start + state.per_page]


def _abort(request: Request) -> None:
    client = request.scope.get("client")
    transport = _TRANSPORTS.get((client[0], client[1])) if client else None
    assert transport is not None, "the fault API must be served with ResettableH11"
    transport.abort()


def fault_app(state: FaultState) -> Starlette:
    def record(request: Request) -> None:
        state.seen.append(
            Seen(
                request.url.hostname or "",
                request.method,
                request.scope.get("raw_path", b"").decode("latin-1"),
                request.scope.get("query_string", b"").decode("latin-1"),
                dict(request.headers),
            )
        )

    async def source(request: Request) -> Response:
        record(request)
        return _source_page(state, request)

    async def redirect(request: Request) -> Response:
        record(request)
        return RedirectResponse(f"{state.urls['other']}/src/items", 302)

    async def redirect_create(request: Request) -> Response:
        record(request)
        return RedirectResponse(f"{state.urls['other']}/dst/records", 307)

    async def echo401(request: Request) -> Response:
        record(request)
        got = {k: v for k, v in request.headers.items() if k not in ("host", "accept-encoding")}
        return JSONResponse({"error": "unauthorized", "you_sent": got,
                             "query": str(request.query_params)}, 401)  # fmt: skip

    async def create(request: Request) -> Response:
        record(request)
        key = request.headers.get("idempotency-key")
        if key and key in state.keys:
            return JSONResponse(state.keys[key], 201)
        fault = state.create_faults.pop(0) if state.create_faults else ""
        if fault == "reset_before":
            _abort(request)
            return Response(status_code=500)  # never reaches the client
        if fault == "422":
            return JSONResponse({"error": "refused"}, 422)
        data = json.loads(await request.body() or b"{}")
        state.creates += 1
        rid = state.make_id(state.creates)
        state.records[rid] = {"id": rid, **data}
        answer = {"id": rid, **data}
        if key:
            state.keys[key] = answer
        return await _lost_answer(request, fault, answer, state)

    async def find(request: Request) -> Response:
        record(request)
        sid = request.query_params.get("source_id")
        return JSONResponse(
            {"data": [r for r in state.records.values() if str(r.get("source_id")) == sid]}
        )

    async def anything(request: Request) -> Response:
        record(request)
        last = request.scope.get("raw_path", b"").decode("latin-1").split("?")[0].split("/")[-1]
        return JSONResponse({"id": unquote(last), "path": request.url.path})

    async def records(request: Request) -> Response:
        return await (create(request) if request.method == "POST" else find(request))

    return Starlette(
        routes=[
            Route("/src/redirect", redirect),
            Route("/dst/redirect", redirect_create, methods=["POST"]),
            Route("/src/echo401", echo401),
            Route("/src/items", source, methods=["GET", "POST"]),
            Route("/dst/records", records, methods=["GET", "POST"]),
            Route("/{path:path}", anything, methods=["GET", "POST", "PUT", "PATCH", "DELETE"]),
        ]
    )


def _put(body: dict[str, Any], path: str | None, value: Any) -> None:
    """`value` at the dotted `path`; a selector that unwraps entries (`list[*].customer`, as
    Chargebee's) gets each record wrapped the way the vendor sends it."""
    if not path:
        return
    if "[*]." in path:
        outer, inner = path.split("[*].", 1)
        _put(body, outer, [_wrapped(inner, item) for item in value])
        return
    *parents, last = path.split(".")
    for part in parents:
        body = body.setdefault(part, {})
    body[last] = value


def _wrapped(path: str, item: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    _put(out, path, item)
    return out


def _source_page(state: FaultState, request: Request) -> Response:
    """One page in the shape `state.paginator` and `state.selector` describe."""
    pag, q, per, n = state.paginator, request.query_params, state.per_page, len(state.items)
    kind = pag.get("type", "single_page")
    body: dict[str, Any] = {}
    headers: dict[str, str] = {}
    if kind == "page_number":
        base = int(pag.get("base_page", 1))
        start = (int(q.get(pag.get("page_param", "page"), base)) - base) * per
        _put(body, pag.get("total_path"), -(-n // per))
    elif kind == "offset":
        start = int(q.get(pag.get("offset_param", "offset"), 0))
        _put(body, pag.get("total_path"), n)
    else:  # cursor and links carry the next start; endless: it never moves
        start = int(q.get(pag.get("cursor_param", "cursor"), q.get("at", "0")) or 0)
        more = start + per < n or state.mode == "endless"
        after = str(start if state.mode == "endless" else start + per) if more else None
        base = state.urls["other" if state.mode == "elsewhere" else "own"]
        query = urlencode({**dict(q), "at": after})  # next links carry the query, as real ones
        link = f"{base}/src/items?{query}" if after is not None else None
        if kind == "cursor":
            _put(body, pag["cursor_path"], after)
        elif kind == "json_link":
            _put(body, pag["next_url_path"], link)
        elif kind == "header_link" and link:
            headers["Link"] = f'<{link}>; rel="{pag.get("rel", "next")}"'
    data = _page(state, start)
    if not state.selector:
        return JSONResponse(data, headers=headers)
    _put(body, state.selector, data)
    return JSONResponse(body, headers=headers)


async def _lost_answer(
    request: Request, fault: str, answer: dict[str, Any], state: FaultState
) -> Response:
    """The answer to a create that was stored: as it should be, or lost in one of the ways."""
    if fault == "reset":
        _abort(request)
    elif fault == "timeout":
        await asyncio.sleep(state.timeout_s)
    elif fault == "502":
        return JSONResponse({"error": "bad gateway"}, 502)
    elif fault == "no_id":
        return JSONResponse({"created": True}, 201)
    elif fault == "cut":
        body = json.dumps(answer).encode()
        return _CutResponse(body)
    return JSONResponse(answer, 201)


class _CutResponse(Response):
    """Announces the whole body, sends half of it, then drops the connection."""

    def __init__(self, body: bytes) -> None:
        super().__init__(status_code=201)
        self.full = body

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        headers = [(b"content-type", b"application/json"),
                   (b"content-length", str(len(self.full)).encode())]  # fmt: skip
        await send({"type": "http.response.start", "status": 201, "headers": headers})
        await send({"type": "http.response.body", "body": self.full[: len(self.full) // 2],
                    "more_body": True})  # fmt: skip
        client = scope.get("client")
        _TRANSPORTS[(client[0], client[1])].abort()


@contextmanager
def fault_api(state: FaultState | None = None) -> Iterator[FaultState]:
    """The fault API on 127.0.0.1 and on the other host (same state); yields the state with
    `urls['own']` and `urls['other']` set."""
    state = state or FaultState()
    app = fault_app(state)
    own = Served(app, http=ResettableH11)
    other = Served(app, free_port(OTHER_HOST), host=OTHER_HOST, http=ResettableH11)
    with own, other:
        state.urls.update(own=own.url, other=other.url)
        yield state

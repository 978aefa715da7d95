"""The order of a run's writes: each page's pending marks are committed before its creates are
sent and never wait behind the previous page's rows; a create of an id an earlier page already
wrote comes after that page's rows."""

from __future__ import annotations

import asyncio
import time

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from core.config import parse_config
from core.config_io import apply
from core.engine.runner import run_service
from core.sandbox import serve
from core.store import open_store

TOML = """
[connectors.src]
base_url = "{url}"
[connectors.dst]
base_url = "{url}"
[services.svc]
source = "src"
destination = "dst"
cooldown_minutes = 0
[[services.svc.streams]]
name = "things"
pull = {{ path = "/src", data_selector = "results", paginator = {{ type = "page_number", total_path = "pages" }} }}
push = {{ create = "POST /objects", batch = {{ size = 2, create = "POST /objects/batch/create", match = "properties.email", error_path = "errors" }} }}
[services.svc.streams.fields]
"properties.email" = {{ from = "email" }}
"""  # noqa: E501


def api(pages: list[list[str]], refuse_once: set[str], slow_page: int = 0) -> Starlette:
    made: list[str] = []
    served: dict[int, float] = {}

    async def source(request: Request) -> JSONResponse:
        n = int(request.query_params.get("page", "1"))
        if n == slow_page:
            await asyncio.sleep(0.5)  # a slow API, or a Retry-After wait
        rows = [{"id": i, "email": f"{i}@x"} for i in pages[n - 1]]
        served[n] = time.monotonic()
        return JSONResponse({"results": rows, "pages": len(pages)})

    async def batch(request: Request) -> JSONResponse:
        out = []
        for item in (await request.json())["inputs"]:
            email = item["properties"]["email"]
            if email in refuse_once:
                refuse_once.discard(email)
                out.append({"properties": item["properties"], "errors": ["refused once"]})
                continue
            made.append(email)
            out.append({"id": str(len(made)), "properties": item["properties"]})
        return JSONResponse({"results": out})

    app = Starlette(routes=[
        Route("/src", source), Route("/objects/batch/create", batch, methods=["POST"]),
    ])  # fmt: skip
    app.state.made = made
    app.state.served = served
    return app


written: dict[str, float] = {}  # first external id of a page's rows -> when they were written


async def _run(tmp_path, app: Starlette) -> tuple[list[tuple[str, list[str]]], object, list]:
    writes: list[tuple[str, list[str]]] = []
    with serve(app) as server:
        text = TOML.format(url=server.url)
        store = await open_store(tmp_path / "s.db")
        try:
            await apply(store, parse_config(text, "t.toml"), text)
            write = store.write_batch

            async def logged(batch):
                if batch.entities:
                    writes.append(("rows", sorted(e.external_id for e in batch.entities)))
                    written[writes[-1][1][0]] = time.monotonic()
                elif batch.id_map and all(r.pending for r in batch.id_map):
                    writes.append(("marks", sorted(r.external_id for r in batch.id_map)))
                await asyncio.sleep(0.02)  # a slow disk: a mark queued behind rows would wait
                return await write(batch)

            store.write_batch = logged  # type: ignore[method-assign]
            result = await run_service(store, "svc", environ={})
            rows = await store.get_id_map(1, "things", ["a", "b", "c", "d", "e", "f"])
        finally:
            await store.close()
    return writes, result, rows


async def test_marks_of_the_next_page_are_not_queued_behind_the_previous_rows(tmp_path):
    writes, result, known = await _run(tmp_path, api([["a", "b"], ["c", "d"], ["e", "f"]], set()))
    assert result.created == 6
    assert writes == [
        ("marks", ["a", "b"]),
        ("marks", ["c", "d"]),
        ("rows", ["a", "b"]),
        ("marks", ["e", "f"]),
        ("rows", ["c", "d"]),
        ("rows", ["e", "f"]),
    ]
    assert all(internal and not pending for internal, _, pending in known.values())


async def test_an_id_an_earlier_page_wrote_waits_for_that_page_rows(tmp_path):
    # b is refused on page 1 (its create failed for sure) and comes again on page 2
    app = api([["a", "b"], ["b", "c"]], {"b@x"})
    writes, result, known = await _run(tmp_path, app)
    assert (result.created, result.failed) == (3, 1)
    assert writes == [
        ("marks", ["a", "b"]),
        ("rows", ["a", "b"]),  # b's failure is committed before b is marked again
        ("marks", ["b", "c"]),
        ("rows", ["b", "c"]),
    ]
    assert app.state.made == ["a@x", "b@x", "c@x"]  # nothing created twice
    assert known["b"][0] and not known["b"][2]


async def test_a_next_page_slow_to_come_does_not_keep_the_results_from_the_store(tmp_path):
    # page 2 takes 0.5 s: page 1's rows are written meanwhile, not after it
    app = api([["a", "b"], ["c", "d"]], set(), slow_page=2)
    writes, result, _ = await _run(tmp_path, app)
    assert result.created == 4
    assert written["a"] < app.state.served[2] - 0.3
    assert writes[:3] == [("marks", ["a", "b"]), ("rows", ["a", "b"]), ("marks", ["c", "d"])]

"""Batch push benchmark (not collected by pytest; prints figures).

A loopback API (uvicorn on 127.0.0.1) serves M source records in pages of 500 and accepts
creates one at a time (POST /objects) or 100 at a time (POST /objects/batch/create, HubSpot's
shape), answering each call after LATENCY ms. Three ways to push the same M records:

1. syncdeck, one call per record (`run_service`, push concurrency 4 as the connector allows);
2. syncdeck, batch.size = 100;
3. a bare httpx loop posting the same 100-record batches, one after the other.

Printed: wall time and records per second of each, the batch / per-record ratio (aim >= 20x) and
syncdeck batch / bare httpx (aim >= 0.9x). A syncdeck run also pulls the pages and records every
entity in the store; the bare loop does neither (it is the floor).

    .venv/bin/python tests/bench/bench_batch_push.py [--records 2000] [--latency 20]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from itertools import count
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from starlette.applications import Starlette  # noqa: E402
from starlette.requests import Request  # noqa: E402
from starlette.responses import JSONResponse  # noqa: E402
from starlette.routing import Route  # noqa: E402

from core.config import parse_config  # noqa: E402
from core.config_io import apply  # noqa: E402
from core.engine.runner import run_service  # noqa: E402
from core.sandbox import serve  # noqa: E402
from core.store import open_store  # noqa: E402


def api(records: int, latency: float) -> Starlette:
    ids = count(1)
    rows = [{"id": f"r{i}", "email": f"r{i}@example.com", "name": f"Name {i}"}
            for i in range(records)]  # fmt: skip

    async def source(request: Request) -> JSONResponse:
        page = int(request.query_params.get("page", "1"))
        chunk = rows[(page - 1) * 500 : page * 500]
        return JSONResponse({"results": chunk, "pages": (records + 499) // 500})

    async def one(request: Request) -> JSONResponse:
        await request.json()
        await asyncio.sleep(latency)
        return JSONResponse({"id": str(next(ids))}, 201)

    async def batch(request: Request) -> JSONResponse:
        body = await request.json()
        await asyncio.sleep(latency)
        out = [{"id": str(next(ids)), "properties": i["properties"]} for i in body["inputs"]]
        return JSONResponse({"status": "COMPLETE", "results": out}, 201)

    return Starlette(routes=[
        Route("/src", source),
        Route("/objects", one, methods=["POST"]),
        Route("/objects/batch/create", batch, methods=["POST"]),
    ])  # fmt: skip


TOML = """
[connectors.src]
base_url = "{url}"
rate_limit = {{ concurrency = 4 }}
[connectors.dst]
base_url = "{url}"
rate_limit = {{ concurrency = 4 }}
[services.svc]
source = "src"
destination = "dst"
cooldown_minutes = 0
[[services.svc.streams]]
name = "things"
pull = {{ path = "/src", data_selector = "results", paginator = {{ type = "page_number", total_path = "pages" }} }}
push = {push}
[services.svc.streams.fields]
"properties.email" = {{ from = "email" }}
"properties.name" = {{ from = "name" }}
"""  # noqa: E501
PER_RECORD = '{ create = "POST /objects" }'
BATCHED = ('{ create = "POST /objects", batch = { size = 100, '
           'create = "POST /objects/batch/create", match = "properties.email" } }')  # fmt: skip


async def syncdeck(url: str, push: str) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        text = TOML.format(url=url, push=push)
        store = await open_store(Path(tmp) / "b.db")
        try:
            await apply(store, parse_config(text, "bench.toml"), text)
            t0 = time.perf_counter()
            r = await run_service(store, "svc", environ={})
            return time.perf_counter() - t0, r.created
        finally:
            await store.close()


async def bare(url: str, records: int) -> float:
    items = [{"properties": {"email": f"r{i}@example.com", "name": f"Name {i}"}}
             for i in range(records)]  # fmt: skip
    async with httpx.AsyncClient(base_url=url) as http:
        t0 = time.perf_counter()
        for start in range(0, records, 100):
            r = await http.post(
                "/objects/batch/create", json={"inputs": items[start : start + 100]}
            )
            r.raise_for_status()
            r.json()
        return time.perf_counter() - t0


async def main(records: int, latency_ms: float) -> None:
    with serve(api(records, latency_ms / 1000)) as server:
        one_s, one_n = await syncdeck(server.url, PER_RECORD)
        batch_s, batch_n = await syncdeck(server.url, BATCHED)
        bare_s = await bare(server.url, records)
    assert one_n == batch_n == records, (one_n, batch_n)
    print(f"{records} records, API latency {latency_ms:g} ms per call")
    for label, secs in (
        ("syncdeck, one call per record", one_s),
        ("syncdeck, batch 100", batch_s),
        ("bare httpx, batch 100", bare_s),
    ):
        print(f"  {label:32} {secs:7.3f} s  {records / secs:9.0f} records/s")
    print(f"  batch vs one call per record: {one_s / batch_s:5.1f}x  (aim >= 20x)")
    print(f"  syncdeck batch vs bare httpx: {bare_s / batch_s:5.2f}x  (aim >= 0.9x)")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=2000)
    ap.add_argument("--latency", type=float, default=20.0, help="ms per API call")
    a = ap.parse_args()
    asyncio.run(main(a.records, a.latency))

"""Batch push benchmark (not collected by pytest; prints figures).

A loopback API (uvicorn on 127.0.0.1, in a subprocess of its own so its work does not share the
measured process's GIL) serves M source records in pages of 500 and accepts creates one at a
time (POST /objects) or 100 at a time (POST /objects/batch/create, HubSpot's shape), answering
each call after LATENCY ms. Ways to push the same M records, each timed best of N rounds (the
ways take turns within a round):

1. syncdeck, batch.size = 100 (`run_service`: pull the pages, map, decide create/update/skip by
   the id map, commit each create's pending mark before it is sent, push the page's batches up
   to the connector's concurrency (4), match each result back, and record the run, steps,
   page instances, one entity per record, calls and the id map in SQLite);
2. bare httpx, post only (the old definition): the same 100-record batches, built before the
   clock starts, posted one after the other; no pull, no mapping, nothing read back;
3. bare httpx, fair (what a hand-written sync does for the same result): pull the same pages,
   map each record, post the same 100-record batches one after the other and read each result's
   id back (kept in a dict: no store, no crash safety, no per-record outcome);
4. with --per-record (smallest M only, once): syncdeck, one call per record (concurrency 4).

Printed: wall time, records/s and CPU time of each, syncdeck batch / bare (aim >= 0.9x) for both
bare definitions, and batch / per-record (aim >= 20x).

    .venv/bin/python tests/bench/bench_batch_push.py [--records 2000,20000] [--latency 0,20]
        [--repeat 5] [--per-record]
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
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
from core.sandbox import free_port  # noqa: E402
from core.store import open_store  # noqa: E402

PAGE = 500
BATCH = 100


def api(records: int, latency: float) -> Starlette:
    ids = count(1)
    rows = [{"id": f"r{i}", "email": f"r{i}@example.com", "name": f"Name {i}"}
            for i in range(records)]  # fmt: skip

    async def source(request: Request) -> JSONResponse:
        page = int(request.query_params.get("page", "1"))
        chunk = rows[(page - 1) * PAGE : page * PAGE]
        return JSONResponse({"results": chunk, "pages": (records + PAGE - 1) // PAGE})

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


def start_api(records: int, latency_ms: float) -> tuple[subprocess.Popen, str]:
    port = free_port()
    argv = [sys.executable, __file__, "--serve", str(port), str(records), str(latency_ms)]
    proc = subprocess.Popen(argv, cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            httpx.get(url + "/src", timeout=0.5)
            return proc, url
        except httpx.TransportError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("the benchmark API did not start")


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


async def bare_post_only(url: str, records: int) -> tuple[float, int]:
    items = [{"properties": {"email": f"r{i}@example.com", "name": f"Name {i}"}}
             for i in range(records)]  # fmt: skip
    async with httpx.AsyncClient(base_url=url) as http:
        t0 = time.perf_counter()
        for start in range(0, records, BATCH):
            r = await http.post(
                "/objects/batch/create", json={"inputs": items[start : start + BATCH]}
            )
            r.raise_for_status()
            r.json()
        return time.perf_counter() - t0, records


async def bare_fair(url: str) -> tuple[float, int]:
    ids: dict[str, str] = {}  # external id -> destination id, as a hand-written sync keeps
    async with httpx.AsyncClient(base_url=url) as http:
        t0 = time.perf_counter()
        page, pages = 1, 1
        while page <= pages:
            r = await http.get("/src", params={"page": page})
            r.raise_for_status()
            body = r.json()
            pages = body["pages"]
            by_email = {rec["email"]: rec["id"] for rec in body["results"]}
            items = [{"properties": {"email": rec["email"], "name": rec["name"]}}
                     for rec in body["results"]]  # fmt: skip
            for start in range(0, len(items), BATCH):
                r = await http.post(
                    "/objects/batch/create", json={"inputs": items[start : start + BATCH]}
                )
                r.raise_for_status()
                for res in r.json()["results"]:
                    ids[by_email[res["properties"]["email"]]] = res["id"]
            page += 1
        return time.perf_counter() - t0, len(ids)


async def best(n: int, makers: list, records: int) -> list[tuple[float, float]]:
    """The best (wall, CPU) seconds of each way over n rounds; the ways take turns within a
    round, so a machine busy with other work for a while slows them alike. CPU: this process's
    (every thread: the store's writer too; the API's process is not counted)."""
    times: list[list[tuple[float, float]]] = [[] for _ in makers]
    for _ in range(n):
        for i, make in enumerate(makers):
            cpu = time.process_time()
            secs, done = await make()
            cpu = time.process_time() - cpu
            assert done == records, (done, records)
            times[i].append((secs, cpu))
    return [(min(w for w, _ in t), min(c for _, c in t)) for t in times]


def line(label: str, took: tuple[float, float], records: int) -> None:
    secs, cpu = took
    print(f"  {label:34} {secs:7.3f} s  {records / secs:9.0f} records/s  CPU {cpu:6.3f} s")


async def one(records: int, latency_ms: float, repeat: int, per_record: bool) -> None:
    proc, url = start_api(records, latency_ms)
    try:
        await syncdeck(url, BATCHED)  # warm up: imports, first connections
        batch_s, post_s, fair_s = await best(
            repeat,
            [
                lambda: syncdeck(url, BATCHED),
                lambda: bare_post_only(url, records),
                lambda: bare_fair(url),
            ],
            records,
        )
        one_s = (0.0, 0.0)
        if per_record:
            (one_s,) = await best(1, [lambda: syncdeck(url, PER_RECORD)], records)
    finally:
        proc.terminate()
        proc.wait()
    print(f"{records} records, API latency {latency_ms:g} ms per call, best of {repeat}")
    line("syncdeck, batch 100", batch_s, records)
    line("bare httpx, post only (old)", post_s, records)
    line("bare httpx, pull + post (fair)", fair_s, records)
    if one_s[0]:
        line("syncdeck, one call per record", one_s, records)
        print(f"  batch vs one call per record:      {one_s[0] / batch_s[0]:5.1f}x  (aim >= 20x)")
    print(f"  syncdeck batch vs post-only loop:  {post_s[0] / batch_s[0]:5.2f}x  (aim >= 0.9x)")
    print(f"  syncdeck batch vs fair loop:       {fair_s[0] / batch_s[0]:5.2f}x  (aim >= 0.9x)")


def serve_main(port: int, records: int, latency_ms: float) -> None:
    import uvicorn

    app = api(records, latency_ms / 1000)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="error", access_log=False)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve"]:
        serve_main(int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]))
        sys.exit(0)
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", default="2000,20000", help="comma-separated counts")
    ap.add_argument("--latency", default="0,20", help="comma-separated ms per API call")
    ap.add_argument("--repeat", type=int, default=5, help="runs of each; the best is printed")
    ap.add_argument("--per-record", action="store_true", help="also one call per record")
    a = ap.parse_args()
    counts = [int(x) for x in a.records.split(",")]
    for lat in (float(x) for x in a.latency.split(",")):
        for n in counts:
            asyncio.run(one(n, lat, a.repeat, a.per_record and n == min(counts)))

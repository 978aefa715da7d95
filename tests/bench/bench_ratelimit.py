"""Rate-limit benchmark (not collected by pytest; prints figures).

A loopback ERP (uvicorn on 127.0.0.1) allows N requests/s (a token bucket of N, refilled at N
per second), sends X-RateLimit-Limit / X-RateLimit-Remaining on every answer and 429 with
Retry-After beyond it. A real `run_service` pushes M records from the sandbox CRM to it with
the destination's client-side budget configured at N, then at 2N. Printed: the share of N
reached (accepted creates per second over the push phase / N; in brackets after the server's
one-second burst allowance is spent), the 429 count, and whether
every entity was accounted for (created at the ERP and in the run's counts).

    .venv/bin/python tests/bench/bench_ratelimit.py [--rate 50] [--records 500]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from starlette.applications import Starlette  # noqa: E402
from starlette.requests import Request  # noqa: E402
from starlette.responses import JSONResponse  # noqa: E402
from starlette.routing import Route  # noqa: E402

from core.config import parse_config  # noqa: E402
from core.config_io import apply  # noqa: E402
from core.engine.runner import run_service  # noqa: E402
from core.sandbox import CrmState, Served, crm_app, make_customers  # noqa: E402
from core.store import open_store  # noqa: E402


class LimitedErp:
    def __init__(self, rate: float) -> None:
        self.rate = rate
        self.tokens = rate
        self.stamp = time.monotonic()
        self.lock = threading.Lock()
        self.accepted: list[float] = []
        self.refused = 0
        self.accounts: dict[str, dict] = {}

    def take(self) -> tuple[bool, float, float]:
        with self.lock:
            t = time.monotonic()
            self.tokens = min(self.rate, self.tokens + (t - self.stamp) * self.rate)
            self.stamp = t
            if self.tokens >= 1:
                self.tokens -= 1
                return True, self.tokens, 0.0
            return False, self.tokens, (1 - self.tokens) / self.rate

    def app(self) -> Starlette:
        async def accounts(request: Request) -> JSONResponse:
            ok, left, wait = self.take()
            headers = {"X-RateLimit-Limit": str(int(self.rate)),
                       "X-RateLimit-Remaining": str(max(0, int(left)))}  # fmt: skip
            if not ok:
                self.refused += 1
                headers["Retry-After"] = str(max(1, math.ceil(wait)))
                return JSONResponse({"error": "too many requests"}, 429, headers=headers)
            data = await request.json()
            acc = f"acc_{len(self.accounts) + 1}"
            self.accounts[acc] = {"id": acc, **data}
            self.accepted.append(time.monotonic())
            return JSONResponse(self.accounts[acc], 201, headers=headers)

        return Starlette(routes=[Route("/accounts", accounts, methods=["POST"])])


TOML = """
[connectors.crm]
base_url = "{crm}"

[connectors.erp]
base_url = "{erp}"
rate_limit = {{ requests_per_second = {rps}, concurrency = 8 }}
retry = {{ attempts = 10 }}

[services.bench]
source = "crm"
destination = "erp"
cooldown_minutes = 0

[[services.bench.streams]]
name = "customers"
pull = {{ path = "/customers", params = {{ _per_page = 100 }}, data_selector = "data", paginator = {{ type = "page_number", page_param = "_page", total_path = "pages" }} }}
push = {{ create = "POST /accounts", id_path = "id" }}
"""  # noqa: E501


async def one(rate: float, configured: float, records: int) -> dict:
    crm = CrmState(make_customers(records, messy=False))
    erp = LimitedErp(rate)
    with Served(crm_app(crm)) as c, Served(erp.app()) as e, tempfile.TemporaryDirectory() as d:
        store = await open_store(Path(d) / "bench.db")
        text = TOML.format(crm=c.url, erp=e.url, rps=configured)
        await apply(store, parse_config(text), text)
        t0 = time.monotonic()
        result = await run_service(store, "bench")
        wall = time.monotonic() - t0
        headroom = await store._scalar("SELECT COUNT(*) FROM instances")  # noqa: SLF001
        await store.close()
    span = erp.accepted[-1] - erp.accepted[0] if len(erp.accepted) > 1 else 0.0
    achieved = (len(erp.accepted) - 1) / span if span else 0.0
    late = [t for t in erp.accepted if t >= erp.accepted[0] + 1.0]  # after the 1 s burst
    steady = (len(late) - 1) / (late[-1] - late[0]) if len(late) > 1 else 0.0
    return {
        "configured": configured,
        "accepted": len(erp.accepted),
        "share": achieved / rate,
        "steady": steady / rate,
        "r429": erp.refused,
        "created": result.created,
        "accounted": len(erp.accounts) == records == result.created,
        "wall": wall,
        "pages": headroom,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rate", type=float, default=50)
    ap.add_argument("--records", type=int, default=500)
    args = ap.parse_args()
    n = args.rate
    print(f"server allows N = {n:g} req/s; {args.records} records pushed, one POST each")
    print("configured   share of N (steady)   429s   created   every entity accounted   wall s")
    for configured in (n, 2 * n):
        r = asyncio.run(one(n, configured, args.records))
        share = f"{r['share']:>6.1%} ({r['steady']:>6.1%})"
        ok = "yes" if r["accounted"] else "NO"
        print(f"{configured:>10g}   {share}   {r['r429']:>4}   {r['created']:>7}   "
              f"{ok:>22}   {r['wall']:>6.1f}")  # fmt: skip


if __name__ == "__main__":
    main()

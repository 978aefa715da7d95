"""The live demo's world: a source CRM and a destination ERP served on 127.0.0.1 by uvicorn,
with realistic latency (jittered), pagination, an occasional 429 with Retry-After, a 500 now
and then, and records with missing or unmapped fields; and the syncdeck config that reaches them.

Between runs `churn()` changes the source a little (edited customers, new ones, one the ERP
refuses), so every run has something to create, update, skip and fail.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ..sandbox import CrmState, ErpState, Faults, Served, crm_app, erp_app, make_customers, serve

SOURCE = "demo-crm"
DESTINATION = "demo-erp"
SERVICE = "demo-crm-to-erp"


@dataclass
class LiveOptions:
    customers: int = 240
    per_page: int = 20
    source_latency_ms: float = 350.0  # a CRM list endpoint is slow
    dest_latency_ms: float = 30.0
    jitter: float = 0.5  # +/- share of the latency
    rate_limit_every: int = 13  # every Nth source request answers 429
    retry_after: str = "1"
    error_rate: float = 0.03  # share of destination requests answered 500
    seed: int = 11


class JitteredFaults(Faults):
    """The sandbox's Faults with latency that varies from request to request."""

    def __init__(self, *, jitter: float, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.jitter = jitter
        self.base_latency = self.latency_ms
        self._jitter_rng = random.Random(self.seed + 1)

    async def check(self, request: Request) -> Response | None:
        spread = self.base_latency * self.jitter
        self.latency_ms = max(0.0, self.base_latency + self._jitter_rng.uniform(-spread, spread))
        return await super().check(request)


def _iso(t: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


class LiveWorld:
    """Both APIs and their state. `start()` serves them; `stop()` shuts both servers down."""

    def __init__(self, options: LiveOptions | None = None) -> None:
        self.options = o = options or LiveOptions()
        self.rng = random.Random(o.seed)
        customers = make_customers(o.customers, messy=True)
        for c in customers:
            c["updated_at"] = _iso(time.time() - 86400)
        self.crm = CrmState(
            customers,
            JitteredFaults(
                jitter=o.jitter, latency_ms=o.source_latency_ms,
                rate_limit_every=o.rate_limit_every, retry_after=o.retry_after, seed=o.seed,
            ),
        )  # fmt: skip
        self.erp = ErpState(
            JitteredFaults(
                jitter=o.jitter,
                latency_ms=o.dest_latency_ms,
                error_rate=o.error_rate,
                seed=o.seed + 2,
            )  # fmt: skip
        )
        self.servers: list[Served] = []
        self.next_id = o.customers + 1

    @property
    def crm_url(self) -> str:
        return self.servers[0].url

    @property
    def erp_url(self) -> str:
        return self.servers[1].url

    def start(self) -> LiveWorld:
        try:
            self.servers.append(serve(crm_app(self.crm)))
            self.servers.append(serve(erp_app(self.erp)))
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        for served in self.servers:  # both shut down at once
            served.server.should_exit = True
        while self.servers:
            self.servers.pop().stop()

    def churn(self) -> dict[str, int]:
        """Change the source between runs: edits, new customers, a refused email, a lost email."""
        rng, stamp = self.rng, _iso(time.time())
        edited = rng.sample(self.crm.customers, k=max(1, len(self.crm.customers) // 12))
        for c in edited:
            c["company"] = {"name": f"Company {c['id']:05d} {rng.choice(['Ltd', 'GmbH', 'BV'])}"}
            c["updated_at"] = stamp
        added = 0
        for _ in range(rng.randint(2, 5)):
            i = self.next_id
            self.next_id += 1
            email = f"contact{i}@example.com" if rng.random() > 0.25 else f"reject{i}@example.com"
            plan = rng.choice(["gold", "silver", "silver", "bronze"])
            new = {"id": i, "company": {"name": f"New Co {i}"}, "email": email, "plan": plan}
            self.crm.customers.append({**new, "updated_at": stamp})
            added += 1
        lost = rng.choice(self.crm.customers)
        lost.pop("email", None)
        lost["updated_at"] = stamp
        return {"edited": len(edited), "added": added}


def config_toml(crm_url: str, erp_url: str, per_page: int) -> str:
    """The demo's connectors and service, the same shape as examples/customers.toml."""
    return f"""\
[connectors.{SOURCE}]
base_url = "{crm_url}"
headers = {{ "X-Client" = "syncdeck-demo" }}
rate_limit = {{ concurrency = 1 }}
retry = {{ attempts = 4, backoff_base = 0.2, backoff_max = 2.0, retry_after_max = 5.0 }}
timeout = 10.0

[connectors.{DESTINATION}]
base_url = "{erp_url}"
rate_limit = {{ concurrency = 4 }}
retry = {{ attempts = 4, backoff_base = 0.2, backoff_max = 2.0, retry_after_max = 5.0 }}
timeout = 10.0

[services.{SERVICE}]
source = "{SOURCE}"
destination = "{DESTINATION}"
schedule = "* * * * *"
cooldown_minutes = 1
capture_payloads = true

[[services.{SERVICE}.streams]]
name = "customers"
key = "id"
pull = {{ path = "/customers", params = {{ _per_page = {per_page} }}, data_selector = "data", \
paginator = {{ type = "page_number", page_param = "_page", base_page = 1, total_path = "pages" }} }}
push = {{ create = "POST /accounts", update = "PATCH /accounts/{{id}}", \
find = "GET /accounts?source_id={{key}}", find_selector = "data", id_path = "id", concurrency = 4 }}

[services.{SERVICE}.streams.fields]
name = {{ from = "company.name", transforms = ["trim"] }}
email = {{ from = "email", transforms = ["lower"], required = true }}
tier = {{ from = "plan", lookup = "plans" }}
source_id = {{ from = "id", transforms = ["string"] }}

[services.{SERVICE}.lookups.plans]
gold = "premium"
silver = "standard"
"""

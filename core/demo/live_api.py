"""The live demo's world: a source CRM and a destination ERP served on 127.0.0.1 by uvicorn,
with realistic latency (jittered), pagination, an occasional 429 with Retry-After, a 500 now
and then, and records with missing or unmapped fields; and the syncdeck config that reaches them.
With `accounting` (the default), sandboxes of Xero and QuickBooks Online too (core/sandbox/),
reached through the Xero and QuickBooks Online presets: OAuth2 with refresh tokens they rotate
(kept in the demo's own secrets file), Xero's Contacts envelopes in batches, QuickBooks' SyncToken
read before every update (now and then someone else saves the customer first: a stale token).

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
from ..sandbox.quickbooks import REALM_ID, QboState, qbo_app
from ..sandbox.xero import TENANT_ID, XeroState, xero_app

SOURCE = "demo-crm"
DESTINATION = "demo-erp"
SERVICE = "demo-crm-to-erp"
XERO = "demo-xero"
XERO_SERVICE = "demo-crm-to-xero"
QBO = "demo-quickbooks"
QBO_SERVICE = "demo-crm-to-quickbooks"


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
    accounting: bool = True  # the Xero and QuickBooks Online sandboxes and their services
    qbo_conflict_rate: float = 0.05  # share of QuickBooks reads followed by someone else's save


FIX_AFTER = 3  # churns (runs) a refused or lost email stays broken before it is corrected


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

        def dest_faults(seed: int) -> JitteredFaults:
            return JitteredFaults(jitter=o.jitter, latency_ms=o.dest_latency_ms,
                                  error_rate=o.error_rate, seed=seed)  # fmt: skip

        self.xero = XeroState(dest_faults(o.seed + 3))
        self.qbo = QboState(dest_faults(o.seed + 4), conflict_rate=o.qbo_conflict_rate,
                            seed=o.seed + 5)  # fmt: skip
        self.servers: list[Served] = []
        self.next_id = o.customers + 1
        self.churns = 0
        self.broken: dict[int, int] = {}  # customer id -> the churn that broke it (churn() fixes)

    @property
    def services(self) -> list[str]:
        return [SERVICE, XERO_SERVICE, QBO_SERVICE] if self.options.accounting else [SERVICE]

    @property
    def xero_url(self) -> str:
        return self.servers[2].url

    @property
    def qbo_url(self) -> str:
        return self.servers[3].url

    def secrets(self) -> dict[str, str]:
        """What the demo's secrets file must hold for its connectors (core/demo/live.py)."""
        if not self.options.accounting:
            return {}
        return {
            f"{XERO}.client_secret": self.xero.issuer.client_secret,
            f"{XERO}.refresh_token": self.xero.issuer.initial,
            f"{QBO}.client_secret": self.qbo.issuer.client_secret,
            f"{QBO}.refresh_token": self.qbo.issuer.initial,
        }

    def toml(self) -> str:
        text = config_toml(self.crm_url, self.erp_url, self.options.per_page)
        if self.options.accounting:
            text += accounting_toml(self.xero_url, self.qbo_url, self.options.per_page)
        return text

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
            if self.options.accounting:
                self.servers.append(serve(xero_app(self.xero)))
                self.servers.append(serve(qbo_app(self.qbo)))
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        for served in self.servers:  # all shut down at once
            served.server.should_exit = True
        while self.servers:
            self.servers.pop().stop()

    def churn(self) -> dict[str, int]:
        """Change the source a little: edits, new customers, a refused email, a lost email; and
        fix what broke a few runs ago (someone corrects the address at the source), so the
        records that fail or skip stay a handful instead of piling up run after run."""
        rng, stamp = self.rng, _iso(time.time())
        self.churns += 1
        fixed = self._fix_broken(stamp)
        edited = rng.sample(self.crm.customers, k=max(1, len(self.crm.customers) // 12))
        for c in edited:
            c["company"] = {"name": f"Company {c['id']:05d} {rng.choice(['Ltd', 'GmbH', 'BV'])}"}
            c["updated_at"] = stamp
        added = 0
        for _ in range(rng.randint(1, 3)):  # a CRM that grows, slowly
            i = self.next_id
            self.next_id += 1
            email = f"contact{i}@example.com" if rng.random() > 0.25 else f"reject{i}@example.com"
            plan = rng.choice(["gold", "silver", "silver", "bronze"])
            new = {"id": i, "company": {"name": f"New Co {i}"}, "email": email, "plan": plan}
            self.crm.customers.append({**new, "updated_at": stamp})
            if "reject" in email:
                self.broken[i] = self.churns
            added += 1
        lost = rng.choice(self.crm.customers)
        if "email" in lost:
            lost.pop("email")
            lost["updated_at"] = stamp
            self.broken.setdefault(lost["id"], self.churns)
        return {"edited": len(edited), "added": added, "fixed": fixed}

    def _fix_broken(self, stamp: str) -> int:
        """Give a proper email to the customers broken FIX_AFTER churns ago or earlier."""
        due = {i for i, at in self.broken.items() if self.churns - at >= FIX_AFTER}
        for c in self.crm.customers:
            if c["id"] in due:
                c["email"] = f"contact{c['id']}@example.com"
                c["updated_at"] = stamp
        for i in due:
            del self.broken[i]
        return len(due)


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


_RETRY = "retry = { attempts = 4, backoff_base = 0.2, backoff_max = 2.0, retry_after_max = 5.0 }"
_PULL = (
    'pull = {{ path = "/customers", params = {{ _per_page = {per_page} }}, data_selector = "data", '
    'paginator = {{ type = "page_number", page_param = "_page", base_page = 1, '
    'total_path = "pages" }} }}'
)


def accounting_toml(xero_url: str, qbo_url: str, per_page: int) -> str:
    """The Xero and QuickBooks Online sandboxes through their presets, and a service from the
    demo CRM to each. Secrets are secret: references to the demo's own secrets file."""
    pull = _PULL.format(per_page=per_page)
    return f"""
[connectors.{XERO}]
preset = "xero"
base_url = "{xero_url}/api.xro/2.0"
timeout = 10.0
{_RETRY}

[connectors.{XERO}.credentials]
tenant_id = "{TENANT_ID}"
client_id = "{XeroState.CLIENT_ID}"
client_secret = "secret:{XERO}.client_secret"
refresh_token = "secret:{XERO}.refresh_token"
token_url = "{xero_url}/connect/token"

[connectors.{QBO}]
preset = "quickbooks"
base_url = "{qbo_url}/v3/company/{REALM_ID}"
timeout = 10.0
{_RETRY}

[connectors.{QBO}.credentials]
realm_id = "{REALM_ID}"
client_id = "{QboState.CLIENT_ID}"
client_secret = "secret:{QBO}.client_secret"
refresh_token = "secret:{QBO}.refresh_token"
token_url = "{qbo_url}/oauth2/v1/tokens/bearer"

[services.{XERO_SERVICE}]
source = "{SOURCE}"
destination = "{XERO}"
schedule = "* * * * *"
cooldown_minutes = 1
capture_payloads = true

[[services.{XERO_SERVICE}.streams]]
name = "contacts"
key = "id"
{pull}
push = {{ create = "PUT /Contacts", update = "POST /Contacts/{{id}}", \
find = 'GET /Contacts?where=AccountNumber=="{{key}}"', find_selector = "Contacts", \
find_id_path = "ContactID", batch = {{ size = 50, create = "PUT /Contacts?summarizeErrors=false", \
update = "POST /Contacts?summarizeErrors=false", items = "Contacts", results = "Contacts", \
result_id = "ContactID", match = "AccountNumber", id_field = "ContactID", \
error_path = "ValidationErrors" }} }}

[services.{XERO_SERVICE}.streams.fields]
Name = {{ from = "company.name", transforms = ["trim"], required = true }}
EmailAddress = {{ from = "email", transforms = ["lower"], required = true }}
AccountNumber = {{ from = "id", transforms = ["string"], required = true }}

[services.{QBO_SERVICE}]
source = "{SOURCE}"
destination = "{QBO}"
schedule = "* * * * *"
cooldown_minutes = 1
capture_payloads = true

[[services.{QBO_SERVICE}.streams]]
name = "customers"
key = "id"
{pull}
push = {{ create = "POST /customer", update = "POST /customer?operation=update" }}

[services.{QBO_SERVICE}.streams.fields]
sparse = {{ value = true }}
DisplayName = {{ from = "company.name", transforms = ["trim"], required = true }}
"PrimaryEmailAddr.Address" = {{ from = "email", transforms = ["lower"], required = true }}
Notes = {{ from = "id", transforms = ["string"] }}
"""

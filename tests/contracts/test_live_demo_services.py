"""The live demo's services to the Xero and QuickBooks Online sandboxes (core/demo/live_api.py),
run end to end twice (creates, then updates) through the real engine against the sandboxes on
127.0.0.1, with each request to them checked against the vendor's OpenAPI document on its way:
a request the spec refuses fails the test (and is answered 400 instead of being sent)."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import httpx
import pytest

from core.demo.live import configure
from core.demo.live_api import QBO_SERVICE, XERO_SERVICE, LiveOptions, LiveWorld
from core.engine.runner import run_service
from core.models import RunStatus
from core.sandbox.quickbooks import REALM_ID
from core.store import open_store

from .contract_kit import Vendor, refusal

OPTIONS = LiveOptions(
    customers=24, per_page=12, source_latency_ms=0, dest_latency_ms=0, rate_limit_every=0,
    error_rate=0.0, qbo_conflict_rate=0.0, seed=3,
)  # fmt: skip


@dataclass
class CheckedForward(httpx.AsyncBaseTransport):
    """Checks each request against its vendor's spec, then sends it to the real server."""

    vendors: list[Vendor]
    refused: list[str] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)
    inner: httpx.AsyncHTTPTransport = field(default_factory=httpx.AsyncHTTPTransport)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        url = str(request.url)
        vendor = next((v for v in self.vendors if url.startswith(v.base_url)), None)
        if vendor is not None:
            self.seen.append(f"{request.method} {request.url.path}")
            problem = refusal(vendor, request)
            if problem:
                self.refused.append(f"{vendor.spec}: {request.method} {url}: {problem}")
                return httpx.Response(400, json={"message": problem}, request=request)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


@pytest.mark.parametrize("service", [XERO_SERVICE, QBO_SERVICE])
async def test_live_demo_service_requests_are_valid_per_the_vendor_spec(
    tmp_path, monkeypatch, service
):
    warnings.filterwarnings("ignore", "Unsupported scheme type")
    monkeypatch.setenv("SYNCDECK_CONFIG_DIR", str(tmp_path / "conf"))
    world = LiveWorld(OPTIONS).start()
    transport = CheckedForward([
        Vendor("xero_accounting", f"{world.xero_url}/api.xro/2.0", lambda r: httpx.Response(500)),
        Vendor("quickbooks_online", f"{world.qbo_url}/v3/company/{REALM_ID}",
               lambda r: httpx.Response(500)),
    ])  # fmt: skip
    store = await open_store(tmp_path / "s.db")
    try:
        await configure(store, world)
        first = await run_service(store, service, transport=transport)
        for c in world.crm.customers[:5]:
            c["company"] = {"name": f"Renamed {c['id']}"}
        world.qbo.conflict_next = 1  # one stale SyncToken: read again, sent again
        second = await run_service(store, service, transport=transport)
    finally:
        await store.close()
        await transport.aclose()
        world.stop()
    assert transport.refused == [], "\n".join(transport.refused)
    assert (first.status, first.created, first.failed) == (RunStatus.SUCCESS, 22, 0), first.message
    assert (second.status, second.updated, second.failed) == (RunStatus.SUCCESS, 5, 0)
    writes = {s for s in transport.seen if not s.startswith("GET")}
    if service == XERO_SERVICE:
        assert writes == {"PUT /api.xro/2.0/Contacts", "POST /api.xro/2.0/Contacts"}
    else:
        base = f"/v3/company/{REALM_ID}"
        assert writes == {f"POST {base}/customer"}
        assert any(s.startswith(f"GET {base}/customer/") for s in transport.seen)  # SyncToken

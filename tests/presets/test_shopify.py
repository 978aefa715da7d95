"""Shopify Admin REST: X-Shopify-Access-Token, Link header paging with page_info, the
resource name as record key, and X-Shopify-Shop-Api-Call-Limit "32/40" as headroom."""

from __future__ import annotations

import httpx
import respx
from preset_helpers import config, pull_all, records

ENV = {"SHOP_TOKEN": "shpat_0123456789"}
BASE = "https://acme.myshopify.com/admin/api/2025-01"


@respx.mock
async def test_link_header_paging_and_call_limit() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        assert request.headers["x-shopify-access-token"] == "shpat_0123456789"
        info = request.url.params.get("page_info")
        if info is None:
            assert request.url.params["limit"] == "250"
            link = f'<{BASE}/customers.json?limit=250&page_info=abc>; rel="next"'
            return httpx.Response(
                200, json={"customers": [{"id": 1}, {"id": 2}]},
                headers={"Link": link, "X-Shopify-Shop-Api-Call-Limit": "8/40"},
            )  # fmt: skip
        assert info == "abc"
        link = f'<{BASE}/customers.json?limit=250&page_info=zzz>; rel="previous"'
        return httpx.Response(
            200, json={"customers": [{"id": 3}]},
            headers={"Link": link, "X-Shopify-Shop-Api-Call-Limit": "32/40"},
        )  # fmt: skip

    route = respx.get(f"{BASE}/customers.json").mock(side_effect=answer)
    cfg = config(
        'preset = "shopify"\ncredentials = { shop = "acme", access_token = "env:SHOP_TOKEN" }',
        'pull = { path = "/customers.json" }',
    )
    got, client = await pull_all(cfg, ENV)
    assert [r["id"] for r in records(got)] == [1, 2, 3]
    assert route.call_count == 2
    assert [p.exchange.headroom for p in got] == [0.8, 0.19999999999999996]
    assert abs(client.limiter.headroom - 0.2) < 1e-9
    assert cfg.connectors["src"].base_url == BASE
    assert cfg.services["svc"].streams[0].pull.data_selector == "customers"

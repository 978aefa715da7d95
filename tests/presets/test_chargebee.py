"""Chargebee v2: basic auth with the API key as user name, offset / next_offset, `list` entries
unwrapped (`list[*].customer` for /customers)."""

from __future__ import annotations

import base64

import httpx
import respx
from preset_helpers import config, pull_all, records

ENV = {"CB_KEY": "live_abcdef123"}
BASE = "https://acme.chargebee.com/api/v2"


@respx.mock
async def test_offset_and_next_offset_with_api_key_user() -> None:
    expected = "Basic " + base64.b64encode(b"live_abcdef123:").decode()

    def answer(request: httpx.Request) -> httpx.Response:
        assert request.headers["authorization"] == expected
        offset = request.url.params.get("offset")
        if offset is None:
            return httpx.Response(200, json={
                "list": [{"customer": {"id": "a"}}, {"customer": {"id": "b"}}],
                "next_offset": '["1612345678000","b"]'},
                headers={"X-RateLimit-Limit": "150", "X-RateLimit-Remaining": "30"})  # fmt: skip
        assert offset == '["1612345678000","b"]'
        return httpx.Response(200, json={"list": [{"customer": {"id": "c"}}]})

    respx.get(f"{BASE}/customers").mock(side_effect=answer)
    cfg = config(
        'preset = "chargebee"\ncredentials = { site = "acme", api_key = "env:CB_KEY" }',
        'pull = { path = "/customers" }',
    )
    assert cfg.services["svc"].streams[0].pull.data_selector == "list[*].customer"
    got, _ = await pull_all(cfg, ENV)
    assert [r["id"] for r in records(got)] == ["a", "b", "c"]
    assert got[0].exchange.headroom == 0.2
    assert "live_abcdef123" not in got[0].exchange.url

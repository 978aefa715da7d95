"""Autotask REST: ApiIntegrationCode / UserName / Secret headers, a POST query with a filter,
`items`, and the next page at pageDetails.nextPageUrl (null on the last page)."""

from __future__ import annotations

import json

import httpx
import respx
from preset_helpers import config, pull_all, records

ENV = {"AT_SECRET": "s3cr3t-value", "AT_CODE": "TRACKING-ID-1"}
BASE = "https://webservices5.autotask.net/ATServicesRest/V1.0"


@respx.mock
async def test_post_query_and_next_page_url() -> None:
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        assert request.headers["apiintegrationcode"] == "TRACKING-ID-1"
        assert request.headers["username"] == "api@acme.example"
        assert request.headers["secret"] == "s3cr3t-value"
        seen.append(request.method)
        if "paging" not in request.url.params:
            body = json.loads(request.content)
            assert body["filter"][0]["field"] == "id"
            nxt = f"{BASE}/Companies/query/next?paging=%7B%22id%22%3A2%7D"
            return httpx.Response(200, json={
                "items": [{"id": 1}, {"id": 2}],
                "pageDetails": {"count": 2, "requestCount": 500, "prevPageUrl": None,
                                "nextPageUrl": nxt}})  # fmt: skip
        return httpx.Response(200, json={
            "items": [{"id": 3}],
            "pageDetails": {"count": 1, "requestCount": 500, "prevPageUrl": None,
                            "nextPageUrl": None}})  # fmt: skip

    respx.route(url__startswith=f"{BASE}/Companies/query").mock(side_effect=answer)
    cfg = config(
        'preset = "autotask"\ncredentials = { zone = "5", username = "api@acme.example", '
        'secret = "env:AT_SECRET", integration_code = "env:AT_CODE" }',
        'pull = { path = "/Companies/query" }',
    )
    got, _ = await pull_all(cfg, ENV)
    assert [r["id"] for r in records(got)] == [1, 2, 3]
    assert seen[0] == "POST"
    call = got[0].exchange.calls[0]
    assert "s3cr3t-value" not in json.dumps(call.request_headers)
    assert "TRACKING-ID-1" not in json.dumps(call.request_headers)

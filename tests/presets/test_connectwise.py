"""ConnectWise Manage: basic auth of company+public key : private key, the clientId header,
page / pageSize with the Link header, a bare array of records."""

from __future__ import annotations

import base64

import httpx
import respx
from preset_helpers import config, pull_all, records

ENV = {"CW_PRIVATE": "privKEY987"}
BASE = "https://api-na.myconnectwise.net/v4_6_release/apis/3.0"


@respx.mock
async def test_basic_auth_client_id_and_link_paging() -> None:
    expected = "Basic " + base64.b64encode(b"acme+pubKEY123:privKEY987").decode()

    def answer(request: httpx.Request) -> httpx.Response:
        assert request.headers["authorization"] == expected
        assert request.headers["clientid"] == "0c9d-guid"
        page = request.url.params["page"]
        assert request.url.params["pageSize"] == "1000"
        if page == "1":
            link = (f'<{BASE}/company/companies?page=2&pageSize=1000>; rel="next", '
                    f'<{BASE}/company/companies?page=2&pageSize=1000>; rel="last"')  # fmt: skip
            return httpx.Response(200, json=[{"id": 1}, {"id": 2}], headers={"Link": link})
        link = f'<{BASE}/company/companies?page=1&pageSize=1000>; rel="first"'
        return httpx.Response(200, json=[{"id": 3}], headers={"Link": link})

    route = respx.get(f"{BASE}/company/companies").mock(side_effect=answer)
    cfg = config(
        'preset = "connectwise"\ncredentials = { site = "api-na.myconnectwise.net", '
        'company = "acme", public_key = "pubKEY123", private_key = "env:CW_PRIVATE", '
        'client_id = "0c9d-guid" }',
        'pull = { path = "/company/companies" }',
    )
    got, client = await pull_all(cfg, ENV)
    assert [r["id"] for r in records(got)] == [1, 2, 3]
    assert route.call_count == 2
    call = got[0].exchange.calls[0]
    assert "privKEY987" not in str(call.request_headers)
    assert call.request_headers["Authorization"] == "***"

"""An exchange names the request it sent: the URL with its query (page, cursor, offset), secrets
in the query masked; a page instance shows it, so each page has its own URL."""

from __future__ import annotations

import httpx
import respx


@respx.mock
async def test_the_exchange_url_carries_the_query_sent(make_client):
    respx.get("https://api.test/customers").mock(return_value=httpx.Response(200, json=[]))
    c = make_client()
    ex = await c.request("GET", "/customers", params={"_page": 2, "_per_page": 50})
    assert ex.url == "https://api.test/customers?_page=2&_per_page=50"
    assert ex.calls[0].url == ex.url


@respx.mock
async def test_a_query_secret_is_masked_in_the_exchange_url(make_client):
    respx.get("https://api.test/customers").mock(return_value=httpx.Response(200, json=[]))
    c = make_client(
        environ={"K": "s3cr3t-key-value"},
        auth={"type": "api_key", "name": "api_key", "api_key": "env:K", "location": "query"},
    )
    ex = await c.request("GET", "/customers", params={"offset": 100})
    assert "s3cr3t-key-value" not in ex.url
    assert "offset=100" in ex.url and "api_key=" in ex.url


@respx.mock
async def test_a_call_without_an_answer_names_the_query_it_sent(make_client):
    respx.get("https://api.test/customers").mock(side_effect=httpx.ConnectError("refused"))
    c = make_client(retry={"attempts": 1})
    ex = await c.request("GET", "/customers", params={"cursor": "abc"})
    assert not ex.ok
    assert ex.url == "https://api.test/customers?cursor=abc"
    assert ex.calls[0].url == ex.url

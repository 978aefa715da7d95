"""Every auth type puts the secret where it belongs, and the stored call rows never hold it."""

from __future__ import annotations

import base64

import httpx
import pytest
import respx

from core.errors import UserError

SECRET = "s3cr3t-value-123"


@respx.mock
async def test_bearer(make_client):
    route = respx.get("https://api.test/x").mock(return_value=httpx.Response(200, json={}))
    c = make_client({"TOKEN": SECRET}, auth={"type": "bearer", "token": "env:TOKEN"})
    ex = await c.request("GET", "/x")
    assert route.calls[0].request.headers["authorization"] == f"Bearer {SECRET}"
    assert SECRET not in repr(ex.calls)


@respx.mock
async def test_api_key_header(make_client):
    route = respx.get("https://api.test/x").mock(return_value=httpx.Response(200, json={}))
    c = make_client(
        {"K": SECRET}, auth={"type": "api_key", "name": "X-Api-Key", "api_key": "env:K"}
    )
    ex = await c.request("GET", "/x")
    assert route.calls[0].request.headers["x-api-key"] == SECRET
    assert ex.calls[0].request_headers["X-Api-Key"] == "***"


@respx.mock
async def test_api_key_query(make_client):
    route = respx.get("https://api.test/x").mock(return_value=httpx.Response(200, json={}))
    c = make_client(
        {"K": SECRET},
        auth={"type": "api_key", "name": "hapikey", "api_key": "env:K", "location": "query"},
    )
    ex = await c.request("GET", "/x", params={"limit": 5})
    assert route.calls[0].request.url.params["hapikey"] == SECRET
    assert SECRET not in ex.calls[0].url and SECRET not in repr(ex.calls[0].params)
    assert ex.calls[0].params["limit"] == 5


@respx.mock
async def test_http_basic(make_client):
    route = respx.get("https://api.test/x").mock(return_value=httpx.Response(200, json={}))
    c = make_client(
        {"U": "company+pub", "P": SECRET},
        auth={"type": "http_basic", "username": "env:U", "password": "env:P"},
    )
    ex = await c.request("GET", "/x")
    token = base64.b64encode(f"company+pub:{SECRET}".encode()).decode()
    assert route.calls[0].request.headers["authorization"] == f"Basic {token}"
    assert token not in repr(ex.calls) and SECRET not in repr(ex.calls)


@respx.mock
async def test_static_headers_with_env_secret(make_client):
    route = respx.get("https://api.test/x").mock(return_value=httpx.Response(200, json={}))
    c = make_client({"CODE": SECRET}, headers={"X-Client": "syncdeck", "X-Code": "env:CODE"})
    ex = await c.request("GET", "/x")
    sent = route.calls[0].request.headers
    assert sent["x-client"] == "syncdeck" and sent["x-code"] == SECRET
    assert ex.calls[0].request_headers == {}  # static headers are the client's, not per call
    assert SECRET not in repr(ex.calls)


@respx.mock
async def test_no_auth_sends_no_authorization(make_client):
    route = respx.get("https://api.test/x").mock(return_value=httpx.Response(200, json={}))
    await make_client().request("GET", "/x")
    assert "authorization" not in route.calls[0].request.headers


def test_unset_env_secret_is_a_user_error(make_client):
    with pytest.raises(UserError) as err:
        make_client({}, auth={"type": "bearer", "token": "env:MISSING_TOKEN"})
    assert "MISSING_TOKEN" in err.value.message and "connectors.crm.auth.token" in err.value.message


@respx.mock
async def test_secret_echoed_in_response_body_is_redacted_in_error(make_client):
    respx.get("https://api.test/x").mock(
        return_value=httpx.Response(400, text=f"bad token {SECRET}")
    )
    c = make_client({"TOKEN": SECRET}, auth={"type": "bearer", "token": "env:TOKEN"})
    ex = await c.request("GET", "/x")
    assert SECRET not in ex.error and "***" in ex.error

"""OAuth2 client credentials: the token is cached, renewed before it expires, and renewed once
after a 401 (then the request is retried once); secrets and tokens never reach a stored row."""

from __future__ import annotations

from urllib.parse import parse_qs

import httpx
import pytest
import respx

from core.config import check_secrets, parse_config
from core.connectors.auth import build_auth
from core.connectors.client import Client
from core.connectors.oauth2 import OAuth2ClientCredentials
from core.errors import UserError

TOKEN_URL = "https://auth.example.com/oauth/token"
API = "https://api.example.com"
TOML = f"""
[connectors.api]
base_url = "{API}"

[connectors.api.auth]
type = "oauth2_client_credentials"
token_url = "{TOKEN_URL}"
client_id = "cid-1"
client_secret = "env:API_SECRET"
scopes = ["read", "write"]
"""
ENV = {"API_SECRET": "very-secret-value"}


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def _client(clock: Clock) -> tuple[Client, OAuth2ClientCredentials]:
    cfg = parse_config(TOML).connectors["api"]
    auth = OAuth2ClientCredentials(
        TOKEN_URL, "cid-1", "very-secret-value", ["read", "write"], clock=clock
    )

    async def no_sleep(_: float) -> None:
        return None

    return Client("api", cfg, environ=ENV, auth=auth, sleep=no_sleep), auth


def _tokens(lifetime: int = 120):
    n = {"i": 0}
    forms: list[dict] = []

    def answer(request: httpx.Request) -> httpx.Response:
        forms.append(parse_qs(request.content.decode()))
        n["i"] += 1
        return httpx.Response(
            200, json={"access_token": f"tok-{n['i']}", "expires_in": lifetime, "token_type": "x"}
        )

    return answer, forms


@respx.mock
async def test_token_cached_and_sent_as_bearer() -> None:
    answer, forms = _tokens()
    token = respx.post(TOKEN_URL).mock(side_effect=answer)
    seen: list[str] = []
    respx.get(f"{API}/things").mock(
        side_effect=lambda r: (seen.append(r.headers["authorization"]), httpx.Response(200))[1]
    )
    client, _ = _client(Clock())
    for _ in range(3):
        assert (await client.request("GET", "/things")).ok
    await client.aclose()
    assert token.call_count == 1
    assert seen == ["Bearer tok-1"] * 3
    assert forms[0]["grant_type"] == ["client_credentials"]
    assert forms[0]["client_id"] == ["cid-1"]
    assert forms[0]["scope"] == ["read write"]


@respx.mock
async def test_renewed_before_expiry() -> None:
    answer, _ = _tokens(lifetime=120)
    token = respx.post(TOKEN_URL).mock(side_effect=answer)
    seen: list[str] = []
    respx.get(f"{API}/things").mock(
        side_effect=lambda r: (seen.append(r.headers["authorization"]), httpx.Response(200))[1]
    )
    clock = Clock()
    client, _ = _client(clock)
    await client.request("GET", "/things")
    clock.t += 59  # 61 s left: still fresh (margin 60)
    await client.request("GET", "/things")
    clock.t += 2  # 59 s left: inside the margin, renewed before it expires
    await client.request("GET", "/things")
    await client.aclose()
    assert token.call_count == 2
    assert seen == ["Bearer tok-1", "Bearer tok-1", "Bearer tok-2"]


@respx.mock
async def test_one_refresh_and_retry_after_401() -> None:
    answer, _ = _tokens(lifetime=3600)
    token = respx.post(TOKEN_URL).mock(side_effect=answer)

    def api(request: httpx.Request) -> httpx.Response:
        if request.headers["authorization"] == "Bearer tok-1":
            return httpx.Response(401, json={"error": "token revoked"})
        return httpx.Response(200, json={"ok": True})

    route = respx.get(f"{API}/things").mock(side_effect=api)
    client, _ = _client(Clock())
    ex = await client.request("GET", "/things")
    await client.aclose()
    assert ex.ok and ex.status == 200
    assert token.call_count == 2 and route.call_count == 2
    assert [c.status_code for c in ex.calls] == [401, 200]
    assert all("tok-" not in str(c.request_headers) for c in ex.calls)


@respx.mock
async def test_persistent_401_refreshes_only_once() -> None:
    answer, _ = _tokens(lifetime=3600)
    token = respx.post(TOKEN_URL).mock(side_effect=answer)
    route = respx.get(f"{API}/things").mock(return_value=httpx.Response(401))
    client, _ = _client(Clock())
    ex = await client.request("GET", "/things")
    await client.aclose()
    assert not ex.ok and ex.status == 401
    assert token.call_count == 2 and route.call_count == 2


@respx.mock
async def test_token_endpoint_refusal_is_reported_without_the_secret() -> None:
    respx.post(TOKEN_URL).mock(
        return_value=httpx.Response(
            401, json={"error": "invalid_client", "detail": "very-secret-value"}
        )  # fmt: skip
    )
    route = respx.get(f"{API}/things").mock(return_value=httpx.Response(401))
    client, auth = _client(Clock())
    ex = await client.request("GET", "/things")
    await client.aclose()
    assert ex.status == 401 and route.calls[0].request.headers.get("authorization") is None
    assert "HTTP 401" in auth.error and "invalid_client" in auth.error
    assert "very-secret-value" not in auth.error


def test_config_builds_oauth2_and_refuses_a_written_secret() -> None:
    cfg = parse_config(TOML)
    assert isinstance(build_auth("api", cfg.connectors["api"], ENV), OAuth2ClientCredentials)
    check_secrets(cfg, "sync.toml", ENV)
    with pytest.raises(UserError) as err:
        check_secrets(cfg, "sync.toml", {})
    assert "API_SECRET" in str(err.value)
    written = parse_config(TOML.replace("env:API_SECRET", "plain-secret"))
    with pytest.raises(UserError, match="secret written in the file"):
        check_secrets(written, "sync.toml", ENV)

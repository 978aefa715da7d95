"""HostGuard: which URLs may carry a connector's credentials, and what is left when not."""

from __future__ import annotations

import httpx
import pytest

from core.connectors.hosts import HostGuard

BASE = "https://api.test:8443/v1"


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://api.test:8443/v1/x", True),
        ("https://API.test:8443/other", True),
        ("http://api.test:8443/v1/x", False),  # downgraded to http
        ("https://api.test/v1/x", False),  # another port: another service
        ("https://api.test.evil.example:8443/", False),
        ("https://evil.example/?u=https://api.test:8443", False),
        ("https://login.test/token", True),  # the OAuth2 token URL's host
        ("https://api2.test:1234/x", True),  # listed without a port: any port
        ("https://cdn.test:9000/x", True),
        ("https://cdn.test:9001/x", False),
    ],
)
def test_allows(url, allowed):
    guard = HostGuard(BASE, allowed_hosts=["api2.test", "cdn.test:9000"],
                      also=["https://login.test/oauth/token"])  # fmt: skip
    assert guard.allows(httpx.URL(url)) is allowed


async def test_a_foreign_request_keeps_only_plain_headers_and_params():
    guard = HostGuard(BASE, secrets=lambda: ["s3cret"], param_names=lambda: ["api_key"])
    req = httpx.Request(
        "GET", "https://other.test/p?api_key=k&page=2&echo=s3cret",
        headers={"Authorization": "Bearer s3cret", "X-Tenant": "t", "Accept": "application/json",
                 "Cookie": "sid=1"},
    )  # fmt: skip
    await guard(req)
    assert dict(req.url.params) == {"page": "2"}
    assert set(req.headers) == {"host", "accept"}
    assert guard.take_withheld() == ["other.test"] and guard.take_withheld() == []


async def test_a_body_is_never_sent_to_another_host():
    from core.connectors.hosts import BodyToOtherHost

    guard = HostGuard(BASE)
    form = httpx.Request("POST", "https://other.test/token", data={"client_secret": "s3cret"})
    with pytest.raises(BodyToOtherHost, match="a body to other.test"):
        await guard(form)
    await guard(httpx.Request("POST", "https://api.test:8443/token", data={"a": "b"}))  # own host

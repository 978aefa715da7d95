"""HubSpot CRM v3: bearer token, `after` cursor at paging.next.after, `results`, and the
X-HubSpot-RateLimit-* headers read as headroom."""

from __future__ import annotations

import httpx
import pytest
import respx
from preset_helpers import config, pull_all, records

from core.connectors.presets.hubspot import headroom

ENV = {"HS_TOKEN": "pat-na1-secret-123"}
URL = "https://api.hubapi.com/crm/v3/objects/contacts"
LIMITS = {
    "X-HubSpot-RateLimit-Max": "100",
    "X-HubSpot-RateLimit-Remaining": "40",
    "X-HubSpot-RateLimit-Interval-Milliseconds": "10000",
    "X-HubSpot-RateLimit-Daily": "250000",
    "X-HubSpot-RateLimit-Daily-Remaining": "249000",
}


def _cfg():
    return config(
        'preset = "hubspot"\ncredentials = { token = "env:HS_TOKEN" }',
        'pull = { path = "/crm/v3/objects/contacts" }',
    )


@respx.mock
async def test_pages_follow_after_cursor_with_bearer() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        assert request.headers["authorization"] == "Bearer pat-na1-secret-123"
        assert request.url.params["limit"] == "100"
        after = request.url.params.get("after")
        if after is None:
            body = {"results": [{"id": "1"}, {"id": "2"}],
                    "paging": {"next": {"after": "2", "link": URL + "?after=2"}}}  # fmt: skip
        elif after == "2":
            body = {"results": [{"id": "3"}], "paging": {"next": {"after": "3"}}}
        else:
            body = {"results": [{"id": "4"}]}  # the last page has no paging
        return httpx.Response(200, json=body, headers=LIMITS)

    route = respx.get(URL).mock(side_effect=answer)
    got, client = await pull_all(_cfg(), ENV)
    assert [r["id"] for r in records(got)] == ["1", "2", "3", "4"]
    assert route.call_count == 3
    assert [p.exchange.headroom for p in got] == [0.4, 0.4, 0.4]
    assert client.limiter.headroom == 0.4
    stored = got[0].exchange.calls[0]
    assert "pat-na1-secret-123" not in str(stored.request_headers)


def test_headroom_takes_the_tightest_window() -> None:
    h = {**LIMITS, "X-HubSpot-RateLimit-Remaining": "90",
         "X-HubSpot-RateLimit-Daily-Remaining": "25000"}  # fmt: skip
    assert headroom(httpx.Headers(h)) == pytest.approx(0.1)
    assert headroom(httpx.Headers({})) is None


def test_preset_defaults_and_rate_limit() -> None:
    cfg = _cfg()
    conn = cfg.connectors["src"]
    assert conn.base_url == "https://api.hubapi.com"
    assert conn.rate_limit.requests_per_second == 9
    pull = cfg.services["svc"].streams[0].pull
    assert pull.data_selector == "results"
    assert pull.paginator.type == "cursor"

"""Client error rules: retries, backoff, Retry-After in both forms, one row per attempt."""

from __future__ import annotations

import email.utils
import time

import httpx
import pytest
import respx

from core.connectors.client import parse_retry_after


def test_parse_retry_after_seconds_and_http_date():
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after("garbage") is None
    ref = 1_700_000_000.0
    date = email.utils.formatdate(ref + 30, usegmt=True)
    assert parse_retry_after(date, now=ref) == 30.0
    assert parse_retry_after(email.utils.formatdate(ref - 30, usegmt=True), now=ref) == 0.0


@respx.mock
async def test_429_honours_retry_after_seconds(make_client, sleeps):
    route = respx.get("https://api.test/x").mock(
        side_effect=[
            httpx.Response(429, headers={"Retry-After": "3"}, json={}),
            httpx.Response(200, json={"ok": True}),
        ]
    )
    c = make_client()
    ex = await c.request("GET", "/x")
    assert ex.ok and ex.rate_limited and ex.retries == 1
    assert route.call_count == 2
    assert sleeps == [3.0]
    assert [call.attempt for call in ex.calls] == [1, 2]
    assert [call.status_code for call in ex.calls] == [429, 200]
    assert "429" in ex.calls[0].error


@respx.mock
async def test_503_honours_retry_after_http_date(make_client, sleeps):
    when = email.utils.formatdate(time.time() + 20, usegmt=True)
    respx.get("https://api.test/x").mock(
        side_effect=[
            httpx.Response(503, headers={"Retry-After": when}),
            httpx.Response(200, json=[]),
        ]
    )
    ex = await make_client().request("GET", "/x")
    assert ex.ok
    assert 15 <= sleeps[0] <= 20


@respx.mock
async def test_5xx_backs_off_exponentially_then_gives_up(make_client, sleeps):
    route = respx.get("https://api.test/x").mock(return_value=httpx.Response(500, text="boom"))
    c = make_client(retry={"attempts": 4, "backoff_base": 1, "backoff_max": 3})
    ex = await c.request("GET", "/x")
    assert not ex.ok and route.call_count == 4
    assert sleeps == [1.0, 2.0, 3.0]  # rng=1.0: the top of each jitter range, capped at 3
    assert "gave up after 4 attempts" in ex.error and "HTTP 500" in ex.error
    assert len(ex.calls) == 4


@respx.mock
async def test_timeout_and_connection_errors_are_retried(make_client, sleeps):
    respx.get("https://api.test/x").mock(
        side_effect=[
            httpx.ConnectTimeout("slow"),
            httpx.ConnectError("refused"),
            httpx.Response(200, json={}),
        ]
    )
    ex = await make_client().request("GET", "/x")
    assert ex.ok and ex.retries == 2
    assert "timed out" in ex.calls[0].error
    assert "could not connect to api.test" in ex.calls[1].error
    assert ex.calls[0].status_code is None


@respx.mock
async def test_4xx_is_not_retried(make_client, sleeps):
    route = respx.post("https://api.test/accounts").mock(
        return_value=httpx.Response(422, json={"error": "email not accepted"})
    )
    ex = await make_client().request("POST", "/accounts", json={"a": 1})
    assert route.call_count == 1 and sleeps == []
    assert ex.error.startswith("HTTP 422") and "email not accepted" in ex.error


@respx.mock
async def test_bounded_attempts_on_429(make_client, sleeps):
    route = respx.get("https://api.test/x").mock(
        return_value=httpx.Response(429, headers={"Retry-After": "1"})
    )
    ex = await make_client(retry={"attempts": 2}).request("GET", "/x")
    assert route.call_count == 2 and not ex.ok and ex.rate_limited


@respx.mock
async def test_non_json_response_reads_as_words(make_client):
    respx.get("https://api.test/x").mock(
        return_value=httpx.Response(200, text="<html/>", headers={"content-type": "text/html"})
    )
    ex = await make_client().request("GET", "/x")
    try:
        ex.json()
    except Exception as exc:  # noqa: BLE001
        assert "not JSON" in str(exc) and "text/html" in str(exc)
    else:
        raise AssertionError("expected a ResponseError")


@respx.mock
@pytest.mark.parametrize(
    "answer",
    [httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("cut"), httpx.ReadError("reset"),
     httpx.Response(502), httpx.Response(500), httpx.Response(408)],
    ids=["read-timeout", "cut", "reset", "502", "500", "408"],
)  # fmt: skip
async def test_a_post_whose_answer_was_lost_is_not_resent(make_client, answer):
    route = respx.post("https://api.test/x").mock(side_effect=[answer, httpx.Response(201)])
    ex = await make_client().request("POST", "/x", json={"a": 1})
    assert route.call_count == 1 and ex.ambiguous and not ex.ok
    assert "may have been processed" in ex.error or "failed" in ex.error


@respx.mock
@pytest.mark.parametrize(
    "answer",
    [httpx.ConnectError("refused"), httpx.ConnectTimeout("slow"), httpx.Response(429)],
    ids=["connect-error", "connect-timeout", "429"],
)
async def test_a_post_that_never_arrived_is_resent(make_client, answer):
    route = respx.post("https://api.test/x").mock(side_effect=[answer, httpx.Response(201)])
    ex = await make_client().request("POST", "/x", json={})
    assert route.call_count == 2 and ex.ok and not ex.ambiguous


@respx.mock
@pytest.mark.parametrize("method", ["PUT", "GET", "DELETE"])
async def test_idempotent_methods_are_resent_after_a_lost_answer(make_client, method):
    route = respx.route(method=method, url="https://api.test/x").mock(
        side_effect=[httpx.ReadTimeout("slow"), httpx.Response(502), httpx.Response(200)]
    )
    ex = await make_client().request(method, "/x")
    assert route.call_count == 3 and ex.ok


@respx.mock
async def test_a_url_httpx_cannot_send_is_an_error_not_a_crash(make_client):
    ex = await make_client().request("GET", "/x\x00y")
    assert not ex.ok and not ex.ambiguous and ex.calls and ex.error

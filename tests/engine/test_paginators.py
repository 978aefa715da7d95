"""Every paginator against respx-mocked APIs, and every stop rule."""

from __future__ import annotations

import httpx
import respx

from core.config import Pull
from core.engine.pull import pages


def _pull(**kw) -> Pull:
    return Pull.model_validate({"path": "/items", **kw})


async def _collect(client, pull: Pull, ahead: int = 0):
    from core.connectors.paginators import make_paginator

    pag = make_paginator(pull.paginator, pull.path, pull.params)
    out = []
    async for page in pages(client, pull, pag, ahead=ahead):
        out.append(page)
    return out, pag


def _records(got) -> list:
    return [r["id"] for p in got for r in p.records]


def _json_server(request: httpx.Request) -> httpx.Response:
    """json-server v1: clamps a page past the end to the last page."""
    page = int(request.url.params.get("_page", 1))
    per = int(request.url.params.get("_per_page", 2))
    items = [{"id": i} for i in range(1, 6)]
    pages_n = 3
    page = min(page, pages_n)
    data = items[(page - 1) * per : page * per]
    return httpx.Response(200, json={"pages": pages_n, "next": None, "data": data})


@respx.mock
async def test_single_page(make_client):
    respx.get("https://api.test/items").mock(return_value=httpx.Response(200, json=[{"id": 1}]))
    got, pag = await _collect(make_client(), _pull())
    assert _records(got) == [1] and len(got) == 1


@respx.mock
async def test_page_number_stops_on_total_pages(make_client):
    route = respx.get("https://api.test/items").mock(side_effect=_json_server)
    pull = _pull(
        params={"_per_page": 2},
        data_selector="data",
        paginator={"type": "page_number", "page_param": "_page", "total_path": "pages"},
    )
    got, pag = await _collect(make_client(), pull)
    assert _records(got) == [1, 2, 3, 4, 5] and route.call_count == 3
    assert "last page" in pag.stop_reason


@respx.mock
async def test_page_number_look_ahead_keeps_order(make_client):
    respx.get("https://api.test/items").mock(side_effect=_json_server)
    pull = _pull(
        params={"_per_page": 2},
        data_selector="data",
        paginator={"type": "page_number", "page_param": "_page", "total_path": "pages"},
    )
    got, _ = await _collect(make_client(), pull, ahead=4)
    assert _records(got) == [1, 2, 3, 4, 5]
    assert [p.request.number for p in got] == [1, 2, 3]


@respx.mock
async def test_page_number_without_total_stops_on_repeated_page(make_client):
    route = respx.get("https://api.test/items").mock(side_effect=_json_server)
    pull = _pull(params={"_per_page": 2}, data_selector="data",
                 paginator={"type": "page_number", "page_param": "_page"})  # fmt: skip
    got, pag = await _collect(make_client(), pull)
    assert _records(got) == [1, 2, 3, 4, 5]  # the clamped repeat of page 3 is dropped
    assert route.call_count == 4 and got[-1].repeat
    assert "repeated" in pag.stop_reason


@respx.mock
async def test_stop_on_empty_page(make_client):
    respx.get("https://api.test/items").mock(
        side_effect=[httpx.Response(200, json=[{"id": 1}]), httpx.Response(200, json=[])]
    )
    got, pag = await _collect(make_client(), _pull(paginator={"type": "page_number"}))
    assert _records(got) == [1] and pag.stop_reason == "empty page"


@respx.mock
async def test_max_pages_guard(make_client):
    n = iter(range(1, 1000))
    respx.get("https://api.test/items").mock(
        side_effect=lambda req: httpx.Response(200, json=[{"id": next(n)}])
    )
    got, pag = await _collect(
        make_client(), _pull(paginator={"type": "page_number", "max_pages": 3})
    )
    assert len(got) == 3 and "max_pages" in pag.stop_reason


@respx.mock
async def test_offset_with_total(make_client):
    def api(req: httpx.Request) -> httpx.Response:
        off, lim = int(req.url.params["offset"]), int(req.url.params["limit"])
        data = [{"id": i} for i in range(off, min(off + lim, 5))]
        return httpx.Response(200, json={"list": data, "total": 5})

    route = respx.get("https://api.test/items").mock(side_effect=api)
    pull = _pull(
        data_selector="list", paginator={"type": "offset", "limit": 2, "total_path": "total"}
    )
    got, _ = await _collect(make_client(), pull)
    assert _records(got) == [0, 1, 2, 3, 4] and route.call_count == 3


@respx.mock
async def test_offset_short_page_without_total(make_client):
    respx.get("https://api.test/items").mock(
        side_effect=[
            httpx.Response(200, json=[{"id": 1}, {"id": 2}]),
            httpx.Response(200, json=[{"id": 3}]),
        ]
    )
    got, pag = await _collect(make_client(), _pull(paginator={"type": "offset", "limit": 2}))
    assert _records(got) == [1, 2, 3] and pag.stop_reason == "short page"


@respx.mock
async def test_cursor_in_body_with_has_more(make_client):
    def api(req: httpx.Request) -> httpx.Response:
        after = req.url.params.get("after")
        if after is None:
            return httpx.Response(
                200,
                json={"results": [{"id": 1}], "paging": {"next": {"after": "c2"}}, "more": True},
            )
        return httpx.Response(
            200, json={"results": [{"id": 2}], "paging": {"next": {"after": "c3"}}, "more": False}
        )

    route = respx.get("https://api.test/items").mock(side_effect=api)
    pull = _pull(data_selector="results", paginator={
        "type": "cursor", "cursor_path": "paging.next.after", "cursor_param": "after",
        "has_more_path": "more"})  # fmt: skip
    got, pag = await _collect(make_client(), pull)
    assert _records(got) == [1, 2] and route.call_count == 2
    assert route.calls[1].request.url.params["after"] == "c2"
    assert pag.stop_reason == "more is false"


@respx.mock
async def test_json_link(make_client):
    respx.get("https://api.test/items", params={"p": "2"}).mock(
        return_value=httpx.Response(200, json={"data": [{"id": 2}], "next": None})
    )
    respx.get("https://api.test/items").mock(
        return_value=httpx.Response(200, json={"data": [{"id": 1}], "next": "/items?p=2"})
    )
    pull = _pull(data_selector="data", paginator={"type": "json_link", "next_url_path": "next"})
    got, pag = await _collect(make_client(), pull)
    assert _records(got) == [1, 2] and "no next" in pag.stop_reason


@respx.mock
async def test_header_link(make_client):
    respx.get("https://api.test/items", params={"page_info": "abc"}).mock(
        return_value=httpx.Response(200, json=[{"id": 2}])
    )
    respx.get("https://api.test/items").mock(
        return_value=httpx.Response(
            200,
            json=[{"id": 1}],
            headers={"Link": '<https://api.test/items?page_info=abc>; rel="next"'},
        )  # fmt: skip
    )
    got, pag = await _collect(make_client(), _pull(paginator={"type": "header_link"}))
    assert _records(got) == [1, 2] and "Link" in pag.stop_reason


@respx.mock
async def test_missing_data_selector_is_a_page_error(make_client):
    respx.get("https://api.test/items").mock(return_value=httpx.Response(200, json={"results": []}))
    got, _ = await _collect(make_client(), _pull(data_selector="data"))
    assert got[0].error == "the response has no 'data' (the data_selector)"


@respx.mock
async def test_object_without_selector_is_a_page_error(make_client):
    respx.get("https://api.test/items").mock(return_value=httpx.Response(200, json={"a": 1}))
    got, _ = await _collect(make_client(), _pull())
    assert "set data_selector" in got[0].error


@respx.mock
async def test_a_pull_by_post_is_retried_after_a_lost_answer(make_client):
    """A search endpoint read by POST (HubSpot, Autotask) changes nothing: a 502 or a timeout
    is retried like a GET (creates are not, see test_client)."""
    route = respx.post("https://api.test/items").mock(
        side_effect=[httpx.Response(502), httpx.ReadTimeout("slow"),
                     httpx.Response(200, json=[{"id": 1}])]
    )  # fmt: skip
    got, pag = await _collect(make_client(), _pull(method="POST", json={"q": 1}))
    assert _records(got) == [1] and route.call_count == 3

"""DATA 2: paging against the fault API, for every generic paginator kind and every preset's:
all records read once; a cursor or next link that never advances (with new records on every
page) stops at once with a WARNING, not after thousands of requests."""

from __future__ import annotations

import pytest
from fault_api import OTHER_HOST, FaultState, fault_api
from fault_config import PAGINATORS, config_text, run

from core.config import ConnectorConfig, Pull
from core.connectors.client import Client
from core.connectors.paginators import make_paginator
from core.connectors.presets import PRESETS
from core.connectors.presets.base import basic_token
from core.engine.pull import pages

SHAPES = [(f"generic {k}", p, "data", "GET", None) for k, p in PAGINATORS.items()] + [
    (f"preset {name}", dict(p.paginator), p.selector_for("/src/items"), p.method, p.json_body)
    for name, p in sorted(PRESETS.items())
]
MOVING = [s for s in SHAPES if s[1]["type"] in ("cursor", "json_link", "header_link")]


@pytest.fixture(scope="module")
def api():
    with fault_api(FaultState(items=[{"id": i} for i in range(1, 13)], per_page=5)) as state:
        yield state


async def _pull(state: FaultState, shape) -> tuple[list, object]:
    _, paginator, selector, method, body = shape
    state.paginator, state.selector = paginator, selector
    given = {"data_selector": selector, "paginator": paginator, "method": method, "json": body}
    pull = Pull.model_validate({"path": "/src/items", **given})
    client = Client("src", ConnectorConfig(base_url=state.urls["own"]))
    pag = make_paginator(pull.paginator, pull.path, pull.params)
    got = []
    try:
        async for page in pages(client, pull, pag):
            assert not page.error, page.error
            got.append(page)
    finally:
        await client.aclose()
    return got, pag


@pytest.mark.parametrize("shape", SHAPES, ids=[s[0] for s in SHAPES])
async def test_every_paginator_reads_every_record_once(api, shape):
    api.mode, api.seen[:] = "normal", []
    got, pag = await _pull(api, shape)
    ids = [r["id"] for p in got for r in p.records]
    expected = list(range(1, 6)) if shape[1]["type"] == "single_page" else list(range(1, 13))
    assert ids == expected, pag.stop_reason
    assert not pag.warning


@pytest.mark.parametrize("shape", MOVING, ids=[s[0] for s in MOVING])
async def test_a_cursor_that_never_advances_stops_at_once(api, shape):
    api.mode, api.seen[:] = "endless", []
    try:
        got, pag = await _pull(api, shape)
    finally:
        api.mode = "normal"
    assert len(api.seen) <= 2  # the first page, the page its cursor names; not that one again
    assert pag.warning and "does not advance" in pag.stop_reason


async def test_an_endless_cursor_run_stops_with_a_warning(stores):
    with fault_api(FaultState(mode="endless")) as api:
        store = await stores.make(config_text(api, kind="cursor"))
        r = await run(store)
        assert api.creates == r.created == 4 and len(api.sent_to("127.0.0.1")) == 2 + 4
        logs = (await store.list_logs(run_id=r.run_id, level="warning")).items
        assert [entry.title for entry in logs] == ["Paging of items stopped early"]
        assert "does not advance" in logs[0].details


@pytest.mark.parametrize("kind", ["json_link", "header_link"])
async def test_a_next_link_keeps_its_query_beside_an_api_key_param(stores, kind):
    """httpx replaces a URL's query by `params`: the next link's cursor was dropped and paging
    read page 1 twice (then stopped on the repeat) when the auth put a key in the query."""
    auth = (
        'auth = { type = "api_key", name = "k", api_key = "env:FAULT_TOKEN", location = "query" }'
    )
    with fault_api(FaultState(items=[{"id": i, "name": "x"} for i in range(1, 13)])) as api:
        text = config_text(api, kind=kind).replace(
            'auth = { type = "bearer", token = "env:FAULT_TOKEN" }', auth
        )
        r = await run(await stores.make(text))
        assert r.pulled == 12 and r.created == 12
        assert all(
            "k=fault-api-secret-token" in s.query for s in api.seen if s.raw_path == "/src/items"
        )


# presets whose paging may lead to another URL (a single page or page numbers never do)
LINKED = [
    (n, p)
    for n, p in sorted(PRESETS.items())
    if p.paginator["type"] not in ("page_number", "single_page")
]


@pytest.mark.parametrize(("name", "preset"), LINKED, ids=[n for n, _ in LINKED])
async def test_a_preset_sends_no_credentials_to_another_host(api, name, preset):
    """Every preset's auth (bearer, basic, several secret headers) against a next link or
    cursor that leads elsewhere: the other host sees none of its secrets."""
    creds = {c.key: f"env:S_{c.key.upper()}" if c.secret else "acme" for c in preset.credentials}
    env = {f"S_{c.key.upper()}": f"secret-{name}-{c.key}" for c in preset.credentials}
    cfg = ConnectorConfig.model_validate(
        {"preset": name, "base_url": api.urls["own"], "credentials": creds}
    )
    api.mode, api.seen[:] = "elsewhere", []
    api.paginator, api.selector = dict(preset.paginator), preset.selector_for("/src/items")
    pull = Pull.model_validate({"path": "/src/items", "data_selector": api.selector,
                                "paginator": api.paginator, "method": preset.method,
                                "json": preset.json_body})  # fmt: skip
    client = Client("src", cfg, environ=env)
    try:
        async for page in pages(client, pull, make_paginator(pull.paginator, pull.path, {})):
            if pull.method == "POST" and page.error:  # a query body is not sent elsewhere
                assert "allowed_hosts" in page.error
                assert all(s.method != "POST" for s in api.sent_to(OTHER_HOST))
            else:
                assert not page.error
    finally:
        api.mode = "normal"
        await client.aclose()
    secrets = [v for v in env.values()] + [basic_token(v, "") for v in env.values()]
    own = " ".join(str(s.headers) + s.query for s in api.sent_to("127.0.0.1"))
    if env:
        assert any(s in own for s in secrets) or "authorization" in own.lower()  # sent at home
    other = " ".join(str(s.headers) + s.query for s in api.sent_to(OTHER_HOST))
    if preset.paginator["type"] != "cursor" and pull.method == "GET":
        assert api.sent_to(OTHER_HOST)  # a cursor stays on the connector's host
    assert not [s for s in secrets if s in other] and "authorization" not in other.lower()

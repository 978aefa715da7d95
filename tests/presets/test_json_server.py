"""json-server: v1's {first, prev, next, last, pages, items, data} envelope (a page past the
end is clamped to the last one) and 0.17's bare array with a Link header."""

from __future__ import annotations

import httpx
import respx
from preset_helpers import config, pull_all, records

BASE = "http://127.0.0.1:3999"
ITEMS = [{"id": i} for i in range(1, 6)]


@respx.mock
async def test_v1_envelope_stops_at_last_page() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        per = int(request.url.params["_per_page"])
        page = min(int(request.url.params["_page"]), 3)
        data = ITEMS[(page - 1) * per : page * per]
        return httpx.Response(200, json={
            "first": 1, "prev": page - 1 or None, "next": page + 1 if page < 3 else None,
            "last": 3, "pages": 3, "items": 5, "data": data})  # fmt: skip

    route = respx.get(f"{BASE}/customers").mock(side_effect=answer)
    cfg = config(
        f'preset = "json_server"\nbase_url = "{BASE}"',
        'pull = { path = "/customers", params = { _per_page = 2 } }',
    )
    got, _ = await pull_all(cfg, {})
    assert [r["id"] for r in records(got)] == [1, 2, 3, 4, 5]
    assert route.call_count == 3


@respx.mock
async def test_017_link_header() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params["_page"])
        limit = int(request.url.params["_limit"])
        data = ITEMS[(page - 1) * limit : page * limit]
        links = [f'<{BASE}/customers?_page=1&_limit={limit}>; rel="first"']
        if page * limit < len(ITEMS):
            links.append(f'<{BASE}/customers?_page={page + 1}&_limit={limit}>; rel="next"')
        return httpx.Response(200, json=data, headers={"Link": ", ".join(links),
                                                       "X-Total-Count": "5"})  # fmt: skip

    route = respx.get(f"{BASE}/customers").mock(side_effect=answer)
    cfg = config(
        f'preset = "json_server_0_17"\nbase_url = "{BASE}"',
        'pull = { path = "/customers", params = { _limit = 2 } }',
    )
    got, _ = await pull_all(cfg, {})
    assert [r["id"] for r in records(got)] == [1, 2, 3, 4, 5]
    assert route.call_count == 3


def test_v1_test_connection_path_exists_on_1_0_beta() -> None:
    """json-server 1.0.0-beta.15 answers 404 for /db (0.17 had it); its home page is always
    there, so test connection uses / for v1 and keeps /db for 0.17."""
    from core.connectors.presets import PRESETS

    assert PRESETS["json_server"].test_path == "/"
    assert PRESETS["json_server_0_17"].test_path == "/db"

"""The incremental cursor never advances past a record that failed: the next update run pulls
it again (a real loopback server whose source filters by `since`, exclusive)."""

from __future__ import annotations

import pytest

from core.config import parse_config
from core.config_io import apply
from core.engine.cursor import StepCursor
from core.engine.runner import run_service
from core.sandbox import serve
from core.store import open_store

from .vendor_app import VendorState, make_people, vendor_app

TOML = """
[connectors.src]
base_url = "{url}"
[connectors.dst]
base_url = "{url}"
[services.svc]
source = "src"
destination = "dst"
cooldown_minutes = 0
[[services.svc.streams]]
name = "people"
pull = {{ path = "/src/people", data_selector = "list[*].person" }}
push = {{ create = "POST /cw/companies", update = "PATCH /cw/companies/{{id}}" }}
incremental = {{ cursor_path = "updated_at", start_param = "since" }}
[services.svc.streams.fields]
name = {{ from = "name" }}
"""


@pytest.fixture
def api():
    state = VendorState(people=make_people(5))
    with serve(vendor_app(state)) as server:
        yield state, server.url


async def test_a_failed_record_is_pulled_again_by_the_next_update_run(tmp_path, api):
    state, url = api
    state.reject = {"Person 3"}
    text = TOML.format(url=url)
    store = await open_store(tmp_path / "s.db")
    try:
        await apply(store, parse_config(text, "t.toml"), text)
        r1 = await run_service(store, "svc", environ={})
        assert (r1.created, r1.failed) == (4, 1)
        assert await store.get_stream_state(1, "people") == "2026-01-01T00:00:02Z"
        state.reject = set()
        r2 = await run_service(store, "svc", environ={})
        assert (r2.pulled, r2.created, r2.skipped, r2.failed) == (3, 1, 2, 0)
        assert await store.get_stream_state(1, "people") == "2026-01-01T00:00:05Z"
        r3 = await run_service(store, "svc", environ={})
        assert r3.pulled == 0
        assert sorted(c["name"] for c in state.store.values()) == [
            f"Person {i}" for i in range(1, 6)
        ]
    finally:
        await store.close()


def test_cursor_over_pages_steps_back_below_a_later_failure():
    c = StepCursor("a0", "u")
    ext = lambda r: r["id"]  # noqa: E731
    assert c.page([{"id": "1", "u": "a5"}, {"id": "2", "u": "a9"}], set(), ext) == "a9"
    # page 2 holds a failure older than what page 1 reached: the cursor goes back below it
    assert c.page([{"id": "3", "u": "a3"}, {"id": "4", "u": "a4"}], {"4"}, ext) == "a3"
    assert c.page([{"id": "5", "u": "b1"}], set(), ext) == "a3"
    # nothing ok below the failure: the saved cursor stays
    c2 = StepCursor("a0", "u")
    assert c2.page([{"id": "1", "u": "a2"}, {"id": "2", "u": "a1"}], {"2"}, ext) == "a0"

"""DATA 3: ids from the source and from the destination are percent-encoded as one path segment
(or query value) wherever a template puts them; an id no URL can hold fails its own entity, and
every request that was sent is recorded."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from fault_api import FaultState, fault_api
from fault_config import config_text, run

from core.models import RunStatus

HOSTILE = ["../../_admin/wipe", "q?force=true&all=1", "..", "a b#c", "é/x", "%2e%2e", "ok-1"]
BAD = "bad\x07id"
BY_KEY = 'push = { create = "PUT /dst/byid/{key}", update = "PUT /dst/byid/{key}", id_path = "id" }'


@pytest.fixture
def api():
    items = [{"id": x, "name": f"n{i}"} for i, x in enumerate([*HOSTILE, BAD])]
    with fault_api(FaultState(items=items, per_page=20)) as state:
        yield state


async def test_source_ids_stay_one_path_segment(stores, api):
    store = await stores.make(config_text(api, kind="single_page", push=BY_KEY))
    r = await run(store)
    puts = [s for s in api.seen if s.method == "PUT"]
    assert all(s.raw_path.startswith("/dst/byid/") and s.raw_path.count("/") == 3 for s in puts)
    assert all(s.query == "" for s in puts)
    assert sorted(unquote(s.raw_path.split("/")[3]) for s in puts) == sorted(HOSTILE)
    assert (r.status, r.created, r.failed) == (RunStatus.PARTIAL, 7, 1)
    steps = (await store.list_steps(r.run_id)).items
    ents = (await store.list_entities(steps[0].id, limit=50)).items
    assert len(ents) == 8  # every record recorded, the sent ones with their calls
    failed = [e for e in ents if e.status.value == "failed"]
    assert len(failed) == 1 and "control character" in failed[0].reason
    r2 = await run(store)  # the hostile ids are known now: updated or skipped, never elsewhere
    assert (r2.failed, r2.created) == (1, 0)
    assert not [s for s in api.seen if not s.raw_path.startswith(("/src/", "/dst/byid/"))]


async def test_destination_ids_stay_one_path_segment(stores, api):
    api.make_id = lambda n: ["../../_admin/7", "x?all=1", ".."][n % 3]
    api.items = api.items[:3]
    push = ('push = { create = "POST /dst/records", update = "PATCH /dst/records/{id}", '
            'id_path = "id" }')  # fmt: skip
    store = await stores.make(config_text(api, kind="single_page", push=push))
    assert (await run(store)).created == 3
    for item in api.items:
        item["name"] += " changed"
    r = await run(store)
    assert r.updated == 3
    patches = sorted(s.raw_path for s in api.seen if s.method == "PATCH")
    assert patches == ["/dst/records/%2E%2E", "/dst/records/..%2F..%2F_admin%2F7",
                       "/dst/records/x%3Fall%3D1"]  # fmt: skip


async def test_a_bad_id_in_a_find_fails_that_entity_only(stores, api):
    api.items = [{"id": BAD, "name": "x"}, {"id": "fine", "name": "y"}]
    api.create_faults = ["reset_before", "reset_before"]  # both lost: both need a look-up
    push = ('push = { create = "POST /dst/records", find = "GET /dst/records?source_id={key}", '
            'find_selector = "data", id_path = "id" }')  # fmt: skip
    store = await stores.make(config_text(api, kind="single_page", push=push))
    r = await run(store)
    assert (r.created, r.failed, r.status) == (1, 1, RunStatus.PARTIAL)


@pytest.mark.parametrize("shop", ["evil.example/x?", "a@evil.example", "x#", "x:1"])
def test_a_preset_setting_cannot_change_the_host(shop):
    from core.config import ConnectorConfig

    with pytest.raises(ValueError, match="letters, digits, dots and dashes"):
        ConnectorConfig.model_validate(
            {
                "preset": "shopify",
                "credentials": {"shop": shop, "access_token": "env:SHOPIFY_TOKEN"},
            }
        )

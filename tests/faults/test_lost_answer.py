"""DATA 1: a create whose answer is lost (reset, timeout, cut body, 502 after commit, 201 with no
id) is never resent blindly: it is looked up (push.find), resent with the same idempotency key,
or failed with its pending mark kept, as push.on_lost_create says. No duplicate, ever."""

from __future__ import annotations

from collections import Counter

import pytest
from fault_api import FaultState, fault_api
from fault_config import config_text, run

from core.models import RunStatus
from core.troubleshooting import lookup

LOST = ["reset", "timeout", "cut", "502", "no_id"]
FIND = 'find = "GET /dst/records?source_id={key}", find_selector = "data", '


def _items(n: int) -> list[dict]:
    return [{"id": i, "name": f"Item {i}"} for i in range(1, n + 1)]


def _push(extra: str = "") -> str:
    return f'push = {{ create = "POST /dst/records", {extra}id_path = "id" }}'


def _no_duplicates(state: FaultState) -> None:
    doubled = {k: n for k, n in Counter(state.source_ids()).items() if n > 1}
    assert not doubled, f"duplicated at the destination: {doubled}"


@pytest.fixture
def api():
    with fault_api(FaultState(items=_items(12), per_page=5, timeout_s=1.0)) as state:
        yield state


async def test_lost_answers_are_looked_up_not_resent(stores, api):
    api.create_faults = list(LOST)
    store = await stores.make(config_text(api, push=_push(FIND)))
    r = await run(store)
    _no_duplicates(api)
    assert len(api.records) == 12 and api.creates == 12
    assert (r.status, r.created, r.failed) == (RunStatus.SUCCESS, 12, 0)
    posts = [s for s in api.seen if s.method == "POST"]
    assert len(posts) == 12  # each lost create was looked up, found, and not sent again
    r2 = await run(store)
    assert (r2.created, r2.updated, r2.skipped) == (0, 0, 12)
    assert api.creates == 12


async def test_not_found_after_a_reset_before_commit_is_sent_again(stores, api):
    api.create_faults = ["reset_before", "reset_before"]
    store = await stores.make(config_text(api, push=_push(FIND)))
    r = await run(store)
    _no_duplicates(api)
    assert (r.created, r.failed) == (12, 0) and len(api.records) == 12


async def test_without_find_a_lost_create_fails_and_stays_failed(stores, api):
    api.create_faults = list(LOST)
    store = await stores.make(config_text(api, push=_push()))
    r = await run(store)
    _no_duplicates(api)
    assert len(api.records) == 12  # the 5 lost ones did land
    assert (r.status, r.created, r.failed) == (RunStatus.PARTIAL, 7, 5)
    reasons = [e.reason for e in (await _entities(store, r.run_id)) if e.status.value == "failed"]
    assert len(reasons) == 5
    assert all("push.on_lost_create" in x and "push.find" in x for x in reasons)
    assert any("timed out" in x for x in reasons) and any("502" in x for x in reasons)
    assert {lookup(text=x).code for x in reasons} == {"lost_create"}  # the detail pane's advice
    r2 = await run(store)  # still ambiguous: not sent again, still failed, still no duplicate
    _no_duplicates(api)
    assert (r2.created, r2.failed, r2.skipped) == (0, 5, 7)
    assert api.creates == 12


async def test_assume_not_created_sends_a_lost_create_again(stores, api):
    api.create_faults = ["reset_before"]  # the record was never stored
    store = await stores.make(config_text(api, push=_push()))
    r = await run(store)
    assert (r.created, r.failed) == (11, 1) and len(api.records) == 11
    text = config_text(api, push=_push('on_lost_create = "assume_not_created", '))
    store2 = await stores.make(text)  # the same store, the policy changed
    r2 = await run(store2)
    assert (r2.created, r2.failed) == (1, 0) and len(api.records) == 12
    _no_duplicates(api)


async def test_an_idempotency_key_makes_a_resend_safe(stores, api):
    api.create_faults = ["reset", "timeout", "cut", "502"]
    store = await stores.make(config_text(api, push=_push(
        'idempotency_header = "Idempotency-Key", ')))  # fmt: skip
    r = await run(store)
    _no_duplicates(api)
    assert (r.created, r.failed) == (12, 0) and api.creates == 12
    keys = [s.headers.get("idempotency-key") for s in api.seen if s.method == "POST"]
    assert len(keys) == 16 and len(set(keys)) == 12 and None not in keys


async def test_look_up_without_find_is_refused_in_words(stores, api):
    from core.errors import UserError

    with pytest.raises(UserError, match="needs push.find"):
        await stores.make(config_text(api, push=_push('on_lost_create = "look_up", ')))


async def _entities(store, run_id):
    steps = (await store.list_steps(run_id)).items
    return (await store.list_entities(steps[0].id, limit=500)).items

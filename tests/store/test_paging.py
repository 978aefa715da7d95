"""Every list query: keyset paging edges (empty, one page, an exact multiple, next then prev)
and its filters."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from core.errors import NotFound
from core.store import Page, Store

DAY = 86400
Fetch = Callable[..., Awaitable[Page[Any]]]


async def walk_forward(fetch: Fetch, limit: int) -> list[list[int]]:
    pages = []
    page = await fetch(limit=limit)
    pages.append([r.id for r in page.items])
    assert not page.has_prev
    while page.has_next:
        page = await fetch(limit=limit, after=page.next_key)
        assert page.has_prev
        pages.append([r.id for r in page.items])
    return pages


async def check_paging(fetch: Fetch, expected_ids: list[int]) -> None:
    """Walk the list at several page sizes: forward, then back from the end."""
    total = len(expected_ids)
    sizes = {1, 3, 7}
    if total:
        sizes |= {total, total + 1}  # exactly one page, and one page with room to spare
        sizes |= {d for d in range(2, total) if total % d == 0}  # exact multiples
    for limit in sorted(sizes):
        pages = await walk_forward(fetch, limit)
        assert [i for p in pages for i in p] == expected_ids, limit
        assert all(len(p) == limit for p in pages[:-1])
        assert len(pages[-1]) == (total - limit * (len(pages) - 1))
        if total and total % limit == 0:
            assert len(pages) == total // limit  # no empty trailing page
        first = await fetch(limit=limit)
        assert first.total == total
        assert first.has_next == (total > limit)
        # back from the last page returns exactly the pages seen going forward
        page = await fetch(limit=limit, after=pages[-2][-1]) if len(pages) > 1 else first
        back = [[r.id for r in page.items]]
        while page.has_prev:
            page = await fetch(limit=limit, before=page.prev_key)
            assert page.has_next
            back.append([r.id for r in page.items])
        assert back[::-1] == pages, limit


async def test_empty_store_lists_are_empty(store: Store) -> None:
    for page in (
        await store.list_runs(),
        await store.list_steps(1),
        await store.list_instances(1),
        await store.list_entities(1),
        await store.list_calls(instance_id=1),
        await store.list_calls(entity_id=1),
        await store.list_logs(),
        await store.search_id("x"),
    ):
        assert (page.items, page.total, page.has_next, page.has_prev) == ([], 0, False, False)
        assert page.next_key is None and page.prev_key is None


async def test_runs_paging_newest_first(seeded_store: Store, seeded_db) -> None:
    expected = list(range(seeded_db.runs, 0, -1))
    await check_paging(seeded_store.list_runs, expected)


async def test_runs_filters(seeded_store: Store, seeded_db) -> None:
    s = seeded_db
    svc1 = await seeded_store.list_runs(service="cw-to-hubspot", limit=1000)
    assert svc1.total == s.runs_svc1 and {r.service for r in svc1.items} == {"cw-to-hubspot"}
    xero = await seeded_store.list_runs(connector="Xero", limit=1000)
    assert xero.total == s.runs - s.runs_svc1 and {r.destination for r in xero.items} == {"Xero"}
    hubspot = await seeded_store.list_runs(connector="HubSpot")
    assert hubspot.total == s.runs  # source of one service, destination of the other
    failed = await seeded_store.list_runs(status="failed", limit=1000)
    assert failed.total == s.failed_runs and {r.status for r in failed.items} == {"failed"}
    several = await seeded_store.list_runs(status=["failed", "running"])
    assert several.total == s.failed_runs + 1
    recent = await seeded_store.list_runs(since=s.reference - 3 * DAY, limit=1000)
    assert recent.items and all(
        r.started_at.timestamp() >= s.reference - 3 * DAY for r in recent.items
    )
    older = await seeded_store.list_runs(until=s.reference - 3 * DAY, limit=1000)
    assert older.total + recent.total == s.runs
    touching = await seeded_store.list_runs(touching="C-4711")
    assert [r.id for r in touching.items] == [s.big_run]
    # paging keeps the filters
    await check_paging(
        lambda **p: seeded_store.list_runs(status="failed", **p), [r.id for r in failed.items]
    )
    with pytest.raises(NotFound, match="Known services"):
        await seeded_store.list_runs(service="nope")
    with pytest.raises(NotFound, match="Known connectors: ConnectWise, HubSpot, Xero"):
        await seeded_store.list_runs(connector="nope")


async def test_steps_instances_entities_calls_paging(seeded_store: Store, seeded_db) -> None:
    s = seeded_db
    steps = await seeded_store.list_steps(s.big_run)
    assert [st.stream for st in steps.items] == ["contacts", "companies", "invoices"]
    await check_paging(lambda **p: seeded_store.list_steps(s.big_run, **p),
                       [st.id for st in steps.items])  # fmt: skip
    assert (await seeded_store.list_steps(1)).total == 0  # a run with no steps

    inst = await seeded_store.list_instances(s.big_step, limit=100)
    assert [i.page for i in inst.items] == [1, 2, 3, 4]
    await check_paging(lambda **p: seeded_store.list_instances(s.big_step, **p),
                       [i.id for i in inst.items])  # fmt: skip
    assert (await seeded_store.list_instances(s.empty_step)).total == 0

    ents = await seeded_store.list_entities(s.big_step, limit=1000)
    assert ents.total == s.entities == 60
    await check_paging(lambda **p: seeded_store.list_entities(s.big_step, **p),
                       [e.id for e in ents.items])  # fmt: skip
    for action, n in s.entity_actions.items():
        page = await seeded_store.list_entities(s.big_step, action=action, limit=1000)
        assert page.total == n and {e.action for e in page.items} == {action}
        await check_paging(
            lambda action=action, **p: seeded_store.list_entities(s.big_step, action=action, **p),
            [e.id for e in page.items],
        )
    failed = await seeded_store.list_entities(s.big_step, status="failed")
    assert failed.total == s.entity_actions["fail"]
    assert all("does not belong" in e.reason for e in failed.items)
    one = await seeded_store.list_entities(s.big_step, external_id="HS-901")
    assert [e.external_id for e in one.items] == ["C-4701"]

    calls = await seeded_store.list_calls(entity_id=s.entity_with_calls)
    assert [c.attempt for c in calls.items] == [1, 2]
    await check_paging(lambda **p: seeded_store.list_calls(entity_id=s.entity_with_calls, **p),
                       [c.id for c in calls.items])  # fmt: skip
    pulls = await seeded_store.list_calls(instance_id=s.big_instance)
    assert [c.method for c in pulls.items] == ["GET"]
    with pytest.raises(ValueError):
        await seeded_store.list_calls()


async def test_logs_paging_and_filters(seeded_store: Store, seeded_db) -> None:
    s = seeded_db
    every = await seeded_store.list_logs(limit=1000)
    ids = [e.id for e in every.items]
    assert ids == sorted(ids, reverse=True) and len(ids) == s.logs
    await check_paging(seeded_store.list_logs, ids)
    for level, n in s.log_levels.items():
        page = await seeded_store.list_logs(level=level.lower(), limit=1000)
        assert page.total == n and {e.level for e in page.items} == {level}
    both = await seeded_store.list_logs(level=["ERROR", "WARNING"])
    assert both.total == s.log_levels["ERROR"] + s.log_levels["WARNING"]
    assert (await seeded_store.list_logs(kind="milestone")).total == s.log_levels["INFO"]
    cw = await seeded_store.list_logs(connector="ConnectWise", limit=1000)
    assert cw.total == 50 and {e.connector for e in cw.items} == {"ConnectWise"}
    assert (await seeded_store.list_logs(service="hubspot-to-xero")).total == 0
    assert (await seeded_store.list_logs(run_id=s.big_run)).total == s.logs
    since = s.reference - 10 * DAY + 3600  # not on an event: datetimes round to a microsecond
    recent = await seeded_store.list_logs(since=since, limit=1000)
    assert recent.total == sum(1 for e in every.items if e.ts.timestamp() >= since) > 0
    errors_text = await seeded_store.list_logs(level="ERROR", text="Agreement")
    assert errors_text.total == s.log_levels["ERROR"]
    await check_paging(
        lambda **p: seeded_store.list_logs(level="ERROR", text="Agreement", **p),
        [e.id for e in (await seeded_store.list_logs(level="ERROR", limit=1000)).items],
    )


async def test_count_new_logs_after(seeded_store: Store, seeded_db) -> None:
    newest = (await seeded_store.list_logs(limit=1)).items[0].id
    assert await seeded_store.count_logs_after(newest - 10) == 10
    assert await seeded_store.count_logs_after(newest - 10, level="ERROR") < 10
    assert await seeded_store.count_logs_after(newest) == 0


async def test_limit_is_clamped(seeded_store: Store) -> None:
    assert (await seeded_store.list_logs(limit=0)).limit == 1
    assert (await seeded_store.list_logs(limit=10**6)).limit == 1000

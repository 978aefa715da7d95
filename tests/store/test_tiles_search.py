"""Overview tiles over 30 days (with the boundary day), id search and log text search."""

from __future__ import annotations

import pytest

from core.store import Batch, LogRow, Store
from core.store.postgres import log_reads as pg_reads
from core.store.sqlite import log_reads as store_reads

DAY = 86400
# A fixed "now" at 13:20 UTC, so the 30-day window starts mid-day and its first day is partial.
NOW = 1_795_000_000.0 + 13 * 3600 + 20 * 60 - (1_795_000_000 % DAY)


@pytest.fixture
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> float:
    for module in (store_reads, pg_reads):
        monkeypatch.setattr(module, "now", lambda: NOW)
    return NOW


async def _logs(store: Store, *rows: tuple[float, str, int | None]) -> None:
    await store.write_batch(
        Batch(
            logs=[
                LogRow(ts=ts, level=lvl, kind="event", title=f"event at {ts}", connector_id=cid)
                for ts, lvl, cid in rows
            ]
        )  # fmt: skip
    )


async def test_tiles_30_days_with_boundary_day(store: Store, fixed_now: float) -> None:
    cw = await store.upsert_connector("ConnectWise")
    hs = await store.upsert_connector("HubSpot")
    since = fixed_now - 30 * DAY
    first_full_day = (int(since // DAY) + 1) * DAY
    await _logs(
        store,
        (since - 60, "ERROR", cw),  # same calendar day as the window start, but before it: out
        (since - 2 * DAY, "ERROR", cw),  # long gone: out
        (since + 60, "WARNING", cw),  # the partial first day, inside the window: in
        (first_full_day - 1, "INFO", hs),  # last second of the partial day: in
        (first_full_day, "ERROR", hs),  # first second of the first whole day: in
        (fixed_now - 5 * DAY, "INFO", cw),
        (fixed_now - 30, "ERROR", None),  # no connector: counted overall only
    )
    tiles = await store.tiles()
    assert (tiles.total, tiles.errors, tiles.warnings) == (5, 2, 1)
    assert tiles.last_update is not None and tiles.last_update.timestamp() == fixed_now - 30
    cw_tiles = await store.tiles(connector="ConnectWise")
    assert (cw_tiles.total, cw_tiles.errors, cw_tiles.warnings) == (2, 0, 1)
    assert cw_tiles.last_update.timestamp() == fixed_now - 5 * DAY
    per = {t.connector: t for t in await store.connector_tiles()}
    assert (per["ConnectWise"].total, per["HubSpot"].total) == (2, 2)
    assert per["HubSpot"].errors == 1
    assert per["HubSpot"].last_synced_at is None  # no finished run yet
    # A shorter window counts only what is inside it.
    week = await store.tiles(days=7)
    assert (week.total, week.errors) == (2, 1)


async def test_tiles_of_a_service_and_last_synced(store: Store, fixed_now: float) -> None:
    cw = await store.upsert_connector("ConnectWise")
    hs = await store.upsert_connector("HubSpot")
    svc = await store.upsert_service("cw-to-hubspot", source_id=cw, destination_id=hs)
    run = await store.start_run(svc, sync_type="full", trigger="manual", started_at=NOW - 600)
    await store.update_run(run, status="success", finished_at=NOW - 500)
    failed = await store.start_run(svc, sync_type="full", trigger="manual", started_at=NOW - 60)
    await store.update_run(failed, status="failed", finished_at=NOW - 50)
    await store.write_batch(Batch(logs=[
        LogRow(ts=NOW - 100, level="ERROR", kind="event", title="x", service_id=svc),
        LogRow(ts=NOW - 31 * DAY, level="ERROR", kind="event", title="old", service_id=svc),
    ]))  # fmt: skip
    tiles = await store.tiles(service="cw-to-hubspot")
    assert (tiles.total, tiles.errors, tiles.scope) == (1, 1, "service cw-to-hubspot")
    per = {t.connector: t for t in await store.connector_tiles()}
    # last synced = the last successful (or partial) run, not the failed one
    assert per["HubSpot"].last_synced_at.timestamp() == NOW - 500
    assert per["ConnectWise"].last_synced_at.timestamp() == NOW - 500


async def test_empty_tiles(store: Store) -> None:
    tiles = await store.tiles()
    assert (tiles.total, tiles.errors, tiles.warnings, tiles.last_update) == (0, 0, 0, None)
    assert await store.connector_tiles() == []


async def test_search_id_external_and_internal(seeded_store: Store, seeded_db) -> None:
    s = seeded_db
    by_external = await seeded_store.search_id("C-4701")
    assert [(h.run_id, h.step_id, h.stream, h.internal_id) for h in by_external.items] == [
        (s.big_run, s.big_step, "contacts", "HS-901")
    ]
    by_internal = await seeded_store.search_id("HS-901")
    assert [h.entity_id for h in by_internal.items] == [h.entity_id for h in by_external.items]
    assert by_external.items[0].service == "cw-to-hubspot"
    assert (await seeded_store.search_id("C-47")).total == 0  # exact ids, not prefixes
    assert (await seeded_store.search_id("C-4701", run_id=1)).total == 0
    assert (await seeded_store.search_id("C-4701", since=s.reference + 60)).total == 0
    steps = await seeded_store.search_steps(s.big_run, "C-4701")
    assert [st.id for st in steps] == [s.big_step]


async def test_search_id_across_runs_newest_first(store: Store) -> None:
    from core.store import EntityRow

    c = await store.upsert_connector("A")
    svc = await store.upsert_service("a-to-a", source_id=c, destination_id=c)
    runs = []
    for i in range(3):
        run = await store.start_run(svc, sync_type="update", trigger="schedule",
                                    started_at=1000.0 + i)  # fmt: skip
        step = await store.start_step(run, "contacts", started_at=1000.0 + i)
        await store.write_batch(Batch(entities=[
            EntityRow(step_id=step, run_id=run, external_id="4711", internal_id="X1",
                      action="update", status="success", created_at=1000.0 + i),
            EntityRow(step_id=step, run_id=run, external_id="other", action="skip",
                      status="skipped", created_at=1000.0 + i, reason="unchanged"),
        ]))  # fmt: skip
        await store.update_run(run, status="success", finished_at=1001.0 + i)  # one live a time
        runs.append(run)
    hits = await store.search_id("4711", limit=2)
    assert [h.run_id for h in hits.items] == runs[::-1][:2] and hits.total == 3
    more = await store.search_id("4711", limit=2, after=hits.next_key)
    assert [h.run_id for h in more.items] == [runs[0]] and not more.has_next
    assert [r.id for r in (await store.list_runs(touching="X1")).items] == runs[::-1]


async def test_text_search_fts_and_short_fallback(seeded_store: Store, seeded_db) -> None:
    s = seeded_db
    assert (await seeded_store.list_logs(text="Agreement with ID 123")).total == s.log_levels[
        "ERROR"
    ]
    assert (await seeded_store.list_logs(text="agreement")).total == s.log_levels["ERROR"]
    assert (await seeded_store.list_logs(text="not mapped")).total == s.log_levels["WARNING"]
    assert (await seeded_store.list_logs(text="event 42")).total == 1  # details are searched
    assert (await seeded_store.list_logs(text="no such words")).total == 0
    # FTS syntax in the user's text is taken literally, never an error
    for text in ('"quoted', "a* OR b", "NEAR(x y)", "col:umn", "ID 123)"):
        await seeded_store.list_logs(text=text)
    assert (await seeded_store.list_logs(text="ID 123)")).total == 0
    # shorter than a trigram: a substring scan, with LIKE wildcards taken literally
    assert (await seeded_store.list_logs(text="45")).total == s.log_levels["ERROR"] + 1
    assert (await seeded_store.list_logs(text="%")).total == 0
    assert (await seeded_store.list_logs(text="_")).total == 0
    assert (await seeded_store.list_logs(text="ID", level="WARNING")).total == 0


async def test_text_search_sees_new_and_forgets_deleted_events(store: Store) -> None:
    await _logs(store, (1000.0, "INFO", None))
    await store.write_batch(Batch(logs=[
        LogRow(ts=2000.0, level="ERROR", kind="event", title="Token expired for HubSpot"),
    ]))  # fmt: skip
    assert (await store.list_logs(text="expired")).total == 1
    await store.prune(retention_days=1, reference=2000.0 + 0.5 * DAY, payload_keep_hours=None)
    assert (await store.list_logs(text="expired")).total == 1
    await store.prune(retention_days=1, reference=2000.0 + 2 * DAY, payload_keep_hours=None)
    assert (await store.list_logs(text="expired")).total == 0
    assert (await store.list_logs(text="ex")).total == 0

"""`f` failed only at every level: runs with failures, steps with failures, from a step straight
to its failed entities (11 of a 2,000-record step on one page), calls with 4xx/5xx, ERROR logs;
the count of failed rows on the pager line. And the store queries behind it, keyset-paged."""

from __future__ import annotations

from pathlib import Path

from tui_fixture import FIXED_NOW
from tui_helpers import logs_screen, make_app, settle

from core.store import Batch, CallRow, Counts, EntityRow, open_store
from tui.screens.help import HelpScreen
from tui.widgets.status_line import StatusLine

FAILED_AT = {13, 170, 333, 512, 777, 901, 1200, 1333, 1500, 1777, 1999}  # 11 of 2,000


async def big_store(path: Path) -> dict[str, int]:
    """One clean run, then one run whose 2,000-record step (20 pages) has 11 failures."""
    store = await open_store(path, create=True)
    try:
        crm = await store.upsert_connector("crm", base_url="https://crm.example.com")
        erp = await store.upsert_connector("erp", base_url="https://erp.example.com")
        sid = await store.upsert_service("customers", source_id=crm, destination_id=erp)
        t0 = FIXED_NOW - 7200
        clean_run = await store.start_run(sid, sync_type="full", trigger="manual", started_at=t0)
        await store.update_run(clean_run, status="success", finished_at=t0 + 5, pulled=1)
        run = await store.start_run(sid, sync_type="full", trigger="manual", started_at=t0 + 60)
        ok_step = await store.start_step(run, "companies", started_at=t0 + 60)
        await store.update_step(ok_step, status="success", finished_at=t0 + 61)
        step = await store.start_step(run, "contacts", started_at=t0 + 61)
        for page in range(20):
            inst = await store.add_instance(step, run, page=page + 1, method="GET",
                                            url=f"https://crm.example.com/c?page={page + 1}",
                                            started_at=t0 + 62 + page)  # fmt: skip
            await store.update_instance(inst, records=100, status_code=200)
            batch = Batch(run_id=run, step_id=step)
            c = Counts(pulled=100, processed=100)
            for i in range(page * 100, page * 100 + 100):
                fail = i in FAILED_AT
                call = CallRow(run_id=run, step_id=step, instance_id=inst, connector_id=erp,
                               method="POST", url=f"https://erp.example.com/a/{i}",
                               started_at=t0 + 62 + page, status_code=422 if fail else 201,
                               error="422 email rejected" if fail else "")  # fmt: skip
                ok_call = CallRow(run_id=run, step_id=step, instance_id=inst, connector_id=erp,
                                  method="GET", url=f"https://erp.example.com/a?src={i}",
                                  started_at=t0 + 62 + page, status_code=200)  # fmt: skip
                batch.entities.append(EntityRow(
                    step_id=step, run_id=run, instance_id=inst, external_id=str(i),
                    internal_id=None if fail else f"A-{i}", action="create",
                    status="failed" if fail else "success",
                    reason="422 email rejected" if fail else "", created_at=t0 + 62 + page,
                    calls=[ok_call, call],
                ))  # fmt: skip
                c.failed += fail
                c.created += not fail
            batch.run_counts = c
            batch.step_counts = Counts(processed=100, created=c.created, failed=c.failed)
            await store.write_batch(batch)
        await store.update_step(step, status="partial", finished_at=t0 + 90)
        await store.update_run(run, status="partial", finished_at=t0 + 91)
        return {"run": run, "step": step, "clean_run": clean_run}
    finally:
        await store.close()


def pager(screen) -> str:  # noqa: ANN001
    return screen.query_one("#pager", StatusLine).plain


async def test_store_failed_filters_keyset_paged(tmp_path: Path) -> None:
    ids = await big_store(tmp_path / "b.db")
    store = await open_store(tmp_path / "b.db")
    try:
        runs = await store.list_runs(failed=True)
        assert [r.id for r in runs.items] == [ids["run"]] and runs.total == 1
        steps = await store.list_steps(ids["run"], failed=True)
        assert [s.stream for s in steps.items] == ["contacts"]
        pages = await store.list_instances(ids["step"], failed=True)
        assert pages.total == 11  # the pages holding the 11 failures, one each
        first = await store.list_entities(ids["step"], status="failed", limit=5)
        assert first.total == 11 and first.has_next
        rest = await store.list_entities(ids["step"], status="failed", limit=10,
                                         after=first.items[-1].id)  # fmt: skip
        got = [e.external_id for e in first.items + rest.items]
        assert sorted(int(x) for x in got) == sorted(FAILED_AT) and not rest.has_next
        failed_entity = first.items[0].id
        calls = await store.list_calls(entity_id=failed_entity, failed=True)
        assert [c.status_code for c in calls.items] == [422]
        assert (await store.list_calls(entity_id=failed_entity)).total == 2
    finally:
        await store.close()


async def test_failed_only_from_runs_to_the_failed_calls(tmp_path: Path) -> None:
    db = tmp_path / "b.db"
    ids = await big_store(db)
    app = make_app(str(db))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = logs_screen(app)
        await pilot.press("v")
        await settle(pilot)
        assert screen.table.row_count == 2
        await pilot.press("f")
        await settle(pilot)
        assert list(screen.table.keys) == [str(ids["run"])]
        assert pager(screen).endswith("1 run with failures")  # one run, not "1 runs"
        assert "✖ failed only" in screen.query_one("#filters", StatusLine).plain
        await pilot.press("enter")
        await settle(pilot)
        assert screen.level.kind == "steps" and screen.table.row_count == 1
        assert "1 step with failures" in pager(screen)
        await pilot.press("enter")  # straight to the failed entities of the whole step
        await settle(pilot)
        assert screen.level.kind == "entities"
        assert screen.table.row_count == 11
        assert pager(screen).startswith("1–11 of 11") and "11 failed" in pager(screen)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.level.kind == "calls" and screen.table.row_count == 1
        assert "1 failed call" in pager(screen) and "1 failed calls" not in pager(screen)
        await pilot.press("f")  # off again: both calls of the entity
        await settle(pilot)
        assert screen.table.row_count == 2


async def test_failed_only_on_the_log_grid_and_in_help(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = logs_screen(app)
        await pilot.press("f")
        await settle(pilot)
        assert "15 errors" in pager(screen)  # the fixture's 15 ERROR events
        rows = [screen.table.get_row_at(i)[1].plain for i in range(screen.table.row_count)]
        assert rows and all("ERROR" in r for r in rows)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert dict(app.screen.keys)["f"] == "Failed only  (logs.failed)"

"""An empty grid never crashes the console: paging, searching and moving on a table with no rows
(issue 10, item 11). Textual posts RowHighlighted with row_key None on an empty table."""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_fixture import build_store
from tui_helpers import logs_screen, make_app, settle

KEYS = {
    "log search without a match, then PageDown": ["slash", *"zzqqxnomatch", "enter", "pagedown"],
    "runs search without a match": ["v", "slash", *"zzqqxnomatch", "enter", "pagedown", "pageup"],
    "next and previous page past the end": ["n", "b", "pagedown", "pageup", "n", "n", "end"],
    "empty search then moving": ["slash", *"zzqqxnomatch", "enter", "j", "k", "home", "end", "y"],
}


@pytest.mark.parametrize("name", list(KEYS))
async def test_empty_grid_keys_do_not_crash(tmp_path: Path, name: str) -> None:
    db = str(tmp_path / "s.db")
    await build_store(db)
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key in KEYS[name]:
            await pilot.press(key)
            await settle(pilot)
        assert app.is_running, f"the console stopped after {name}"
        screen = logs_screen(app)
        assert screen.table.cursor_key is None or screen.table.row_count > 0
    assert app.return_code in (None, 0)


async def test_skipped_entity_with_no_api_calls(tmp_path: Path) -> None:
    """Runs > Steps > Pages > Entities > API calls of a skipped record (no call made): empty."""
    from tui_fixture import FIXED_NOW

    from core.store import Batch, Counts, EntityRow, open_store

    db = str(tmp_path / "s.db")
    await build_store(db)
    store = await open_store(db, create=False)
    try:
        run = await store.start_run(1, sync_type="update", trigger="manual", started_at=FIXED_NOW)
        step = await store.start_step(run, "companies", started_at=FIXED_NOW)
        inst = await store.add_instance(step, run, page=1, method="GET", url="https://x/c",
                                        started_at=FIXED_NOW)  # fmt: skip
        skipped = EntityRow(step_id=step, run_id=run, instance_id=inst, external_id="4711",
                            internal_id=None, action="skip", status="skipped",
                            reason="Payload unchanged since the last sync.",
                            created_at=FIXED_NOW)  # fmt: skip
        await store.write_batch(Batch(run_id=run, step_id=step, entities=[skipped],
                                      run_counts=Counts(skipped=1)))  # fmt: skip
        await store.update_run(run, status="success", finished_at=FIXED_NOW + 1)
    finally:
        await store.close()
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = logs_screen(app)
        await pilot.press("v")
        await settle(pilot)
        assert screen.table.cursor_key == str(run)
        for _ in range(4):  # steps, pages, entities, API calls
            await pilot.press("enter")
            await settle(pilot)
        assert screen.level.kind == "calls" and screen.table.row_count == 0
        for key in ("pagedown", "pageup", "end", "home", "enter", "y", "n", "b", "pagedown"):
            await pilot.press(key)
            await settle(pilot)
        assert app.is_running
    assert app.return_code in (None, 0)


@pytest.mark.parametrize("screen_key", ["C", "S", "M"])
async def test_admin_grids_without_a_match(tmp_path: Path, screen_key: str) -> None:
    db = str(tmp_path / "s.db")
    await build_store(db)
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        keys = [screen_key, "slash", *"zzqqxnomatch", "enter", "pagedown", "pageup", "end"]
        for key in [*keys, "enter", "y", "j", "k", "pagedown"]:
            await pilot.press(key)
            await settle(pilot)
        assert app.is_running
    assert app.return_code in (None, 0)

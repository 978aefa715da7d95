"""A row highlight queued before the level changes must not describe the old row with the new
level's view (the live demo crashed on `v`: 'LogEvent' object has no attribute 'shown_status')."""

from __future__ import annotations

from textual.widgets import DataTable
from tui_fixture import build_store
from tui_helpers import logs_screen, make_app, settle

from tui.views.base import Level


async def test_highlight_of_a_log_row_after_switching_to_runs(tmp_path) -> None:
    db = str(tmp_path / "race.db")
    await build_store(db)
    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = logs_screen(app)
        key = screen.table.cursor_key
        assert key is not None and screen.level.kind == "logs"
        row_key = screen.table.coordinate_to_cell_key((0, 0)).row_key
        screen.stack.append(Level("runs", "Runs"))  # the level moved on, its window not shown yet
        screen.on_data_table_row_highlighted(DataTable.RowHighlighted(screen.table, 0, row_key))
        await pilot.pause()
        assert app.return_code is None  # still running: no crash


async def test_keys_typed_while_a_level_loads_act_on_that_level(tmp_path) -> None:
    """`enter enter` in one burst on Runs: the second enter came while the steps were loading,
    drilled with the steps' view into the run still under the cursor and crashed the console
    ('Run' object has no attribute 'stream'; 2 of 3 tries in tmux). The keys typed meanwhile
    wait for the level they were typed at."""
    from tui_helpers import burst

    db = str(tmp_path / "burst.db")
    await build_store(db)
    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = logs_screen(app)
        await pilot.press("v")
        await settle(pilot)
        burst(app, ["enter", "enter"])
        await settle(pilot)
        await pilot.pause(0.1)
        await settle(pilot)
        assert app.return_code is None, "the console crashed"
        assert [lv.kind for lv in screen.stack] == ["runs", "steps", "instances"]
        burst(app, ["y"])  # copy on a level whose rows are being loaded: its own row
        await settle(pilot)
        assert app.return_code is None


async def test_a_key_while_a_level_loads_never_uses_the_old_rows(tmp_path) -> None:
    """Should a key reach the screen before the new level's rows (the hold's time limit), the
    rows of the previous level are not this level's items."""
    db = str(tmp_path / "stale.db")
    await build_store(db)
    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = logs_screen(app)
        await pilot.press("v")
        await settle(pilot)
        assert screen.current_item() is not None
        screen.stack.append(Level("steps", "#1", ids={"run_id": 1}))  # not loaded yet
        assert screen.current_item() is None
        screen.action_drill()
        screen.action_copy()
        await pilot.pause()
        assert app.return_code is None

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

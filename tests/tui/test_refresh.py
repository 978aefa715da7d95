"""Live refresh: cursor kept on its record, new rows marked, running runs in place, idle ticks."""

from __future__ import annotations

from tui_fixture import FIXED_NOW, add_log
from tui_helpers import logs_screen, make_app, settle

from core.store import Batch, Counts, open_store
from tui.widgets.refresh_indicator import RefreshIndicator


async def test_refresh_keeps_cursor_on_same_record_while_rows_are_inserted_above(
    demo_db: str,
) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = logs_screen(app)
        await pilot.press("j", "j", "j")
        await settle(pilot)
        key = screen.table.cursor_key
        title = screen.table.get_row(key)[3].plain
        for i in range(3):
            await add_log(demo_db, FIXED_NOW - 30 + i, f"Inserted above {i}")
        await pilot.press("r")
        await settle(pilot)
        assert screen.table.cursor_key == key
        assert screen.table.cursor_row == 6
        assert screen.table.get_row(key)[3].plain == title
        assert screen.table.row_count == 20
        assert screen.table.get_row_at(0)[3].plain.startswith("Inserted above 2")
        assert len(screen.table.new_keys) == 3
        assert [screen.table.get_row_at(i)[0].plain for i in range(4)] == ["+", "+", "+", " "]
        assert screen.level.cursor_key == key


async def test_cursor_near_the_bottom_holds_the_window_and_counts_new(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = logs_screen(app)
        screen.table.move_cursor(row=19)
        await settle(pilot)
        key = screen.table.cursor_key
        assert key == "26"
        keys_before = screen.table.keys
        for i in range(2):
            await add_log(demo_db, FIXED_NOW - 30 + i, f"Pushed {i}")
        await pilot.press("r")
        await settle(pilot)
        assert screen.table.cursor_key == key
        assert screen.table.keys == keys_before
        assert screen.query_one(RefreshIndicator).label == "● live 5s · 2 new ↑"


async def test_running_run_updates_in_place_and_idle_tick_does_nothing(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = logs_screen(app)
        await pilot.press("v", "j")
        await settle(pilot)
        assert screen.table.cursor_key == "5"
        loads = screen.loads
        await screen._refresh(False)  # a timer tick
        await settle(pilot)
        assert screen.idle_ticks == 1 and screen.loads == loads  # nothing changed: no fetch
        store = await open_store(demo_db, create=False)
        try:
            await store.write_batch(Batch(run_id=6, run_counts=Counts(pulled=100, pushed=90)))
        finally:
            await store.close()
        await screen._refresh(False)
        await settle(pilot)
        assert screen.loads == loads + 1
        assert screen.table.get_cell("6", "pp").plain == "115/104"  # patched in place
        assert screen.table.cursor_key == "5" and screen.table.keys[0] == "6"
        assert not screen.table.new_keys


async def test_tick_holds_the_window_when_the_record_would_leave_the_view(demo_db: str) -> None:
    """Away from the live edge a timer tick only counts new rows; `r` shows them."""
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = logs_screen(app)
        visible = (screen.table.scrollable_content_region.height - 1) // 2
        screen.table.move_cursor(row=visible - 1)  # the last row in view
        await settle(pilot)
        key, keys_before = screen.table.cursor_key, screen.table.keys
        await add_log(demo_db, FIXED_NOW - 30, "Arrived while reading")
        await screen._refresh(False)  # a timer tick
        await settle(pilot)
        assert screen.table.keys == keys_before and screen.table.cursor_key == key
        assert screen.query_one(RefreshIndicator).label == "● live 5s · 1 new ↑"
        await pilot.press("r")
        await settle(pilot)
        assert screen.table.get_row_at(0)[3].plain.startswith("Arrived while reading")
        assert screen.table.cursor_key == key and screen.table.cursor_row == visible
        assert screen.query_one(RefreshIndicator).label == "● live 5s"


async def test_tick_at_the_live_edge_slides_new_rows_in(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = logs_screen(app)
        key = screen.table.cursor_key
        await add_log(demo_db, FIXED_NOW - 30, "Live edge row")
        await screen._refresh(False)
        await settle(pilot)
        assert screen.table.get_row_at(0)[3].plain.startswith("Live edge row")
        assert screen.table.cursor_key == key and screen.table.cursor_row == 1
        assert screen.table.new_keys == {screen.table.keys[0]}


def test_merged_cells_draw_the_same_cells() -> None:
    """The grid's segment merge keeps every cell's character and look (only meta differs)."""
    from rich.segment import Segment
    from rich.style import Style
    from textual.strip import Strip

    from tui.widgets.paged_table import _merge_alike

    def cell(style: str, column: int) -> Style:
        return Style.parse(style) + Style.from_meta({"row": 0, "column": column})

    strip = Strip(
        [
            Segment("   ", cell("white on blue", 0)),
            Segment(" ", cell("white on blue", 1)),
            Segment("✖ ERROR", cell("bold white on red", 1)),
            Segment(" 2026 ", cell("white on blue", 2)),
            Segment("title", cell("bold white on blue", 3)),
            Segment("    ", cell("bold white on blue", 4)),
        ]
    )
    merged = _merge_alike(strip)
    assert len(list(merged)) == 4
    assert merged.text == strip.text and merged.cell_length == strip.cell_length

    def cells(s: Strip) -> list[tuple[str, Style]]:
        return [(ch, seg.style.clear_meta_and_links()) for seg in s for ch in seg.text]

    assert cells(merged) == cells(strip)


async def test_r_while_paused_refreshes_and_clears_the_new_counter(demo_db: str) -> None:
    """Paused, the ticks only count new rows; `r` (refresh now) shows them all the same."""
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = logs_screen(app)
        await pilot.press("p")
        await settle(pilot)
        await add_log(demo_db, FIXED_NOW - 30, "Arrived while paused")
        await screen._refresh(False)  # a timer tick: counted, not shown
        await settle(pilot)
        assert screen.query_one(RefreshIndicator).label.endswith("1 new")
        assert not screen.table.get_row_at(0)[3].plain.startswith("Arrived while paused")
        await pilot.press("r")
        await settle(pilot)
        assert screen.table.get_row_at(0)[3].plain.startswith("Arrived while paused")
        assert "new" not in screen.query_one(RefreshIndicator).label
        assert screen.paused  # still paused: refresh now is not resume
        await add_log(demo_db, FIXED_NOW - 20, "Second while paused")
        await screen._refresh(False)
        await settle(pilot)
        assert screen.query_one(RefreshIndicator).label.endswith("1 new")  # counted from r

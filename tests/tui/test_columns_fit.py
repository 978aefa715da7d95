"""The drill-down tables fit the terminal: the most important columns first, re-laid out on
resize; what is hidden stays in the detail pane."""

from __future__ import annotations

import pytest
from tui_helpers import logs_screen, make_app, settle

from tui.widgets.detail_pane import DetailPane
from tui.widgets.paged_table import Col, PagedTable, layout

LEVEL_KEYS = {
    "logs": [],
    "runs": ["v"],
    "steps": ["v", "enter"],
    "instances": ["v", "enter", "enter"],
    "entities": ["v", "enter", "enter", "enter"],
    "calls": ["v", "enter", "enter", "enter", "j", "j", "enter"],
}
RUNS_AT_80 = ["status", "id", "service", "cusf", "errors", "started"]
MOST_IMPORTANT_AT_80 = {
    "logs": ["level", "ts", "summary"],
    "runs": RUNS_AT_80,
    "steps": ["status", "stream", "processed", "created", "updated", "skipped", "failed"],
    "instances": ["page", "records", "status", "retries", "headroom", "url"],
    "entities": ["external", "action", "status", "reason"],
    "calls": ["method", "status", "ms", "url"],
}


def labels(table: PagedTable) -> list[str]:
    return [c.label.plain for c in table.ordered_columns][1:]  # without the mark column


def assert_fits(table: PagedTable) -> None:
    """Every shown column is inside the table: nothing to scroll to on the right."""
    width = sum(c.get_render_width(table) for c in table.ordered_columns)
    assert width <= table.scrollable_content_region.width, (width, labels(table))
    assert table.max_scroll_x == 0


def test_layout_by_priority_minimum_preferred_and_flex() -> None:
    cols = [
        Col("a", "A", 10, 0, min=6),
        Col("text", "Text", None, 1, min=8),
        Col("b", "B", 4, 2),
        Col("c", "C", 4, 3),
    ]
    # 6+2 + 8+2 + 4+2 = 24: c (priority 3) does not fit; 2 left widen a toward 10
    assert [(k, w) for _, k, _, w, _ in layout(cols, 25)] == [("a", 7), ("text", 8), ("b", 4)]
    wide = layout(cols, 60)  # all shown, a at its preferred width, the flex column takes the rest
    assert [(k, w) for _, k, _, w, _ in wide] == [("a", 10), ("text", 34), ("b", 4), ("c", 4)]
    assert sum(w + 2 for *_, w, _ in wide) == 60
    assert [k for _, k, *_ in layout(cols, 3)] == ["a"]  # the first column is always shown
    legacy = [("x", "X", 5), ("y", "Y", None)]
    assert layout(legacy, 10) == [(0, "x", "X", 5, False), (1, "y", "Y", None, False)]


async def test_runs_at_120x40_show_the_counts(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        table = logs_screen(app).table
        assert labels(table) == [
            "Status", "Run", "Service", "Type", "Trigger", "Started", "Duration", "Pull/Push",
            "C/U/S/F", "Errors",
        ]  # fmt: skip
        assert table.columns["service"].width >= 18
        assert_fits(table)
        row = table.get_row_at(0)
        assert row[labels(table).index("Errors") + 1].plain.strip().isdigit()


async def test_runs_at_80x24_show_the_minimum_set_and_the_detail_the_rest(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        screen = logs_screen(app)
        table = screen.table
        assert set(RUNS_AT_80) <= set(table.shown_keys)
        assert {"Status", "Run", "Service", "C/U/S/F", "Errors", "Started"} <= set(labels(table))
        assert "connector" not in table.shown_keys and "type" not in table.shown_keys
        assert_fits(table)
        key = table.cursor_key
        started = table.value(key, "started").plain  # whole, or its short form ("03-02 08:20")
        assert table.get_cell(key, "started").plain in (started, started[-11:])
        detail = screen.query_one(DetailPane).plain
        for field in ("Source → destination:", "Type:", "Duration:", "Pulled / pushed:"):
            assert field in detail


@pytest.mark.parametrize("level", list(LEVEL_KEYS))
async def test_each_level_shows_its_most_important_columns_at_80x24(
    demo_db: str, level: str
) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key in LEVEL_KEYS[level]:
            await pilot.press(key)
            await settle(pilot)
        screen = logs_screen(app)
        assert screen.level.kind == level
        table = screen.table
        assert set(MOST_IMPORTANT_AT_80[level]) <= set(table.shown_keys), table.shown_keys
        assert table.row_count > 0
        assert_fits(table)


async def test_resize_lays_the_columns_out_again_and_keeps_the_cursor(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("v", "j", "j")
        await settle(pilot)
        screen = logs_screen(app)
        table = screen.table
        key = table.cursor_key
        assert "pp" in table.shown_keys
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert "pp" not in table.shown_keys and "cusf" in table.shown_keys
        assert table.cursor_key == key and screen.level.cursor_key == key
        assert_fits(table)
        loads = screen.loads
        await screen._refresh(False)  # an idle tick does not touch the layout
        await settle(pilot)
        assert screen.loads == loads and "pp" not in table.shown_keys
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        assert "pp" in table.shown_keys and table.cursor_key == key
        assert_fits(table)


async def test_runs_at_80x24_never_cut_the_failed_count(demo_db: str) -> None:
    """C/U/S/F of a big run is wider than its column at 80: the figures drop their separators
    and the big ones are abbreviated ('24k'); none is cut, the failed count stays exact."""
    from core.store import Batch, Counts, open_store

    store = await open_store(demo_db, create=False)
    try:
        big = Counts(created=2, updated=13, skipped=23914, failed=1187)
        await store.write_batch(Batch(run_id=5, run_counts=big))
    finally:
        await store.close()
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        table = logs_screen(app).table
        width = table.columns["cusf"].width
        full = table.value("5", "cusf").plain
        assert len(full) > width  # it does not fit: the defect cut off the failed count
        shown = table.get_cell("5", "cusf").plain
        assert shown.endswith("/" + full.rsplit("/", 1)[1].replace(",", "")), shown
        assert "…" not in shown and "24k" in shown, shown
        assert len(shown) <= width

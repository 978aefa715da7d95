"""Pilot tests of the Logs screen: every key, at 120x40 and at 80x24, asserting what is shown."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from textual.widgets import Input
from tui_helpers import SIZES, logs_screen, make_app, settle

from tui.screens.export_prompt import ExportPrompt
from tui.screens.help import HelpScreen
from tui.widgets.breadcrumb import Breadcrumb
from tui.widgets.detail_pane import DetailPane
from tui.widgets.refresh_indicator import RefreshIndicator
from tui.widgets.status_line import StatusLine
from tui.widgets.tiles import Tile


def text_of(screen, selector: str) -> str:  # noqa: ANN001
    return screen.query_one(selector, StatusLine).plain


@pytest.mark.parametrize("size", SIZES)
async def test_opens_on_log_grid_with_tiles(demo_db: str, size: tuple[int, int]) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        screen = logs_screen(app)
        assert screen.query_one("#tile-total", Tile)._value == "45"
        errors = screen.query_one("#tile-errors", Tile)
        assert errors._value == "15 ✖" and errors.has_class("-error")
        warnings = screen.query_one("#tile-warnings", Tile)
        assert warnings._value == "12 ▲" and warnings.has_class("-warning")
        assert screen.query_one("#tile-last", Tile)._value == "3 min ago · 09:27"
        assert screen.query_one(Breadcrumb).plain == "Log"
        assert screen.query_one(RefreshIndicator).label == "● live 5s"
        assert text_of(screen, "#pager").startswith("1–20 of 45 · page 1/3")
        assert "Level All" in text_of(screen, "#filters")
        table = screen.table
        assert table.row_count == 20
        first = table.get_row_at(0)
        assert first[1].plain.strip() == "▲ WARNING"
        assert first[2].plain == "2026-03-02 09:27"
        assert first[3].plain.startswith("Subscription skipped\nLine skipped")
        assert "Subscription skipped" in screen.query_one(DetailPane).plain


@pytest.mark.parametrize("size", SIZES)
async def test_filters_and_paging(demo_db: str, size: tuple[int, int]) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        screen = logs_screen(app)
        await pilot.press("n")
        await settle(pilot)
        assert text_of(screen, "#pager").startswith("21–40 of 45 · page 2/3")
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert text_of(screen, "#pager").startswith("41–45 of 45 · page 3/3")
        assert screen.table.row_count == 5
        await pilot.press("b", "b")
        await settle(pilot)
        assert text_of(screen, "#pager").startswith("1–20 of 45 · page 1/3")
        await pilot.press("z")
        await settle(pilot)
        assert "25 per page" in text_of(screen, "#pager") and screen.table.row_count == 25
        for level, total in (("Info", 18), ("Warning", 12), ("Error", 15), ("All", 45)):
            await pilot.press("l")
            await settle(pilot)
            assert f"Level {level}" in text_of(screen, "#filters")
            assert f"of {total} ·" in text_of(screen, "#pager")
        await pilot.press("m")
        await settle(pilot)
        assert "Kind milestone" in text_of(screen, "#filters")
        assert "of 12 ·" in text_of(screen, "#pager")  # started/completed: 2 of every 8
        await pilot.press("m", "m", "c")
        await settle(pilot)
        assert "Connector acme-erp" in text_of(screen, "#filters")
        await pilot.press("c", "c", "t", "t")
        await settle(pilot)
        assert "Range 24h" in text_of(screen, "#filters")
        assert "of 8 ·" in text_of(screen, "#pager")  # one event every 11,000 s


@pytest.mark.parametrize("size", SIZES)
async def test_drill_down_breadcrumb_back_and_jump(demo_db: str, size: tuple[int, int]) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        screen = logs_screen(app)
        await pilot.press("v")
        await settle(pilot)
        assert screen.query_one(Breadcrumb).plain == "Runs"
        assert screen.table.get_row_at(0)[1].plain == "▶ running"
        await pilot.press("j", "k", "enter")
        await settle(pilot)
        assert screen.query_one(Breadcrumb).plain == "Runs › #6 invoices"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.query_one(Breadcrumb).plain == "Runs › #6 invoices › invoice_lines › page 1"
        await pilot.press("down", "j")
        await settle(pilot)
        assert screen.table.cursor_key is not None
        entity_key = screen.table.cursor_key
        await pilot.press("enter")
        await settle(pilot)
        crumbs = screen.query_one(Breadcrumb).plain
        assert crumbs == "Runs › #6 invoices › invoice_lines › page 1 › calls of 4712"
        detail = screen.query_one(DetailPane).plain
        assert "Request" in detail and "Response" in detail and '"name": "Company 2"' in detail
        assert "Authorization: ••••••" in detail
        await pilot.press("escape")
        await settle(pilot)
        assert screen.level.kind == "entities" and screen.table.cursor_key == entity_key
        await pilot.press("2")
        await settle(pilot)
        assert screen.query_one(Breadcrumb).plain == "Runs › #6 invoices"
        await pilot.press("alt+1")
        await settle(pilot)
        assert screen.query_one(Breadcrumb).plain == "Runs"
        assert screen.table.cursor_key == "6"
        await pilot.press("v")
        await settle(pilot)
        assert screen.query_one(Breadcrumb).plain == "Log"


async def test_log_event_opens_its_run_and_known_error_detail(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = logs_screen(app)
        await pilot.press("l", "l", "l")  # Error
        await settle(pilot)
        rows = [screen.table.get_row_at(i)[3].plain for i in range(screen.table.row_count)]
        index = next(i for i, r in enumerate(rows) if r.startswith("Agreement mismatch"))
        for _ in range(index):
            await pilot.press("j")
        await settle(pilot)
        detail = screen.query_one(DetailPane).plain
        assert "Known error: Agreement does not belong to company" in detail
        assert "Likely cause:" in detail and "What to do:" in detail
        await pilot.press("enter")
        await settle(pilot)
        assert screen.level.kind == "steps"
        assert screen.query_one(Breadcrumb).plain.startswith("Runs › #")


async def test_search_is_context_aware_and_escape_clears(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = logs_screen(app)
        await pilot.press("slash")
        await pilot.press(*"Agreement", "enter")
        await settle(pilot)
        assert "/ Agreement" in text_of(screen, "#filters")
        assert "5 match" in text_of(screen, "#pager")
        assert all("Agreement" in r[3].plain for r in map(screen.table.get_row_at, range(5)))
        await pilot.press("escape")
        await settle(pilot)
        assert "of 45 ·" in text_of(screen, "#pager")
        await pilot.press("v", "slash", *"4722", "enter")
        await settle(pilot)
        assert "6 runs touched it" in text_of(screen, "#pager")
        await pilot.press("enter")  # inside run #6: the steps and entities where it appears
        await settle(pilot)
        assert "1 step · 1 entity" in text_of(screen, "#pager")
        await pilot.press("enter")
        await settle(pilot)
        assert screen.level.kind == "entities"
        assert screen.table.row_count == 1 and screen.table.get_row_at(0)[1].plain == "4722"
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert screen.level.kind == "steps" and screen.level.search == ""


async def test_export_copy_help_palette_and_quit(demo_db: str, tmp_path: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = logs_screen(app)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExportPrompt)
        target = tmp_path / "out.csv"
        app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        with target.open() as handle:
            rows = list(csv.DictReader(handle))
        assert len(rows) == 45 and rows[0]["title"] == "Subscription skipped"
        notices = [n.message for n in app._notifications]
        assert f"Exported 45 rows to {target}" in notices
        await pilot.press("y")
        assert app.clipboard.startswith("Subscription skipped")
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        listed = {v.split("  (")[0] for v in dict(app.screen.keys).values()}  # "Export  (id)"
        for description in ("Export", "Pause", "Refresh", "Search", "Copy", "Quit"):
            assert description in listed
        assert "Back" not in listed  # escape does nothing on the Log list: not offered
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        titles = {c.title for c in app.get_system_commands(screen)}
        for title in ("Export", "Pause", "Refresh", "Next/prev page", "Prev page", "Level"):
            assert title in titles
        assert "Jump to crumb 3" not in titles  # no third crumb on the Log list: not offered
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_pause_counts_new_rows_and_resume_shows_them(demo_db: str) -> None:
    from tui_fixture import FIXED_NOW, add_log

    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = logs_screen(app)
        await pilot.press("p")
        await settle(pilot)
        assert screen.query_one(RefreshIndicator).label == "❚❚ paused"
        await add_log(demo_db, FIXED_NOW - 10, "Brand new")
        await add_log(demo_db, FIXED_NOW - 5, "Brand new 2")
        await screen._refresh(False)  # a timer tick while paused: counted, not shown
        await settle(pilot)
        assert screen.query_one(RefreshIndicator).label == "❚❚ paused · 2 new"
        assert screen.table.get_row_at(0)[3].plain.startswith("Subscription skipped")
        await pilot.press("p")
        await settle(pilot)
        assert screen.query_one(RefreshIndicator).label == "● live 5s"
        assert screen.table.get_row_at(0)[3].plain.startswith("Brand new 2")
        assert screen.table.new_keys and screen.table.get_row_at(0)[0].plain == "+"


async def test_scope_applies_to_breadcrumb_tiles_and_runs(demo_db: str) -> None:
    app = make_app(demo_db, service="invoices")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = logs_screen(app)
        assert screen.query_one(Breadcrumb).plain == "[service invoices] Log"
        assert screen.query_one("#tile-total", Tile)._value == "0"
        await pilot.press("v")
        await settle(pilot)
        services = {screen.table.get_row_at(i)[3].plain for i in range(screen.table.row_count)}
        assert services == {"invoices"} and screen.table.row_count == 2


async def test_unknown_scope_is_a_clear_error(demo_db: str) -> None:
    app = make_app(demo_db, connector="nope")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
    assert app.return_code == 2
    assert app.error is not None and "No connector named 'nope'" in app.error.message

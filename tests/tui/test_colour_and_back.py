"""Readable without colour and in 16 colours: under NO_COLOR the Errors tile stands out (it was
the dimmest thing on screen), under TERM=linux Warnings are not red like Errors. Escape from a
run opened from a Log row goes back to that row."""

from __future__ import annotations

import pytest
from tui_helpers import logs_screen, make_app, settle

from tui.widgets.tiles import Tile


async def test_no_color_errors_tile_is_reverse_video(
    demo_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = logs_screen(app)
        errors = screen.query_one("#tile-errors", Tile)
        warnings = screen.query_one("#tile-warnings", Tile)
        total = screen.query_one("#tile-total", Tile)
        assert errors.has_class("-error") and app.has_class("-no-color")
        assert errors.styles.text_style.reverse  # not a shade of grey: reverse video
        assert not warnings.styles.text_style.reverse and not total.styles.text_style.reverse
        assert warnings.styles.text_style.bold


async def test_16_colours_warnings_are_yellow_not_red(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        from rich.console import ColorSystem

        assert not app.has_class("-ansi16")  # headless: no terminal, no downgrade
        app.colour_classes("standard")  # what Rich detects for TERM=linux
        assert app.has_class("-ansi16")
        await pilot.pause()
        screen = logs_screen(app)
        errors = screen.query_one("#tile-errors", Tile).styles.color
        warnings = screen.query_one("#tile-warnings", Tile).styles.color
        std = ColorSystem.STANDARD
        shown = (errors.rich_color.downgrade(std).number, warnings.rich_color.downgrade(std).number)
        assert shown == (9, 11)  # bright red and bright yellow of the 16


async def test_escape_from_a_run_opened_from_a_log_row_goes_back_to_the_row(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = logs_screen(app)
        await pilot.press("j", "j")
        await settle(pilot)
        row = screen.table.cursor_key
        await pilot.press("enter")
        await settle(pilot)
        assert screen.root == "runs" and screen.level.kind == "steps"
        await pilot.press("escape")
        await settle(pilot)
        assert screen.root == "logs" and screen.level.kind == "logs"
        assert screen.table.cursor_key == row
        await pilot.press("v")  # Runs is where it was: its own list, nothing opened
        await settle(pilot)
        assert screen.level.kind == "runs" and len(screen.stack) == 1

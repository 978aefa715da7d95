"""At 80x24 the Logs screen shows what matters: the Last update tile's value, the breadcrumb's
current level (shortening the crumbs above it), and a search adds one crumb, not `› id › id ›`."""

from __future__ import annotations

from tui_helpers import logs_screen, make_app, settle

from tui.widgets.breadcrumb import Breadcrumb, fit
from tui.widgets.status_line import StatusLine
from tui.widgets.tiles import Tile


async def test_last_update_tile_shows_its_value_at_80_columns(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        tile = logs_screen(app).query_one("#tile-last", Tile)
        lines = [s.text for s in tile.render_lines(tile.region.reset_offset)]
        assert lines[0].strip().endswith("Last update"), lines
        assert "ago" in lines[1] or "now" in lines[1], lines


async def test_breadcrumb_keeps_the_current_level_at_80_columns(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = logs_screen(app)
        for key in ("v", "enter", "enter", "enter", "enter"):
            await pilot.press(key)
            await settle(pilot)
        crumb = screen.query_one(Breadcrumb)
        assert crumb.plain.endswith("› calls of 4710"), crumb.plain
        assert crumb.drawn.endswith("› calls of 4710"), crumb.drawn
        assert len(crumb.drawn) <= crumb.size.width
        assert crumb.drawn.startswith("1:Runs › 2:")


async def test_a_search_adds_one_crumb_per_level(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = logs_screen(app)
        await pilot.press("v", "slash", *"4712", "enter")
        await settle(pilot)
        for _ in range(3):
            await pilot.press("enter")
            await settle(pilot)
        plain = screen.query_one(Breadcrumb).plain
        assert screen.level.kind == "calls", plain
        assert "› 4712 ›" not in plain and plain.count("›") == len(screen.stack) - 1, plain


def test_fit_shortens_the_longest_upper_crumb_first() -> None:
    crumbs = ["Runs", "#1939 chargebee-to-connectwise", "agreements", "page 1", "calls of 77"]
    out = fit(crumbs, 54)
    assert out[-1] == "calls of 77" and out[0] == "Runs"
    assert out[1].endswith("…") and len(out[1]) < len(crumbs[1])
    drawn = " › ".join(f"{i + 1}:{c}" for i, c in enumerate(out[:-1])) + " › " + out[-1]
    assert len(drawn) <= 54, drawn


async def test_filter_line_shows_what_is_on_before_the_key_hints_at_80_columns(
    demo_db: str,
) -> None:
    """Failed-only, the account filter and a search are what the grid is showing: at 80
    columns they stay on the filter line and the key hints give way (they were cut instead,
    so 'Level All' sat above a grid of ERROR rows only)."""
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = logs_screen(app)
        line = screen.query_one("#filters", StatusLine)

        def drawn() -> str:
            return "".join(s.text for s in line.render_lines(line.region.reset_offset)[0])

        await pilot.press("f")
        await settle(pilot)
        assert "failed only" in drawn(), drawn()
        await pilot.press("f", "a", *"4710", "enter")
        await settle(pilot)
        assert "Account 4710" in drawn(), drawn()
        await pilot.press("v", "f", "slash", *"4710", "enter")
        await settle(pilot)
        assert "failed only" in drawn() and "/ 4710" in drawn(), drawn()

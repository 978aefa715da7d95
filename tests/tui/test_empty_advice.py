"""An empty grid's advice names the filters that are on and the keys that work on this view:
with an account filter the Log said 't widens the time range, l changes the level' (neither
brings rows back), and on Runs it offered `l`, which Runs does not have."""

from __future__ import annotations

from tui_helpers import logs_screen, make_app, settle


def pager(screen) -> str:  # noqa: ANN001 - LogsScreen
    return screen.query_one("#pager").plain


async def test_the_advice_fits_the_filters_and_the_view(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = logs_screen(app)
        await pilot.press("a", *"no-such-record", "enter")
        await settle(pilot)
        assert screen.table.row_count == 0
        assert "a changes the account" in pager(screen), pager(screen)
        await pilot.press("a", "ctrl+u", "enter", "f", "v", "slash", *"zzqq", "enter")
        await settle(pilot)
        assert screen.level.kind == "runs" and screen.table.row_count == 0
        said = pager(screen)
        assert "escape clears the search" in said and "f shows every run" in said, said
        assert "l changes" not in said, said  # Runs has no level filter

"""The Logs screen's footer at 80x24 keeps the keys that matter most on screen: `?` Help and
`q` Quit first, then Back, Search, Pause and Export; the rest stay in `?` help and the palette."""

from __future__ import annotations

import pytest
from textual.widgets import Footer
from tui_helpers import logs_screen, make_app, settle


def visible_footer_keys(app) -> list[str]:  # noqa: ANN001 - SyncdeckApp
    """Descriptions of the footer keys drawn wholly inside the terminal, left to right."""
    footer = app.screen.query_one(Footer)
    width = app.size.width
    keys = [k for k in footer.query("FooterKey") if k.region.width and k.region.right <= width]
    return [k.description for k in sorted(keys, key=lambda k: k.region.x)]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_help_and_quit_are_in_the_footer(demo_db: str, size: tuple[int, int]) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        logs_screen(app)
        shown = visible_footer_keys(app)
        assert shown[:2] == ["Help", "Quit"], shown
        for description in ("Back", "Search", "Pause", "Export", "Commands"):
            assert description in shown, shown
        await pilot.press("enter")  # a drill keeps them (the runs level has its own keys)
        await settle(pilot)
        assert visible_footer_keys(app)[:2] == ["Help", "Quit"]

"""The Logs screen's footer at 80x24 keeps the keys that matter most on screen: `?` Help and
`q` Quit first, then Back (where escape goes somewhere), Search, Pause, Export, Copy, the pages
(`n`/`b`) and `v`; the rest stay in `?` help and the palette. No key is drawn under another."""

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
        palette = "Commands" if size[0] >= 100 else "Cmds"  # its short form at 80 columns
        for description in ("Search", "Pause", "Export", "Copy", "Runs", palette):
            assert description in shown, shown
        assert "Page" in shown or "Next/prev page" in shown, shown
        assert "Back" not in shown  # escape does nothing on the Log list: not offered
        await pilot.press("enter")  # a drill keeps them (the runs level has its own keys)
        await settle(pilot)
        shown = visible_footer_keys(app)
        assert shown[:2] == ["Help", "Quit"]
        for description in ("Back", "Search", "Pause", "Export", "Copy", "Log", palette):
            assert description in shown, shown
        assert_no_overlap(app)


def assert_no_overlap(app) -> None:  # noqa: ANN001
    """Every footer key is drawn whole, none under another (the palette key is docked right)."""
    footer = app.screen.query_one(Footer)
    keys = [k for k in footer.query("FooterKey") if k.region.width]
    spans = sorted((k.region.x, k.region.right) for k in keys)
    for (_, right), (x, _) in zip(spans, spans[1:], strict=False):
        assert right <= x, spans
    assert spans[-1][1] <= app.size.width

"""Markup and terminal escapes from third-party systems are shown as plain text, never obeyed."""

from __future__ import annotations

from tui_helpers import logs_screen, make_app, settle

from core.text import BIDI
from tui.widgets.breadcrumb import Breadcrumb
from tui.widgets.detail_pane import DetailPane

MARKUP = "[bold red]x[/] [/"


def no_controls(text: str) -> bool:
    """No escape, BEL or 8-bit CSI, and no bidi control (U+202E reorders what is shown)."""
    return not any(ch in text for ch in ("\x1b", "\x07", "\x9b", *BIDI))


async def test_markup_and_escapes_in_every_view(evil_db: str) -> None:
    app = make_app(evil_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = logs_screen(app)
        seen: list[str] = []

        def check_view() -> None:
            plain = [c.plain for r in range(screen.table.row_count)
                     for c in screen.table.get_row_at(r)]  # fmt: skip
            detail = screen.query_one(DetailPane).plain
            seen.append(detail)
            assert all(no_controls(p) for p in plain) and no_controls(detail)
            svg = app.export_screenshot()
            assert no_controls(svg)

        # Log grid: the evil event is the newest row.
        summary = screen.table.get_row_at(0)[3].plain
        assert summary.startswith("Evil " + MARKUP) and "]52;" not in summary
        check_view()
        assert "Evil " + MARKUP in seen[-1] and "details " + MARKUP in seen[-1]
        # Runs > #1 (the oldest) > companies > page 1 > the evil entity > its API call.
        await pilot.press("v")
        await settle(pilot)
        screen.table.move_cursor(row=screen.table.row_count - 1)
        await settle(pilot)
        for _ in range(3):
            await pilot.press("enter")
            await settle(pilot)
            check_view()
        assert screen.level.kind == "entities"
        external = screen.table.get_row_at(0)[1].plain
        assert external.startswith("4711" + MARKUP)
        check_view()
        assert "Entity 4711" + MARKUP in seen[-1]
        await pilot.press("enter")
        await settle(pilot)
        assert screen.level.kind == "calls"
        assert MARKUP in screen.query_one(Breadcrumb).plain
        url = screen.table.get_row_at(0)[2].plain
        assert MARKUP in url and no_controls(url)
        check_view()
        assert "URL: https://erp.example.com/api/companies/4711[b" in seen[-1]
        # Search and copy with the hostile value do not crash either.
        await pilot.press("y")
        assert no_controls(app.clipboard) and MARKUP in app.clipboard
        await pilot.press("slash", *"[/", "enter")
        await settle(pilot)
        await pilot.press("escape", "1")
        await settle(pilot)
        await pilot.press("v", "slash", *"[bold red]", "enter")
        await settle(pilot)
        assert screen.level.search == "[bold red]"

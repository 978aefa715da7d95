"""A navigation key's first frame has its rows: no frame of the old rows under the new
breadcrumb or search line in between, and no footer rebuild ahead of the rows.

Before, a search (enter in the box) drew the screen three times: the box hidden over the old
rows, the footer rebuilt for the grid's keys, then the new rows; each frame a full layout and
repaint (80 ms each on a loaded machine) that the result waited behind. A drill drew the
breadcrumb over the old level's rows first. Now the screen is held (at most PAINT_HOLD) until
the new level's window is in the grid; a footer that changes follows in the next frame."""

from __future__ import annotations

import pytest
from tui_helpers import logs_screen, make_app, settle

Frame = tuple[str, tuple[str, ...], bool, str]


def record_frames(app) -> list[Frame]:  # noqa: ANN001
    """Per frame sent to the terminal: the breadcrumb, the grid's row keys, the search box
    shown, the pager line."""
    screen = logs_screen(app)
    frames: list[Frame] = []
    display = app._display

    def spy(target, renderable) -> None:  # noqa: ANN001
        if renderable is not None and not app._batch_count:
            box = screen.query_one("#search").display
            crumbs, pager = screen.query_one("#breadcrumb").plain, screen.query_one("#pager").plain
            frames.append((crumbs, tuple(screen.table.keys), box, pager))
        display(target, renderable)

    app._display = spy
    return frames


async def test_search_result_is_the_first_frame_after_enter(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = logs_screen(app)
        await pilot.press("v", "slash", *"4722")
        await settle(pilot)
        assert "touched it" not in screen.query_one("#pager").plain
        frames = record_frames(app)
        await pilot.press("enter")
        await settle(pilot)
        final = screen.query_one("#pager").plain
        assert "runs touched it" in final
        assert frames, "nothing was painted"
        assert frames[0][1:] == (tuple(screen.table.keys), False, final), frames[0]


@pytest.mark.parametrize("keys", [["enter"], ["enter", "escape"], ["enter", "1"]])
async def test_a_drill_or_back_paints_the_new_level_with_its_rows(demo_db: str, keys) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = logs_screen(app)
        await pilot.press("v")
        await settle(pilot)
        for key in keys[:-1]:
            await pilot.press(key)
            await settle(pilot)
        frames = record_frames(app)
        await pilot.press(keys[-1])
        await settle(pilot)
        final = frames[-1] if frames else None
        assert final is not None and final[0] == screen.query_one("#breadcrumb").plain
        assert frames[0] == final, f"first frame {frames[0]}, final {final}"


async def test_a_slow_level_still_shows_its_breadcrumb_within_the_hold(
    demo_db: str, monkeypatch
) -> None:
    """The hold has a limit: a slow query does not freeze the screen."""
    import asyncio

    from tui.screens import live_loader

    monkeypatch.setattr(live_loader, "PAINT_HOLD", 0.05)
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = logs_screen(app)
        await pilot.press("v")
        await settle(pilot)
        gate = asyncio.Event()
        from tui.views.registry import VIEWS

        view = VIEWS["steps"]
        original = view.fetch

        async def slow_fetch(q, **paging):  # noqa: ANN001, ANN003
            await gate.wait()
            return await original(q, **paging)

        monkeypatch.setattr(view, "fetch", slow_fetch)
        frames = record_frames(app)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert frames and "›" in frames[-1][0], frames  # the breadcrumb, without the rows
        assert not app._batch_count
        gate.set()
        await settle(pilot)
        assert screen.level.kind == "steps"


async def test_the_rows_are_not_kept_waiting_for_the_footer(demo_db: str, monkeypatch) -> None:
    """The search box closing changes the footer (the grid's keys again): its rebuild (new key
    widgets, a layout pass) waits until the result is in the grid instead of running while
    the result's query does, on the same thread, before the result can be drawn."""
    from tui.screens.live_loader import LiveLoader
    from tui.widgets.key_footer import KeyFooter

    order: list[str] = []
    recompose, show_window = KeyFooter.recompose, LiveLoader.show_window

    async def footer(self):  # noqa: ANN001, ANN202
        order.append("footer")
        return await recompose(self)

    def rows(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        order.append("rows")
        return show_window(self, *args, **kwargs)

    monkeypatch.setattr(KeyFooter, "recompose", footer)
    monkeypatch.setattr(LiveLoader, "show_window", rows)
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("v", "slash", *"4722")
        await settle(pilot)
        order.clear()
        await pilot.press("enter")
        await settle(pilot)
        assert "runs touched it" in logs_screen(app).query_one("#pager").plain
        assert order[:2] == ["rows", "footer"], order

"""Cells drawn before are not drawn again when the grid shows them again.

DataTable forgets every rendered cell when it changes, so going back a level, paging back or
a search showing the same rows rendered every visible cell through Rich again (about 0.2 ms a
cell, 250 cells at 120x40: most of the key's time). PagedTable keeps them by content, place and
state; what it shows must be exactly what a fresh render shows."""

from __future__ import annotations

from textual.widgets import DataTable
from tui_helpers import logs_screen, make_app, settle


def count_renders(monkeypatch) -> list[int]:  # noqa: ANN001
    calls = [0]
    render = DataTable._render_cell

    def counted(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        calls[0] += 1
        return render(self, *args, **kwargs)

    monkeypatch.setattr(DataTable, "_render_cell", counted)
    return calls


async def test_going_back_draws_no_cell_again_and_looks_the_same(demo_db, monkeypatch) -> None:
    calls = count_renders(monkeypatch)
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = logs_screen(app)
        await pilot.press("v", "j")
        await settle(pilot)
        runs = app.export_screenshot()
        assert calls[0] > 0
        await pilot.press("enter")
        await settle(pilot)
        assert screen.level.kind == "steps"
        steps = app.export_screenshot()
        calls[0] = 0
        await pilot.press("escape")
        await settle(pilot)
        assert screen.level.kind == "runs"
        assert calls[0] == 0, f"{calls[0]} cells rendered again going back"
        assert app.export_screenshot() == runs
        await pilot.press("enter")
        await settle(pilot)
        assert calls[0] == 0
        assert app.export_screenshot() == steps


async def test_a_moved_cursor_or_a_new_theme_is_drawn(demo_db, monkeypatch) -> None:
    calls = count_renders(monkeypatch)
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        first = app.export_screenshot()
        calls[0] = 0
        await pilot.press("j")  # two rows change look: the one left and the one under the cursor
        await settle(pilot)
        assert calls[0] > 0 and app.export_screenshot() != first
        await pilot.press("k")
        await settle(pilot)
        assert app.export_screenshot() == first
        calls[0] = 0
        app.theme = "textual-light" if app.theme != "textual-light" else "nord"
        await settle(pilot)
        assert calls[0] > 0, "a theme change reused cells drawn in the old colours"


async def test_a_rebuild_measures_no_cell_and_keeps_the_scroll_size(demo_db, monkeypatch) -> None:
    """Fixed-width columns, one-line rows: nothing to measure; the scrollable size is the
    columns' widths by the rows' heights, as DataTable computes it."""
    import textual.widgets._data_table as data_table

    from tui.views.registry import VIEWS

    labels = {str(c[1]) for view in VIEWS.values() for c in view.columns} | {" "}
    measured: list[str] = []
    measure = data_table.measure

    def counted(console, renderable, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        measured.append(getattr(renderable, "plain", str(renderable)))
        return measure(console, renderable, *args, **kwargs)

    monkeypatch.setattr(data_table, "measure", counted)
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = logs_screen(app)
        measured.clear()
        await pilot.press("v", "enter")
        await settle(pilot)
        table = screen.table
        cells = [m for m in measured if m not in labels]  # add_column measures its label
        assert cells == [], f"{len(cells)} cells measured"
        width = sum(c.get_render_width(table) for c in table.columns.values())
        rows = sum(r.height for r in table.rows.values())
        assert table.virtual_size == (width, rows + table.header_height)
        assert table.row_count > 0


async def test_a_search_round_trip_draws_no_cell_again(demo_db, monkeypatch) -> None:
    """The search box takes the focus and gives it back: the cells drawn for the focused grid
    are still good (a focus change restyles the grid, which used to drop them all)."""
    calls = count_renders(monkeypatch)
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("v", "slash", *"4722", "enter")
        await settle(pilot)
        searched = app.export_screenshot()
        await pilot.press("escape")
        await settle(pilot)
        calls[0] = 0
        await pilot.press("slash", *"4722", "enter")
        await settle(pilot)
        assert calls[0] == 0, f"{calls[0]} cells rendered again"
        assert app.export_screenshot() == searched

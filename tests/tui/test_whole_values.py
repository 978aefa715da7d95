"""QA at 120x40 and 80x24 (issue #11): Runs cut the C/U/S/F figures ('192/0/…/0'), Services
cut names mid-word ('chargebee-to-conn…'), the service form cut its Filters help. Figures are
never cut now (written out, then without separators, then abbreviated: '24k'), the failed
count exact; a column of lesser use (`extra`) gives way before a more important one is cut;
status lines drop whole hints, not half a word."""

from __future__ import annotations

import re

import pytest
from admin_tui_helpers import add_history, app_on, build_admin_store, isolated_config  # noqa: F401
from admin_tui_helpers import settle as admin_settle
from rich.text import Text
from tui_fixture import FIXED_NOW
from tui_helpers import SIZES, logs_screen, make_app, settle

from core.store import Batch, Counts, open_store
from tui.widgets.figures import Figures, compact, counts_cell
from tui.widgets.paged_table import Col, PagedTable, fit_cell, layout
from tui.widgets.status_line import StatusLine, fit_parts

LONG = "autotask-orders-to-shopify"  # 26 characters, as in the demo


def test_compact_figures() -> None:
    assert [compact(v) for v in (0, 999, 1000, 1187, 9_960, 23_914, 1_260_000)] == [
        "0", "999", "1k", "1.2k", "10k", "24k", "1.3M",
    ]  # fmt: skip


def test_counts_give_way_by_form_and_keep_the_failed_count() -> None:
    cell = counts_cell(2, 13, 23_914, failed=1_187)
    assert cell.plain == "2/13/23,914/1,187"
    assert [cell.shown(w).plain for w in (17, 16, 15, 13)] == [
        "2/13/23,914/1,187", "2/13/23914/1187", "2/13/23914/1187", "2/13/24k/1187",
    ]  # fmt: skip
    assert cell.narrowest == 13
    # narrower than any whole form: the first figures give way, whole, the failed count last
    assert [cell.shown(w).plain for w in (12, 9, 5)] == ["…/24k/1.2k", "…/1.2k", "1.2k"]
    assert cell.shown(13).spans[-1].style == "bold #ff5f5f"  # the failed count stays red
    assert cell.shown(9).spans[-1].style == "bold #ff5f5f"


def test_layout_drops_an_extra_before_it_cuts_a_more_important_column() -> None:
    cols = [
        Col("name", "Name", None, 0, min=10),
        Col("kind", "Kind", 8, 2, extra=True),
        Col("n", "N", 5, 1),
    ]
    long_names = {"name": (0, 24), "kind": (0, 8), "n": (4, 5)}
    # kind (8 + 2) would leave the name 21 of its 24: kind gives way, the name takes the rest
    shown = {k: w for _, k, _, w, _ in layout(cols, 40, 2, long_names)}
    assert shown == {"name": 31, "n": 5}
    short_names = {"name": (0, 9), "kind": (0, 8), "n": (4, 5)}
    shown = {k: w for _, k, _, w, _ in layout(cols, 40, 2, short_names)}
    assert set(shown) == {"name", "kind", "n"} and shown["name"] >= 10
    # a tight fit: the figures column at its abbreviated form (4), never narrower
    assert {k: w for _, k, _, w, _ in layout(cols, 24, 2, long_names)}["n"] == 4


def test_a_shortened_date_is_cut_between_tokens() -> None:
    stamp = Text("2026-03-02 08:20")
    assert [fit_cell(stamp, w, True).plain for w in (16, 13, 11, 5)] == [
        "2026-03-02 08:20", "03-02 08:20", "03-02 08:20", "08:20",
    ]  # fmt: skip


def test_a_status_line_drops_whole_hints() -> None:
    text = Text("4 need resync (A) · 7 services · enter runs · g run now · D delete · u undo")
    assert fit_parts(text, 50).plain == "4 need resync (A) · 7 services · enter runs"
    assert fit_parts(text, 200).plain == text.plain
    spaced = Text("Level All · Range 30d   failed only   l level  c connector")
    assert fit_parts(spaced, 40).plain == "Level All · Range 30d   failed only"
    assert fit_parts(Text("a-very-long-first-part"), 8).plain == "a-very-…"


async def _long_service_with_a_big_run(db: str) -> int:
    store = await open_store(db, create=False)
    try:
        src = await store.upsert_connector("autotask", base_url="https://a.example.com")
        dst = await store.upsert_connector("shopify", base_url="https://s.example.com")
        svc = await store.upsert_service(LONG, source_id=src, destination_id=dst)
        run = await store.start_run(
            svc, sync_type="full", trigger="schedule", started_at=FIXED_NOW - 60
        )
        big = Counts(pulled=25_116, pushed=15, created=2, updated=13, skipped=23_914, failed=1_187)
        await store.write_batch(Batch(run_id=run, run_counts=big))
        await store.update_run(run, status="partial", finished_at=FIXED_NOW - 30, errors=1_187)
        return run
    finally:
        await store.close()


def _whole(shown: str, *values: int) -> bool:
    """Every figure of `values` is in `shown` whole: exact, or abbreviated, never cut."""
    parts = shown.strip().split("/")
    if "…" in shown or len(parts) != len(values):
        return False
    return all(p in (f"{v:,}", str(v), compact(v)) for p, v in zip(parts, values, strict=True))


@pytest.mark.parametrize("size", SIZES)
async def test_runs_show_every_figure_whole(demo_db: str, size: tuple[int, int]) -> None:
    run = await _long_service_with_a_big_run(demo_db)
    app = make_app(demo_db)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        table = logs_screen(app).table
        assert "cusf" in table.shown_keys and "errors" in table.shown_keys
        for key in table.keys:
            for col in ("cusf", "pp", "errors"):
                if col not in table.shown_keys:
                    continue
                shown = table.get_cell(key, col).plain
                cell = table.value(key, col)
                assert isinstance(cell, Figures) and _whole(shown, *cell.values), (key, shown)
        failed = table.get_cell(str(run), "cusf").plain.rsplit("/", 1)[1]
        assert failed in ("1,187", "1187"), failed  # the failed count exact
        if size[0] == 120:  # room enough: the long name whole, a lesser column gives way
            assert table.get_cell(str(run), "service").plain.strip() == LONG


async def test_services_at_120_show_names_whole_and_hints_by_whole_parts(tmp_path) -> None:  # noqa: ANN001
    db = tmp_path / "admin.db"
    await build_admin_store(db)
    await add_history(db, FIXED_NOW)
    await _long_service_with_a_big_run(str(db))
    app = app_on(str(db), clock=lambda: FIXED_NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        await admin_settle(pilot)
        await pilot.press("S")
        await admin_settle(pilot)
        table = app.screen.query_one("#services-grid", PagedTable)
        names = [table.get_cell(k, "name").plain.strip() for k in table.keys]
        assert LONG in names, names
        assert not any("…" in n for n in names)
        counts = table.get_cell(LONG, "counts").plain
        assert _whole(counts, 25_116, 2, 13, 1_187), counts
        line = app.screen.query_one("#admin-status", StatusLine)
        assert line.visible and line.plain.startswith(line.visible)
        assert re.search(r"(^| · )[^·]*$", line.visible)  # ends at a part boundary
        rest = line.plain[len(line.visible) :]
        assert rest == "" or rest.startswith(" · "), rest  # what gave way: whole hints


@pytest.mark.parametrize("size", SIZES)
async def test_the_service_form_shows_the_filters_help_whole(tmp_path, size) -> None:  # noqa: ANN001
    db = tmp_path / "admin.db"
    await build_admin_store(db)
    app = app_on(str(db), clock=lambda: FIXED_NOW)
    async with app.run_test(size=size) as pilot:
        await admin_settle(pilot)
        await pilot.press("S")
        await admin_settle(pilot)
        await pilot.press("E")
        await admin_settle(pilot)
        label = next(
            lb for lb in app.screen.query(".form-label") if lb.render().plain.startswith("Filters")
        )
        text = label.render().plain
        assert text.endswith("total > 0") and "…" not in text, text
        lines = label.render_lines(label.region.reset_offset)
        drawn = " ".join("".join(s.text for s in line).strip() for line in lines)
        assert "total > 0" in drawn, drawn


async def test_a_figure_that_grows_on_a_refresh_is_laid_out_again_not_cut(demo_db: str) -> None:
    """The live refresh keeps the layout, except when a running run's counts outgrow their
    column: then the columns are laid out again, the cursor where it was."""
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("v", "j")
        await settle(pilot)
        screen = logs_screen(app)
        table = screen.table
        key = table.cursor_key
        before = table.columns["cusf"].width
        store = await open_store(demo_db, create=False)
        try:  # run #6 is still running: its counts grow a lot between two refreshes
            grow = Counts(created=123_456, updated=7_890, skipped=45_678, failed=1_234)
            await store.write_batch(Batch(run_id=6, run_counts=grow))
        finally:
            await store.close()
        await screen._refresh(False)
        await settle(pilot)
        shown = table.get_cell("6", "cusf").plain
        cell = table.value("6", "cusf")
        assert isinstance(cell, Figures) and _whole(shown, *cell.values), shown
        assert table.columns["cusf"].width > before and table.cursor_key == key

"""Connectors: milestones counted per connector next to 30d / errors / warnings, and in the
detail pane; `syncdeck stats` shows the same column."""

from __future__ import annotations

import asyncio
from pathlib import Path

from admin_tui_helpers import app_on, build_admin_store, isolated_config, settle  # noqa: F401

from core.cli import main
from core.store import LogRow, open_store
from core.timeutil import now
from tui.screens.connectors import ConnectorsScreen


async def with_milestones(db: Path) -> None:
    await build_admin_store(db)
    store = await open_store(db)
    try:
        crm = await store.connector_id("crm")
        t = now()
        for i, kind in enumerate(["milestone", "milestone", "event", "milestone"]):
            await store.add_log(LogRow(ts=t - 100 + i, level="INFO", kind=kind,
                                       title=f"m{i}", connector_id=crm))  # fmt: skip
    finally:
        await store.close()


async def test_milestones_column_and_detail(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    await with_milestones(db)
    app = app_on(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("C")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ConnectorsScreen)
        assert "milestones" in screen.table.shown_keys
        col = screen.table.shown_keys.index("milestones") + 1  # after the mark column
        assert screen.table.get_row("crm")[col].plain.strip() == "3"
        assert screen.table.get_row("erp")[col].plain.strip() == "0"
        screen.table.move_cursor(row=screen.table.keys.index("crm"))
        await settle(pilot)
        assert "4 logs · 0 errors · 0 warnings · 3 milestones" in screen.query_one("#detail").plain


def test_stats_milestones(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    db = tmp_path / "s.db"
    asyncio.run(with_milestones(db))
    assert main(["stats", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "Milestones 30d: 3" in out and "MILESTONES 30D" in out


async def test_detail_counts_in_the_right_number(tmp_path: Path) -> None:
    db = tmp_path / "one.db"
    await with_milestones(db)
    store = await open_store(db)
    try:
        crm = await store.connector_id("crm")
        await store.add_log(LogRow(ts=now() - 10, level="WARNING", kind="event",
                                   title="w", connector_id=crm))  # fmt: skip
    finally:
        await store.close()
    app = app_on(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("C")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ConnectorsScreen)
        screen.table.move_cursor(row=screen.table.keys.index("crm"))
        await settle(pilot)
        detail = screen.query_one("#detail").plain
        assert "5 logs · 0 errors · 1 warning · 3 milestones" in detail  # not "1 warnings"

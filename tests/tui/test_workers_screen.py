"""Workers view (W): one row per worker with host, state, runs in hand and heartbeat age; a
worker past its lease is marked STALE (read-only console) or shown lost once a writable start
expired it; `a` toggles stopped and lost ones; the key is in ? help and the palette; it fits
80x24."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from admin_tui_helpers import app_on, isolated_config, settle  # noqa: F401

from core.store import open_store
from tui.screens.help import HelpScreen
from tui.screens.workers import WorkersScreen
from tui.widgets.detail_pane import DetailPane


async def build_fleet(db: Path) -> None:
    async with await open_store(db) as st:
        c = await st.upsert_connector("crm")
        sid = await st.upsert_service("crm-to-erp", source_id=c, destination_id=c)
        live = await st.register_worker("worker-a.example", 101, 60)
        await st.register_worker("worker-b.example", 202, 0.2)
        gone = await st.register_worker("worker-c.example", 303, 60)
        await st.stop_worker(gone)
        await st.enqueue_run(sid, trigger="schedule")
        await st.claim_run(live)
    await asyncio.sleep(0.4)  # worker-b's lease runs out


def table_text(screen: WorkersScreen) -> str:
    table = screen.table
    return "\n".join(" ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count))


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_workers_view_marks_stale_and_shows_runs_in_hand(tmp_path, size) -> None:
    db = tmp_path / "fleet.db"
    await build_fleet(db)
    app = app_on(db, read_only=True)  # a jump host's console: it expires nothing
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("W")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, WorkersScreen)
        text = table_text(screen)
        assert "worker-a.example" in text and "worker-b.example" in text
        assert "worker-c.example" not in text
        assert "stale" in text and "running" in text
        status = screen.query_one("#admin-status").plain
        assert "1 STALE" in status and "1 runs in hand" in status
        detail = screen.query_one(DetailPane).plain
        assert "Runs in hand: 1" in detail and "crm-to-erp" in detail
        await pilot.press("a")
        await settle(pilot)
        assert "worker-c.example" in table_text(screen) and "stopped" in table_text(screen)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)


async def test_a_writable_console_expires_the_stale_worker(tmp_path) -> None:
    db = tmp_path / "fleet.db"
    await build_fleet(db)
    app = app_on(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("W")
        await settle(pilot)
        screen = app.screen
        assert "worker-b.example" not in table_text(screen)
        await pilot.press("a")
        await settle(pilot)
        assert "lost" in table_text(screen)
        commands = [c.title for c in app.get_system_commands(screen)]
        assert "Workers" in commands

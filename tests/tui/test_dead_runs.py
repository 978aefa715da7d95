"""On start the console marks runs whose process died as interrupted (through the facade)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tui_fixture import build_store
from tui_helpers import logs_screen, make_app, settle

from tui.widgets.detail_pane import DetailPane

ROOT = Path(__file__).resolve().parents[2]
START_RUN = """
import asyncio, sys
from core.store import open_store
async def main():
    store = await open_store(sys.argv[1], create=False)
    run = await store.start_run(1, sync_type="update", trigger="schedule")
    print(run)
    await store.close()
asyncio.run(main())
"""


async def test_run_of_a_dead_process_shows_interrupted(tmp_path: Path) -> None:
    db = str(tmp_path / "dead.db")
    await build_store(db)
    done = subprocess.run(
        [sys.executable, "-c", START_RUN, db], cwd=ROOT, capture_output=True, text=True, check=True
    )
    dead_run = done.stdout.strip()  # started by a process that has exited since
    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = logs_screen(app)
        await pilot.press("v")
        await settle(pilot)
        assert screen.table.get_row(dead_run)[1].plain == "↯ interrupted"
        alive = screen.table.get_row("6")[1].plain  # the fixture's run: this process is alive
        assert alive == "▶ running"


async def test_read_only_shows_a_dead_run_as_stale(tmp_path: Path) -> None:
    """--read-only never marks runs interrupted: the dead run reads stale, the store unchanged."""
    db = str(tmp_path / "dead.db")
    await build_store(db)
    done = subprocess.run(
        [sys.executable, "-c", START_RUN, db], cwd=ROOT, capture_output=True, text=True, check=True
    )
    dead_run = done.stdout.strip()
    app = make_app(db, read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = logs_screen(app)
        await pilot.press("v")
        await settle(pilot)
        assert screen.table.get_row(dead_run)[1].plain == "⚠ stale"
        assert screen.table.get_row("6")[1].plain == "▶ running"
        screen.table.move_cursor(row=screen.table.get_row_index(dead_run))
        await settle(pilot)
        detail = screen.query_one(DetailPane).plain
        assert "stale / probably dead" in detail and "without --read-only" in detail
    from core.store import open_store

    store = await open_store(db, create=False)
    try:
        assert (await store.get_run(int(dead_run))).status.value == "running"
    finally:
        await store.close()

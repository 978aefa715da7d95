"""On PostgreSQL a commit by another process wakes the console at once (LISTEN/NOTIFY), long
before its refresh timer; on SQLite the timer alone refreshes (nothing is announced)."""

from __future__ import annotations

import asyncio

from tui_fixture import FIXED_NOW, add_log, build_store
from tui_helpers import logs_screen, make_app, settle


async def _shown_after_commit(location: str, wait: float) -> bool:
    app = make_app(location, interval=60.0)  # the timer alone would not refresh in this test
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = logs_screen(app)
        await asyncio.sleep(1.2)  # past the wake gap: the console is waiting for a change
        await add_log(location, FIXED_NOW - 5, "Committed by another process")
        for _ in range(int(wait * 10)):
            await pilot.pause(0.1)
            if screen.table.get_row_at(0)[3].plain.startswith("Committed by another"):
                return True
        return False


async def test_a_commit_elsewhere_wakes_the_console_on_postgres(pg_location: str) -> None:
    await build_store(pg_location)
    assert await _shown_after_commit(pg_location, wait=5.0)


async def test_sqlite_waits_for_its_timer(tmp_path) -> None:
    db = str(tmp_path / "timer.db")
    await build_store(db)
    assert not await _shown_after_commit(db, wait=2.0)

"""Retry failed (R) and cancel run (X) in the log viewer, the console twins of `syncdeck retry`
and `syncdeck cancel`: on the run under the cursor, confirmed first, refusals as messages."""

from __future__ import annotations

from typing import Any

import pytest
from tui_helpers import logs_screen, make_app, settle

from core.console_api import ConsoleAPI
from core.store import open_store
from tui.screens.confirm import Confirm
from tui.screens.help import HelpScreen


def notes(app: Any) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def cancel_requested(db: str, run_id: int) -> bool:
    store = await open_store(db)
    try:
        return await store.cancel_requested(run_id)
    finally:
        await store.close()


async def test_cancel_the_running_run(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = logs_screen(app)
        await pilot.press("v")
        await settle(pilot)
        assert screen.table.cursor_key == "6"  # the fixture's running run, newest first
        await pilot.press("X")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await settle(pilot)
        assert await cancel_requested(demo_db, 6)
        assert any("Cancel requested for run #6" in n for n in notes(app))


async def test_cancel_refused_for_a_finished_run(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        await pilot.press("j", "X")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert not await cancel_requested(demo_db, 5)
        assert any("Run 5 is not running (it is partial)" in n for n in notes(app))


async def test_retry_failed_of_the_selected_run(
    demo_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[int] = []

    class Result:
        status = "success"

        def summary(self) -> str:
            return "run 7 success: 2 created, 0 failed."

    async def retry_run(self: ConsoleAPI, run_id: int, **options: Any) -> Result:
        asked.append(run_id)
        return Result()

    monkeypatch.setattr(ConsoleAPI, "retry_run", retry_run)
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        await pilot.press("j", "j", "R")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await settle(pilot)
        assert asked == [4]
        assert any("Retry of run #4: run 7 success" in n for n in notes(app))


async def test_retry_refused_for_a_running_run_and_in_read_only(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        await pilot.press("R", "y")
        await settle(pilot)
        assert any("Run 6 is still running" in n for n in notes(app))
    app = make_app(demo_db, read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        await pilot.press("X")
        await settle(pilot)
        assert not isinstance(app.screen, Confirm)
        assert any("Read-only mode: cancelling a run is refused" in n for n in notes(app))


async def test_help_and_palette_list_both(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = logs_screen(app)
        titles = [c.title for c in app.get_system_commands(screen)]
        assert "Retry failed" in titles and "Cancel run" in titles
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        keys = dict(app.screen.keys)
        assert keys["R"] == "Retry failed  (logs.retry)"
        assert keys["X"] == "Cancel run  (logs.cancel)"

"""Helpers of the console tests (imported by the test modules)."""

from __future__ import annotations

from tui_fixture import FIXED_NOW

from tui.app import SyncdeckApp
from tui.screens.logs import LogsScreen

SIZES = [(120, 40), (80, 24)]


def make_app(db: str, **kwargs: object) -> SyncdeckApp:
    return SyncdeckApp(db, clock=lambda: FIXED_NOW, **kwargs)


async def settle(pilot) -> None:  # noqa: ANN001 - Pilot
    """Let every load/refresh worker finish and the screen repaint."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def logs_screen(app: SyncdeckApp) -> LogsScreen:
    screen = app.screen
    assert isinstance(screen, LogsScreen), f"expected the Logs screen, got {screen!r}"
    return screen

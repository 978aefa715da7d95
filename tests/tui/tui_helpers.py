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


def burst(app: SyncdeckApp, keys: list[str]) -> None:
    """Queue every key at once, as a terminal delivers a burst (Pilot.press waits between keys).
    A key is a name ("enter", "ctrl+u") or one character ("/", "a")."""
    from textual import events

    names = {"/": "slash", ".": "full_stop", "-": "minus", "?": "question_mark",
             " ": "space", "*": "asterisk", ":": "colon", ">": "greater_than_sign"}  # fmt: skip
    for key in keys:
        if len(key) == 1:
            event = events.Key(names.get(key, key), key)
        else:
            event = events.Key(key, None)
        event.set_sender(app)
        app._driver.send_message(event)

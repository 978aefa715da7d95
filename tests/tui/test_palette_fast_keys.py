"""ctrl+p, a search and enter typed in one burst (a paste, a fast typist, a laggy SSH link) run
the command that search finds, not whichever command was highlighted before the search's
results arrived ('pause' + enter showed 'Log list: v switches to it.')."""

from __future__ import annotations

from textual import events
from tui_helpers import logs_screen, make_app, settle


async def test_search_and_enter_in_one_burst_run_the_found_command(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = logs_screen(app)
        assert not screen.paused
        await pilot.press("ctrl+p")
        await settle(pilot)
        for key, char in [*((c, c) for c in "pause"), ("enter", "\r")]:
            app.post_message(events.Key(key, char))  # one burst: no wait between the keys
        await settle(pilot)
        await pilot.pause(0.5)
        assert app.screen is screen
        assert screen.paused

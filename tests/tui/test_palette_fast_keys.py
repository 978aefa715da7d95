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


async def test_bursts_of_palette_commands_run_each_and_keep_the_view(demo_db: str) -> None:
    """'ctrl+p pause enter' typed three times in one burst: the keys after the first enter
    reached that palette while it was still choosing (enter selects through two more messages),
    its second enter dismissed it twice, which popped the Log view too: the console sat on
    Textual's empty default screen, deaf to the view's keys (QA's 'freeze'). Now each enter's
    command runs before the next keys, the palette closes once, and the view stays."""
    from tui_helpers import burst

    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = logs_screen(app)
        assert not screen.paused
        burst(app, ["ctrl+p", *"pause", "enter"] * 3)
        await settle(pilot)
        await pilot.pause(0.5)
        await settle(pilot)
        assert app.screen is screen, app.screen_stack
        assert screen.paused  # three toggles
        burst(app, ["ctrl+p", *"pause", "enter"] * 2)
        await settle(pilot)
        await pilot.pause(0.5)
        await settle(pilot)
        assert app.screen is screen and screen.paused and app.keys.held is None
        burst(app, ["ctrl+p", *"pa", "escape", "ctrl+p", *"pause", "enter", "v"])
        await settle(pilot)
        await pilot.pause(0.5)
        await settle(pilot)
        assert app.screen is screen and not screen.paused and screen.level.kind == "runs"
        assert getattr(app, "_exception", None) is None


async def test_a_modal_dismissed_twice_closes_once(demo_db: str) -> None:
    """The class of the palette's defect: every modal (question, prompt, form, help, palette)
    answers once and pops only itself, however many times it is dismissed before it is gone."""
    from tui.screens.confirm import Confirm
    from tui.screens.help import HelpScreen
    from tui.screens.text_prompt import TextPrompt

    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = logs_screen(app)
        for modal in (Confirm("Delete x", "Really?"), TextPrompt("Account", "an id"),
                      HelpScreen("Log", [("q", "Quit")])):  # fmt: skip
            answers: list[object] = []
            app.push_screen(modal, answers.append)
            await settle(pilot)
            modal.dismiss(True)
            modal.dismiss(False)  # a second enter, or a save finishing after escape
            await settle(pilot)
            assert app.screen is screen, app.screen_stack
            assert answers == [True], (type(modal).__name__, answers)

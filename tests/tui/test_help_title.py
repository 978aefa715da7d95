"""`?` names the view or screen its keys belong to in the user's words ("Keys: Runs",
"Keys: Connectors"), never a Python class name ("Keys: LogsScreen")."""

from __future__ import annotations

from tui_helpers import make_app, settle

from tui.screens.help import HelpScreen


def help_heading(app) -> str:  # noqa: ANN001 - SyncdeckApp
    assert isinstance(app.screen, HelpScreen)
    return str(app.screen.query_one("#help-text").render()).split("\n")[0]


async def test_help_names_the_view_not_the_class(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for keys, heading in (
            ([], "Keys: Log"),
            (["v"], "Keys: Runs"),
            (["enter"], "Keys: Steps"),
            (["C"], "Keys: Connectors"),
            (["S"], "Keys: Services"),
        ):
            await pilot.press(*keys)
            await settle(pilot)
            await pilot.press("question_mark")
            await settle(pilot)
            assert help_heading(app) == heading
            await pilot.press("escape")
            await settle(pilot)

"""A key works on the view you are on or is not offered there (footer, `?` help, palette):
the level and kind filters on the Log list only, no connector filter in a scoped viewer."""

from __future__ import annotations

from tui_helpers import logs_screen, make_app, settle

from tui.screens.logs import LogsScreen


def offered(app) -> set[str]:  # noqa: ANN001 - SyncdeckApp
    """The actions the footer and `?` help offer on the current screen."""
    return {b.binding.action for b in app.screen.active_bindings.values()}


def palette(app) -> set[str]:  # noqa: ANN001
    return {c.title for c in app.get_system_commands(app.screen)}


async def test_level_and_kind_keys_are_not_offered_on_runs_and_leak_nothing(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = logs_screen(app)
        assert {"cycle_level", "cycle_kind", "cycle_connector"} <= offered(app)
        await pilot.press("v")  # Runs
        await settle(pilot)
        assert "cycle_level" not in offered(app) and "cycle_kind" not in offered(app)
        assert "Level" not in palette(app) and "Kind" not in palette(app)
        await pilot.press("l", "m")
        await settle(pilot)
        assert screen.filters.level is None and screen.filters.kind is None  # Log view untouched
        keys_line = screen.query_one("#filters").render()
        assert "l level" not in str(keys_line) and "t range" in str(keys_line)
        await pilot.press("enter")  # a run's steps: no filter key at all
        await settle(pilot)
        assert not {"cycle_level", "cycle_kind", "cycle_connector", "cycle_range"} & offered(app)
        helped = dict(app.keys_of_screen())
        assert "l" not in helped and "t" not in helped


async def test_scoped_viewer_does_not_offer_the_connector_filter(demo_db: str) -> None:
    app = make_app(demo_db, connector="hubspot")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LogsScreen)
        assert "cycle_connector" not in offered(app)
        assert "Connector" not in palette(app)
        assert "c connector" not in str(screen.query_one("#filters").render())
        assert "cycle_level" in offered(app)

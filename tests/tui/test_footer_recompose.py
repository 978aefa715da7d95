"""The footer is rebuilt only when the keys it shows change.

Textual's Footer recomposes (removes every key widget, mounts new ones, lays the screen out
again) on every `refresh_bindings()` and focus change: every drill, back and page key paid for
it (about 20 ms of widgets and a full layout pass, before the grid could be painted), even when
the footer said the same thing before and after."""

from __future__ import annotations

from textual.widgets import Footer
from tui_helpers import logs_screen, make_app, settle


def footer_keys(app) -> list[object]:  # noqa: ANN001 - SyncdeckApp
    return list(app.screen.query_one(Footer).query("FooterKey"))


def descriptions(app) -> list[str]:  # noqa: ANN001
    return [k.description for k in footer_keys(app)]


async def test_same_keys_keep_the_same_footer(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = logs_screen(app)
        await pilot.press("v", "enter")  # Runs > #6 invoices (steps)
        await settle(pilot)
        assert screen.level.kind == "steps"
        before = footer_keys(app)
        await pilot.press("enter")  # > invoice_lines (pages): the same keys are offered
        await settle(pilot)
        assert screen.level.kind == "instances"
        assert [k.description for k in before] == descriptions(app)
        assert footer_keys(app) == before, "the footer was rebuilt although its keys are the same"
        await pilot.press("n")  # a page key (last page here): nothing to rebuild either
        await settle(pilot)
        assert footer_keys(app) == before


async def test_changed_keys_still_reach_the_footer(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "Back" not in descriptions(app) and "Runs" in descriptions(app)
        await pilot.press("v")  # `v` now says where it goes: Log
        await settle(pilot)
        assert "Log" in descriptions(app) and "Runs" not in descriptions(app)
        await pilot.press("enter")  # escape goes somewhere now
        await settle(pilot)
        assert "Back" in descriptions(app)
        await pilot.press("1")
        await settle(pilot)
        assert "Back" not in descriptions(app)
        await pilot.press("slash")  # the search box has the focus: its keys, not the grid's
        await settle(pilot)
        in_box = descriptions(app)
        await pilot.press("escape")
        await settle(pilot)
        assert descriptions(app) != in_box
        await pilot.resize_terminal(80, 24)  # a width change lays the footer out again
        await settle(pilot)
        assert "Cmds" in descriptions(app)


async def test_new_footer_keys_are_styled_once(demo_db: str, monkeypatch) -> None:
    """A key widget is mounted with its final classes: no second stylesheet pass per key."""
    from textual.app import App
    from textual.widgets._footer import FooterKey

    restyled: list[object] = []
    update_styles = App.update_styles

    def spy(self, node=None, animate: bool = True) -> None:  # noqa: ANN001
        if isinstance(node, FooterKey):
            restyled.append(node)
        update_styles(self, node, animate=animate)

    monkeypatch.setattr(App, "update_styles", spy)
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        restyled.clear()
        await pilot.press("v")  # `v` says "Log" now: the footer is rebuilt
        await settle(pilot)
        assert "Log" in descriptions(app)
        assert all(k.has_class("-compact") for k in footer_keys(app))
        assert restyled == [], f"{len(restyled)} footer keys restyled after mounting"

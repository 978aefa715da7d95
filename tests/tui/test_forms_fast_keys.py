"""Every form and prompt takes keys typed with no pause after the key that opens it (a paste,
a fast typist, a laggy SSH link delivering a burst): nothing lost, nothing reordered, nothing
sent to the screen underneath."""

from __future__ import annotations

from pathlib import Path

from admin_tui_helpers import app_on, build_admin_store, isolated_config, notes, settle  # noqa: F401
from tui_helpers import burst

from tui.screens.confirm import Confirm
from tui.screens.connectors import ConnectorsScreen
from tui.screens.form_base import FormModal
from tui.screens.services import ServicesScreen


async def test_service_schedule_typed_in_one_burst_is_saved_as_typed(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    await build_admin_store(db)
    for attempt in range(3):  # the defect lost it 3 times out of 3
        app = app_on(db)
        schedule = f"{15 + attempt} * * * *"
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("S")
            await settle(pilot)
            burst(app, ["E", "ctrl+u", *schedule, "enter"])
            await settle(pilot)
            assert isinstance(app.screen, ServicesScreen), app.screen
            assert (await app.api.services())[0].schedule == schedule, notes(app)
            assert "Saved service customers" in notes(app)


async def test_connector_form_typed_in_one_burst(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    await build_admin_store(db)
    app = app_on(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("C")
        await settle(pilot)
        keys = ["a", *"billing", "tab", "tab", *"https://billing.example.com", "tab",
                "ctrl+u", *"bearer", "tab", *"env:BILLING_TOKEN", "ctrl+f"]  # fmt: skip
        # ctrl+f saves without the connection test (no such host here; enter would test first)
        burst(app, keys)  # `bearer` adds the token field while the keys keep coming
        await settle(pilot)
        assert isinstance(app.screen, ConnectorsScreen), (app.screen.values, app.screen.errors)
        names = [c.name for c in await app.api.connectors()]
        assert "billing" in names, notes(app)
        data = await app.api.connector_config("billing")
        assert data["base_url"] == "https://billing.example.com"
        assert data["auth"] == {"type": "bearer", "token": "env:BILLING_TOKEN"}


async def test_a_slow_relayout_keeps_the_keys_typed_meanwhile(tmp_path: Path, monkeypatch) -> None:
    """On a loaded machine rebuilding the form (`bearer` adds the token field) took longer than
    the key router's safety limit for holds, which then let the next keys go to inputs being
    removed: the token was lost. A relayout's hold has no time limit (it always releases)."""
    import asyncio

    from textual.containers import VerticalScroll

    import tui.key_router

    removing = VerticalScroll.remove_children

    async def slow_remove(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        await asyncio.sleep(0.8)  # a rebuild slower than the limit below
        return await removing(self, *args, **kwargs)

    monkeypatch.setattr(VerticalScroll, "remove_children", slow_remove)
    monkeypatch.setattr(tui.key_router, "HOLD_LIMIT", 0.4)
    await test_connector_form_typed_in_one_burst(tmp_path)


async def test_confirm_answered_in_the_same_burst(tmp_path: Path) -> None:
    """D then y at once: the question must get the y, not the grid under it."""
    db = tmp_path / "d.db"
    await build_admin_store(db)
    app = app_on(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("C")
        await settle(pilot)
        burst(app, ["D", "y"])
        await settle(pilot)
        assert not isinstance(app.screen, Confirm | FormModal)
        assert (await app.api.connectors())[0].status.value == "disconnected", notes(app)


async def test_admin_search_typed_in_one_burst(tmp_path: Path) -> None:
    db = tmp_path / "q.db"
    await build_admin_store(db)
    app = app_on(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("C")
        await settle(pilot)
        burst(app, ["/", *"erp", "enter"])
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ConnectorsScreen)
        assert screen.search == "erp"
        assert [c.name for c in screen.shown()] == ["erp"]


async def test_screen_switch_form_and_typing_in_one_burst(tmp_path: Path) -> None:
    """S, a service, E, ctrl+u, the schedule, enter, all at once from the Log screen: the keys
    after S wait for the Services rows (their first load), then reach the form in order."""
    db = tmp_path / "b.db"
    await build_admin_store(db)
    app = app_on(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        burst(app, ["S", "j", "E", "ctrl+u", *"15 * * * *", "enter"])
        await settle(pilot)
        assert isinstance(app.screen, ServicesScreen), app.screen
        assert (await app.api.services())[0].schedule == "15 * * * *", notes(app)

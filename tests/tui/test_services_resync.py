"""Services: the Sync column (needs resync after a partial run), space selects, R resyncs the
selection, A resyncs every service that needs it, on loopback APIs."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from admin_tui_helpers import app_on, build_admin_store, isolated_config, notes, settle  # noqa: F401

from core.sandbox import CrmState, ErpState, Served, crm_app, erp_app, make_customers
from core.store import open_store
from tui.screens.confirm import Confirm
from tui.screens.help import HelpScreen
from tui.screens.services import ServicesScreen


@pytest.fixture
def loopback():
    erp = ErpState()
    with Served(crm_app(CrmState(make_customers(6, messy=False)))) as c, Served(erp_app(erp)) as e:
        yield c.url, e.url, erp


async def partial_run_two_hours_ago(db: Path) -> None:
    store = await open_store(db)
    try:
        sid = await store.service_id("customers")
        at = time.time() - 7200
        run = await store.start_run(sid, sync_type="full", trigger="manual", started_at=at)
        await store.update_run(run, status="partial", finished_at=at + 10, pulled=6, failed=2)
    finally:
        await store.close()


def sync_text(screen: ServicesScreen) -> str:
    return " ".join(c.plain for c in screen.table.get_row("customers"))


async def wait_resync(pilot, screen: ServicesScreen) -> None:  # noqa: ANN001
    for _ in range(100):
        await settle(pilot, 1)
        if not screen.running:
            break
    await settle(pilot)


@pytest.mark.parametrize("key", ["A", "R"])
async def test_needs_resync_then_resync(
    tmp_path: Path, loopback: tuple[str, str, ErpState], monkeypatch: pytest.MonkeyPatch, key: str
) -> None:
    import core.actions
    import core.engine.recorder

    monkeypatch.setattr(core.engine.recorder, "now", time.time)
    monkeypatch.setattr(core.actions, "now", time.time)
    crm, erp_url, erp = loopback
    db = tmp_path / "r.db"
    await build_admin_store(db, crm=crm, erp=erp_url)
    await partial_run_two_hours_ago(db)
    app = app_on(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("S")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ServicesScreen)
        assert "needs resync" in sync_text(screen)
        assert "1 need resync (A)" in screen.query_one("#admin-status").plain
        if key == "R":
            await pilot.press("space")
            await settle(pilot)
            assert "✓ customers" in sync_text(screen)
            assert "1 selected (R resyncs)" in screen.query_one("#admin-status").plain
        await pilot.press(key)
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        assert "customers" in app.screen.message
        await pilot.press("y")
        await wait_resync(pilot, screen)
        assert erp.creates == 6
        assert "Resync: Run 2 of customers: success" in notes(app)
        assert "synced" in sync_text(screen) and "✓" not in sync_text(screen)
        await pilot.press("A")
        await settle(pilot)
        assert not isinstance(app.screen, Confirm)
        assert "No service needs a resync." in notes(app)


async def test_resync_keys_in_help_and_refused_read_only(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    await build_admin_store(db)
    await partial_run_two_hours_ago(db)
    app = app_on(db, read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("S")
        await settle(pilot)
        screen = app.screen
        titles = [c.title for c in app.get_system_commands(screen)]
        assert "Resync selected" in titles and "Resync all needing it" in titles
        await pilot.press("A")
        await settle(pilot)
        assert not isinstance(app.screen, Confirm)
        assert "Read-only mode: resyncing services is refused" in notes(app)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        keys = dict(app.screen.keys)
        assert keys["R"] == "Resync selected  (services.resync)"
        assert keys["A"] == "Resync all needing it  (services.resync_all)"
        assert keys["space"] == "Select  (services.select)"

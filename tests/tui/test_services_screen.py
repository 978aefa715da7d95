"""Services screen: run now on loopback APIs and see the run in the log viewer, the cooldown
message of the seeds with force asking first, enable / disable, edit with a bad cron."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from admin_tui_helpers import app_on, build_admin_store, isolated_config, notes, settle  # noqa: F401

from core.sandbox import CrmState, ErpState, Served, crm_app, erp_app, make_customers
from tui.screens.confirm import Confirm
from tui.screens.mappings import MappingsScreen
from tui.screens.scoped_logs import ScopedLogsScreen
from tui.screens.service_form import ServiceForm
from tui.screens.services import ServicesScreen
from tui.widgets.form_field import FormField

COOLDOWN = "A synchronization was recently completed. Minimum interval between syncs is 60 minutes."


@pytest.fixture
def loopback():
    erp = ErpState()
    with Served(crm_app(CrmState(make_customers(12, messy=False)))) as c, Served(erp_app(erp)) as e:
        yield c.url, e.url, erp


async def open_services(pilot) -> ServicesScreen:  # noqa: ANN001
    await settle(pilot)
    await pilot.press("S")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ServicesScreen)
    return pilot.app.screen


async def wait_run(pilot, screen: ServicesScreen) -> None:  # noqa: ANN001
    for _ in range(100):
        await settle(pilot, 1)
        if not screen.running:
            break
    await settle(pilot)


async def test_run_now_then_its_run_in_the_log_viewer_then_the_cooldown(
    tmp_path: Path, loopback: tuple[str, str, ErpState], monkeypatch: pytest.MonkeyPatch
) -> None:
    # the run's finish and the cooldown check read one clock, whichever module imported first
    import core.actions
    import core.engine.recorder

    monkeypatch.setattr(core.engine.recorder, "now", time.time)
    monkeypatch.setattr(core.actions, "now", time.time)
    crm, erp_url, erp = loopback
    db = tmp_path / "s.db"
    await build_admin_store(db, crm=crm, erp=erp_url)
    app = app_on(db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_services(pilot)
        await pilot.press("g")
        await wait_run(pilot, screen)
        assert erp.creates == 12
        runs = await app.api.runs(service="customers")
        assert runs.total == 1 and runs.items[0].status.value == "success"
        assert "Run 1 of customers: success" in notes(app)
        await pilot.press("enter")
        await settle(pilot)
        logs = app.screen
        assert isinstance(logs, ScopedLogsScreen) and logs.scope.service == "customers"
        assert logs.root == "runs" and str(runs.items[0].id) in logs.table.keys
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        # again at once: refused by the cooldown with the seeds' words; force asks first
        await pilot.press("g")
        await wait_run(pilot, screen)
        assert isinstance(app.screen, Confirm)
        assert COOLDOWN in str(app.screen.query_one("#confirm-message").render())
        assert COOLDOWN not in notes(app)  # one message: the question, not a toast as well
        await pilot.press("n")
        await settle(pilot)
        assert (await app.api.runs(service="customers")).total == 1
        await pilot.press("G")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await wait_run(pilot, screen)
        assert (await app.api.runs(service="customers")).total == 2


async def test_enable_disable_and_mappings_key(tmp_path: Path) -> None:
    db = tmp_path / "e.db"
    await build_admin_store(db)
    app = app_on(db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_services(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert not (await app.api.services())[0].enabled
        assert any("manual" in c.plain for c in screen.table.get_row_at(0))
        await pilot.press("x")
        await settle(pilot)
        assert (await app.api.services())[0].enabled
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, MappingsScreen)
        assert app.screen.service == "customers"


async def test_edit_schedule_refuses_a_bad_cron_inline(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    await build_admin_store(db)
    app = app_on(db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_services(pilot)
        await pilot.press("E")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ServiceForm)
        sched = next(f for f in form.query(FormField) if f.key == "schedule")
        sched.input.value = "every monday"
        await settle(pilot)
        assert "cron" in str(sched.query_one(".form-error").render())
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is form
        assert (await app.api.services())[0].schedule == "*/15 * * * *"
        sched.input.value = "0 2 * * *"
        await settle(pilot)
        assert "Next run" in str(form.query_one("#next-run").render())
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert (await app.api.services())[0].schedule == "0 2 * * *"
        assert 'schedule = "0 2 * * *"' in await app.api.export_config()


async def test_run_now_with_a_live_worker_queues_the_run_for_it(
    tmp_path: Path, loopback: tuple[str, str, ErpState]
) -> None:
    """In a fleet the console's host does not run syncs: `g` queues the run and a worker (any
    host) claims it; nothing reaches the APIs from the console."""
    import os

    from core.store import open_store

    crm, erp_url, erp = loopback
    db = tmp_path / "fleet.db"
    await build_admin_store(db, crm=crm, erp=erp_url)
    async with await open_store(db) as store:
        await store.register_worker("worker-1.example", os.getpid(), 60.0)
    app = app_on(db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_services(pilot)
        await pilot.press("g")
        await wait_run(pilot, screen)
        runs = await app.api.runs(service="customers")
        assert runs.total == 1 and runs.items[0].status.value == "queued"
        assert f"Run {runs.items[0].id} of customers queued" in notes(app)
        assert erp.creates == 0

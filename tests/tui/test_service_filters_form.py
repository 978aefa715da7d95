"""Service filters in the console: shown in the Services detail pane, edited in the service
form (a bad filter is refused inline with the accepted forms), then applied by a run now:
the filtered records are skipped with the filter as the reason."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from admin_tui_helpers import app_on, build_admin_store, isolated_config, notes, settle  # noqa: F401

from core.sandbox import CrmState, ErpState, Served, crm_app, erp_app, make_customers
from tui.screens.service_form import ServiceForm
from tui.screens.services import ServicesScreen
from tui.widgets.form_field import FormField


@pytest.fixture
def loopback():
    erp = ErpState()
    with Served(crm_app(CrmState(make_customers(6, messy=False)))) as c, Served(erp_app(erp)) as e:
        yield c.url, e.url, erp


async def test_edit_filters_then_run(
    tmp_path: Path, loopback: tuple[str, str, ErpState], monkeypatch: pytest.MonkeyPatch
) -> None:
    import core.actions
    import core.engine.recorder

    monkeypatch.setattr(core.engine.recorder, "now", time.time)
    monkeypatch.setattr(core.actions, "now", time.time)
    crm, erp_url, erp = loopback
    db = tmp_path / "f.db"
    await build_admin_store(db, crm=crm, erp=erp_url)
    app = app_on(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("S")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ServicesScreen)
        await pilot.press("E")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ServiceForm)
        field = next(f for f in form.query(FormField) if f.key == "filters")
        field.input.focus()
        await pilot.press(*"plan is gold")
        await settle(pilot)
        assert "is not a filter" in str(field.query_one(".form-error").render())
        await pilot.press("ctrl+u", *"plan = gold; email contains example")
        await settle(pilot)
        assert form.errors == {}
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert "Filters: plan = gold; email contains example" in screen.query_one("#detail").plain
        assert 'filters = ["plan = gold", "email contains example"]' in (
            await app.api.export_config()
        )
        await pilot.press("g")
        for _ in range(100):
            await settle(pilot, 1)
            if not screen.running:
                break
        assert erp.creates == 3  # the gold half of the six
        run = (await app.api.runs(service="customers")).items[0]
        assert (run.pulled, run.created, run.skipped, run.failed) == (6, 3, 3, 0)
        step = (await app.api.steps(run.id)).items[0]
        skipped = await app.api.entities(step.id, action="skip")
        assert {e.reason for e in skipped.items} == {
            "filtered out by the service filter 'plan = gold' (plan is 'silver')"
        }

"""Services screen: add a service through a form validated by ServiceConfig (unknown connector,
duplicate name, bad cron: inline, nothing saved), delete one after a confirmation naming it,
undo both, both seen by `syncdeck config export`, both refused in read-only mode."""

from __future__ import annotations

from pathlib import Path

import pytest
from admin_tui_helpers import app_on, build_admin_store, isolated_config, notes, settle  # noqa: F401

from core.console_api import ConsoleAPI
from tui.screens.confirm import Confirm
from tui.screens.service_form import NewServiceForm
from tui.screens.services import ServicesScreen
from tui.widgets.form_field import FormField

GOOD = {"name": "orders", "source": "crm", "destination": "erp", "schedule": "0 * * * *",
        "cooldown_minutes": "30", "stream_name": "orders", "stream_key": "id",
        "pull_path": "/orders", "push_create": "POST /orders"}  # fmt: skip


async def exported(db: Path) -> str:
    api = await ConsoleAPI.open(str(db))
    try:
        return await api.export_config()
    finally:
        await api.close()


async def fill(pilot, form: NewServiceForm, values: dict[str, str]) -> None:  # noqa: ANN001
    for f in form.query(FormField):
        if f.key in values:
            f.input.value = values[f.key]
    await settle(pilot)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_add_validates_then_saves_and_undo(tmp_path: Path, size: tuple[int, int]) -> None:
    db = tmp_path / "s.db"
    await build_admin_store(db)
    app = app_on(db)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("S", "a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, NewServiceForm)
        await fill(pilot, form, {**GOOD, "name": "customers", "source": "nope",
                                 "schedule": "61 * * * *"})  # fmt: skip
        assert "already exists" in form.errors["name"]
        assert "unknown connector 'nope'" in form.errors["source"]
        assert "schedule" in form.errors
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form  # refused, nothing saved
        await fill(pilot, form, GOOD)
        assert not form.errors, form.errors
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ServicesScreen)
        assert "orders" in screen.table.keys
        assert "[services.orders]" in await exported(db)
        await pilot.press("u")
        await settle(pilot)
        assert "orders" not in screen.table.keys
    assert "[services.orders]" not in await exported(db)


async def test_delete_asks_naming_it_then_undo_restores(tmp_path: Path) -> None:
    db = tmp_path / "d.db"
    await build_admin_store(db)
    app = app_on(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("S", "D")
        await settle(pilot)
        ask = app.screen
        assert isinstance(ask, Confirm)
        assert "customers" in ask.title_text and "customers" in ask.message
        await pilot.press("y")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ServicesScreen)
        assert screen.table.row_count == 0
        assert "Deleted service customers" in notes(app)
        assert "[services.customers]" not in await exported(db)
        await pilot.press("u")
        await settle(pilot)
        assert screen.table.keys == ["customers"]
    text = await exported(db)
    assert "[services.customers]" in text and 'gold = "P-GOLD"' in text


async def test_add_and_delete_refused_in_read_only(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    await build_admin_store(db)
    app = app_on(db, read_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("S", "a")
        await settle(pilot)
        assert isinstance(app.screen, ServicesScreen)
        await pilot.press("D")
        await settle(pilot)
        assert isinstance(app.screen, ServicesScreen)
        said = notes(app)
        assert "adding a service is refused" in said and "deleting a service is refused" in said
    assert "[services.customers]" in await exported(db)

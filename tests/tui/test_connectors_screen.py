"""Connectors screen: add with inline validation, test against a loopback API (success, 401
with its hint), reconnect keeps services, disconnect names the services, enter opens logs."""

from __future__ import annotations

from pathlib import Path

import pytest
from admin_tui_helpers import app_on, build_admin_store, isolated_config, notes, settle  # noqa: F401

from core.connector_check import NOT_ESTABLISHED
from core.sandbox import CrmState, ErpState, Faults, Served, crm_app, erp_app
from tui.screens.connector_form import ConnectorForm, ReconnectForm
from tui.screens.connectors import ConnectorsScreen
from tui.screens.scoped_logs import ScopedLogsScreen
from tui.widgets.form_field import FormField


@pytest.fixture
def loopback():
    crm = CrmState([{"id": 1, "email": "a@b.c"}], Faults(token="good-token"))
    with Served(crm_app(crm)) as c, Served(erp_app(ErpState())) as e:
        yield c.url, e.url


async def open_connectors(pilot) -> ConnectorsScreen:  # noqa: ANN001
    await settle(pilot)
    await pilot.press("C")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ConnectorsScreen)
    return screen


def field(form: ConnectorForm, key: str) -> FormField:
    return next(f for f in form.query(FormField) if f.key == key)


async def type_into(pilot, form: ConnectorForm, key: str, text: str) -> None:  # noqa: ANN001
    f = field(form, key)
    f.input.focus()
    f.input.value = ""
    await pilot.pause()
    await pilot.press(*list(text))
    await settle(pilot)


async def test_add_connector_validates_as_you_type_then_saves(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    await build_admin_store(db)
    app = app_on(db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_connectors(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ConnectorForm)
        await type_into(pilot, form, "name", "crm")
        assert "already exists" in str(field(form, "name").query_one(".form-error").render())
        await type_into(pilot, form, "name", "billing")
        await type_into(pilot, form, "base_url", "ftp:/nowhere")
        assert "http" in str(field(form, "base_url").query_one(".form-error").render())
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is form  # refused: nothing saved
        assert [c.name for c in await app.api.connectors()] == ["crm", "erp"]
        await type_into(pilot, form, "base_url", "https://billing.example.com")
        await type_into(pilot, form, "auth_type", "bearer")
        assert any(f.key == "auth.token" for f in form.query(FormField))
        await type_into(pilot, form, "auth.token", "env:BILLING_TOKEN")
        assert form.errors == {}
        await pilot.press("ctrl+s")  # the test fails (no such host): refused, nothing saved
        await settle(pilot, 8)
        assert app.screen is form
        assert NOT_ESTABLISHED in str(form.query_one("#form-error").render())
        assert [c.name for c in await app.api.connectors()] == ["crm", "erp"]
        await pilot.press("ctrl+f")  # saved anyway
        await settle(pilot)
        assert app.screen is screen
        assert "billing" in screen.items
        assert 'token = "env:BILLING_TOKEN"' in await app.api.export_config()
        data = await app.api.connector_config("billing")
        assert data["auth"] == {"type": "bearer", "token": "env:BILLING_TOKEN"}


async def test_test_connection_success_and_401_with_hint(
    tmp_path: Path, loopback: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    crm_url, erp_url = loopback
    db = tmp_path / "t.db"
    await build_admin_store(db, crm=crm_url, erp=erp_url)
    app = app_on(db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_connectors(pilot)
        # crm has no auth yet: the sandbox answers 401 -> the hint of the catalogue
        await pilot.press("t")
        await settle(pilot, 8)
        detail = screen.query_one("#detail").plain
        assert "Test is not successful" in detail and "What to do" in detail
        assert (await app.api.connectors())[0].status.value == "error"
        # edit: bearer token from the environment, then test again: connected
        monkeypatch.setenv("CRM_TOKEN", "good-token")
        await pilot.press("E")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ConnectorForm)
        await type_into(pilot, form, "auth_type", "bearer")
        await type_into(pilot, form, "auth.token", "env:CRM_TOKEN")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("t")
        await settle(pilot, 8)
        assert "Test connection successful" in screen.query_one("#detail").plain
        assert (await app.api.connectors())[0].status.value == "connected"
        assert screen.query_one("#detail").plain.count("good-token") == 0


async def test_reconnect_stores_a_typed_secret_and_keeps_services(
    tmp_path: Path,
    isolated_config: Path,  # noqa: F811
) -> None:
    db = tmp_path / "r.db"
    await build_admin_store(db)
    app = app_on(db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_connectors(pilot)
        await app.api.edit_connector(
            "crm",
            {
                "base_url": "http://127.0.0.1:9",
                "auth_type": "bearer",
                "auth.token": "env:OLD_TOKEN",
            },  # fmt: skip
        )
        await pilot.press("R")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ReconnectForm), notes(app)
        assert "from env:OLD_TOKEN" in field(form, "token").input.placeholder
        await type_into(pilot, form, "token", "brand-new-secret")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        data = await app.api.connector_config("crm")
        assert data["auth"]["token"] == "secret:crm.token"
        assert (isolated_config / "secrets.toml").stat().st_mode & 0o777 == 0o600
        assert [s.name for s in await app.api.services()] == ["customers"]
        assert (await app.api.services())[0].enabled
        assert "brand-new-secret" not in screen.query_one("#detail").plain
        assert "stored" in screen.query_one("#detail").plain


async def test_disconnect_names_the_services_and_disables_them(tmp_path: Path) -> None:
    db = tmp_path / "d.db"
    await build_admin_store(db)
    app = app_on(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_connectors(pilot)
        await pilot.press("D")
        await settle(pilot)
        message = str(app.screen.query_one("#confirm-message").render())
        assert "customers" in message and "Disconnect crm" in message
        await pilot.press("y")
        await settle(pilot)
        assert not (await app.api.services())[0].enabled
        assert (await app.api.connectors())[0].status.value == "disconnected"


async def test_enter_opens_the_log_viewer_scoped_to_the_connector(tmp_path: Path) -> None:
    db = tmp_path / "e.db"
    await build_admin_store(db)
    app = app_on(db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_connectors(pilot)
        await pilot.press("j", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ScopedLogsScreen)
        assert app.screen.scope.connector == "erp"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen

"""Saving a connector tests it first (ConnectWise): a failing test refuses the save with
"Connection was not established. Please validate settings information.", nothing is saved,
ctrl+f saves anyway; a passing test saves and records the connector as connected."""

from __future__ import annotations

from pathlib import Path

import pytest
from admin_tui_helpers import app_on, build_admin_store, isolated_config, notes, settle  # noqa: F401

from core.connector_check import NOT_ESTABLISHED, ConnectionNotEstablished
from core.console_api import ConsoleAPI
from core.sandbox import CrmState, Faults, Served, crm_app
from tui.screens.connector_form import ConnectorForm
from tui.screens.connectors import ConnectorsScreen
from tui.screens.help import HelpScreen
from tui.widgets.form_field import FormField


@pytest.fixture
def crm_url():
    crm = CrmState([{"id": 1, "email": "a@b.c"}], Faults(token="good-token"))
    with Served(crm_app(crm)) as c:
        yield c.url


def edit_values(url: str, token: str) -> dict[str, str]:
    return {"base_url": url, "auth_type": "bearer", "auth.token": token}


async def test_edit_refused_when_the_test_fails_then_forced(
    tmp_path: Path, crm_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "c.db"
    await build_admin_store(db, crm=crm_url)
    monkeypatch.setenv("CRM_BAD", "wrong-token")
    monkeypatch.setenv("CRM_GOOD", "good-token")
    api = await ConsoleAPI.open(str(db))
    try:
        before = await api.connector_config("crm")
        with pytest.raises(ConnectionNotEstablished) as err:
            await api.save_connector(edit_values(crm_url, "env:CRM_BAD"), editing="crm")
        assert err.value.message == NOT_ESTABLISHED
        assert "HTTP 401" in err.value.hint and err.value.exit_code == 1
        assert await api.connector_config("crm") == before  # nothing saved
        assert "wrong-token" not in str(err.value)
        # forced: saved without a passing test
        await api.save_connector(edit_values(crm_url, "env:CRM_BAD"), editing="crm", force=True)
        assert (await api.connector_config("crm"))["auth"]["token"] == "env:CRM_BAD"
        # a passing test saves and marks the connector connected
        await api.save_connector(edit_values(crm_url, "env:CRM_GOOD"), editing="crm")
        crm = next(c for c in await api.connectors() if c.name == "crm")
        assert crm.status.value == "connected"
    finally:
        await api.close()


async def test_typed_secret_is_tested_without_being_kept_when_refused(
    tmp_path: Path,
    crm_url: str,
    isolated_config: Path,  # noqa: F811
) -> None:
    db = tmp_path / "s.db"
    await build_admin_store(db, crm=crm_url)
    api = await ConsoleAPI.open(str(db))
    try:
        with pytest.raises(ConnectionNotEstablished):
            await api.save_connector(edit_values(crm_url, "typed-wrong"), editing="crm")
        kept = [p for p in tmp_path.rglob("*") if p.is_file() and b"typed-wrong" in p.read_bytes()]
        assert kept == []  # neither in the secrets file nor in the store
        await api.save_connector(edit_values(crm_url, "good-token"), editing="crm")
        assert (await api.connector_config("crm"))["auth"]["token"].startswith("secret:")
    finally:
        await api.close()


async def test_console_form_refuses_then_ctrl_f_saves(
    tmp_path: Path, crm_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "f.db"
    await build_admin_store(db, crm=crm_url)
    monkeypatch.setenv("CRM_BAD", "wrong-token")
    app = app_on(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("C")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ConnectorsScreen)
        await pilot.press("E")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ConnectorForm)
        fields = {f.key: f for f in form.query(FormField)}
        fields["auth_type"].input.value = "bearer"
        await settle(pilot)
        fields = {f.key: f for f in form.query(FormField)}
        fields["auth.token"].input.value = "env:CRM_BAD"
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot, 8)
        assert app.screen is form
        shown = str(form.query_one("#form-error").render())
        assert NOT_ESTABLISHED in shown and "ctrl+f saves it anyway" in shown
        assert (await app.api.connector_config("crm"))["auth"] == {"type": "none"}  # unsaved
        await pilot.press("ctrl+f")
        await settle(pilot, 8)
        assert app.screen is screen
        assert (await app.api.connector_config("crm"))["auth"]["token"] == "env:CRM_BAD"


async def test_force_save_key_in_help(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    await build_admin_store(db)
    app = app_on(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("C")
        await settle(pilot)
        await pilot.press("E")
        await settle(pilot)
        assert isinstance(app.screen, ConnectorForm)
        await pilot.press("question_mark")
        await settle(pilot)
        if isinstance(app.screen, HelpScreen):
            assert dict(app.screen.keys)["^f"] == "Save anyway  (form.force_save)"
        else:  # ? typed into a field: the palette lists it instead
            titles = [c.title for c in app.get_system_commands(app.screen)]
            assert "Save anyway" in titles

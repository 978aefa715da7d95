"""Editing a connector whose auth the form does not know (an Autotask stored by an older
syncdeck with several static headers) shows that auth read-only ("edit in the TOML"), keeps it,
and saves the other fields."""

from __future__ import annotations

from pathlib import Path

import pytest
from admin_tui_helpers import app_on, build_admin_store, isolated_config, notes, settle  # noqa: F401

from core.store import open_store
from tui.screens.connector_form import ConnectorForm
from tui.screens.connectors import ConnectorsScreen
from tui.widgets.form_field import FormField

# The demo's Autotask once was this; the demo now uses the autotask preset's credentials.
AUTOTASK = {
    "preset": "autotask",
    "base_url": "https://webservices5.autotask.net/ATServicesRest/V1.0",
    "auth": {"type": "headers", "headers": {
        "UserName": "env:AUTOTASK_USERNAME", "Secret": "env:AUTOTASK_SECRET",
        "ApiIntegrationCode": "env:AUTOTASK_INTEGRATION_CODE"}},
    "rate_limit": {"requests_per_hour": 10000},
}  # fmt: skip


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_edit_autotask_keeps_header_auth(tmp_path: Path, size: tuple[int, int]) -> None:
    db = tmp_path / "k.db"
    await build_admin_store(db)
    store = await open_store(db, create=False)
    await store.upsert_connector("autotask", base_url=AUTOTASK["base_url"], preset="autotask",
                                 config=AUTOTASK)  # fmt: skip
    await store.close()
    app = app_on(db)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("C")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ConnectorsScreen)
        screen.table.move_cursor(row=screen.table.keys.index("autotask"))
        await pilot.press("E")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ConnectorForm)
        fields = {f.key: f for f in form.query(FormField)}
        auth = fields["auth_kept"]
        assert auth.input.disabled
        assert (
            auth.input.value == "headers: UserName, Secret, ApiIntegrationCode (edit in the TOML)"
        )
        assert "env:" not in auth.input.value
        assert not form.errors, form.errors  # no error for an auth it cannot edit
        base = fields["base_url"].input
        base.focus()
        base.value = "https://webservices6.autotask.net/ATServicesRest/V1.0"
        await settle(pilot)
        assert not form.errors
        await pilot.press("ctrl+f")  # saved without the connection test (no network here)
        await settle(pilot)
        assert isinstance(app.screen, ConnectorsScreen), notes(app)
    store = await open_store(db, create=False)
    saved = await store.connector_config("autotask")
    await store.close()
    assert saved["base_url"] == "https://webservices6.autotask.net/ATServicesRest/V1.0"
    assert saved["auth"] == AUTOTASK["auth"]  # the headers are kept as they were


async def test_kept_auth_still_refuses_a_bad_base_url(tmp_path: Path) -> None:
    from core import admin

    values = admin.form_values("autotask", AUTOTASK)
    values["base_url"] = "ftp://nope"
    data, errors = admin.check_connector(values, ["autotask"], editing="autotask",
                                         existing=AUTOTASK)  # fmt: skip
    assert data is None and "base_url" in errors

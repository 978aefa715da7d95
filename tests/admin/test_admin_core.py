"""core/admin*.py through the facade: validation, secrets, edits in the exported config, undo."""

from __future__ import annotations

import os
import stat
import tomllib

import pytest
from admin_helpers import build_admin_store

from core.console_api import ConsoleAPI
from core.errors import UserError
from core.secrets import read_secrets, secrets_path


@pytest.fixture
async def api(store_location: str):
    """The facade over a store with the admin config, once per backend."""
    await build_admin_store(store_location)
    api = await ConsoleAPI.open(store_location)
    yield api
    await api.close()


def form(**kw: str) -> dict[str, str]:
    base = {"name": "billing", "preset": "", "base_url": "https://billing.example.com",
            "auth_type": "bearer", "auth.token": "env:BILLING_TOKEN"}  # fmt: skip
    return {**base, **kw}


async def test_connector_form_errors_are_inline_and_nothing_is_saved(api: ConsoleAPI) -> None:
    names = ["crm", "erp"]
    assert "base_url" in api.check_connector_form(form(base_url="ftp://x"), names)
    assert "already exists" in api.check_connector_form(form(name="crm"), names)["name"]
    assert "preset" in api.check_connector_form(form(preset="nosuch"), names)
    assert "auth.token" in api.check_connector_form(form(**{"auth.token": ""}), names)
    assert api.check_connector_form(form(), names) == {}
    with pytest.raises(UserError):
        await api.add_connector(form(base_url="not a url"))
    assert [c.name for c in await api.connectors()] == ["crm", "erp"]


async def test_add_connector_keeps_a_typed_secret_in_a_0600_file(api: ConsoleAPI) -> None:
    await api.add_connector(form(**{"auth.token": "s3cret-value"}))
    data = await api.connector_config("billing")
    assert data["auth"]["token"] == "secret:billing.token"
    assert read_secrets()["billing.token"] == "s3cret-value"
    assert stat.S_IMODE(secrets_path().stat().st_mode) == 0o600
    exported = await api.export_config()
    assert "s3cret-value" not in exported and "billing" in exported
    fields = api.connector_form_fields(api.connector_form_values("billing", data), existing=data)
    assert [f.shown for f in fields if f.secret] == ["stored"]
    info = await api.info()
    assert "s3cret" not in str(info)


async def test_a_readable_secrets_file_is_refused_with_the_chmod(api: ConsoleAPI) -> None:
    await api.add_connector(form(**{"auth.token": "abc"}))
    os.chmod(secrets_path(), 0o644)
    with pytest.raises(UserError) as err:
        read_secrets()
    assert f"chmod 600 {secrets_path()}" in err.value.hint


async def test_edit_service_rejects_a_bad_cron_and_saves_a_good_one(api: ConsoleAPI) -> None:
    errors = await api.check_service_form("customers", {"schedule": "every day"})
    assert "cron" in errors["schedule"]
    with pytest.raises(UserError):
        await api.edit_service("customers", {"schedule": "61 * * * *", "cooldown_minutes": "60"})
    await api.edit_service("customers", {"schedule": "0 2 * * *", "cooldown_minutes": "30"})
    cfg = tomllib.loads(await api.export_config())
    assert cfg["services"]["customers"]["schedule"] == "0 2 * * *"
    assert cfg["services"]["customers"]["cooldown_minutes"] == 30
    assert "edit service" in await api.undo_last()
    cfg = tomllib.loads(await api.export_config())
    assert cfg["services"]["customers"]["schedule"] == "*/15 * * * *"


async def test_field_preview_and_edit_shows_in_export_and_undoes(api: ConsoleAPI) -> None:
    view = await api.mapping("customers")
    rows = {r.dest: r for r in view.rows}
    assert rows["name"].before == "  Acme Ltd " and rows["name"].after == "Acme Ltd"
    assert rows["plan"].after == "P-GOLD"
    assert "company.name" in view.paths
    values = {"dest": "name", "source": "company.name", "transforms": "trim | upper"}
    errors, prev = await api.check_field_form(
        "customers", "customers", "name", values, view.record, view.lookup_tables
    )
    assert errors == {} and prev is not None and prev[1] == "ACME LTD"
    bad = {**values, "transforms": "trim | shout"}
    errors, _ = await api.check_field_form("customers", "customers", "name", bad, None, {})
    assert "unknown transform" in errors["transforms"]
    missing = {"dest": "plan", "source": "plan", "lookup": "tiers"}
    errors, _ = await api.check_field_form("customers", "customers", "plan", missing, None, {})
    assert "tiers" in errors["lookup"]
    with pytest.raises(UserError):
        await api.set_field("customers", "customers", "name", bad)
    await api.set_field("customers", "customers", "name", values)
    assert 'transforms = ["trim", "upper"]' in await api.export_config()
    await api.undo_last()
    assert 'transforms = ["upper"]' not in await api.export_config()


async def test_unmapped_values_from_samples_bulk_update_and_undo(api: ConsoleAPI) -> None:
    rows = await api.value_rows("customers", "plans")
    assert [(r.source_value, r.status.value) for r in rows] == [
        ("bronze", "unmapped"), ("silver", "unmapped"), ("gold", "mapped")
    ]  # fmt: skip
    await api.bulk_map("customers", "plans", ["bronze", "silver"], "P-STD")
    cfg = tomllib.loads(await api.export_config())
    assert cfg["services"]["customers"]["lookups"]["plans"] == {
        "gold": "P-GOLD", "bronze": "P-STD", "silver": "P-STD"
    }  # fmt: skip
    assert "map 2 values" in await api.undo_last()
    cfg = tomllib.loads(await api.export_config())
    assert cfg["services"]["customers"]["lookups"]["plans"] == {"gold": "P-GOLD"}
    with pytest.raises(UserError):
        await api.undo_last()


async def test_read_only_facade_refuses_every_admin_write(store_location: str) -> None:
    db = store_location
    await build_admin_store(db)
    api = await ConsoleAPI.open(db, read_only=True)
    try:
        calls = [
            api.add_connector(form()), api.edit_connector("crm", {}), api.reconnect("crm", {}),
            api.edit_service("customers", {}), api.set_field("customers", "customers", None, {}),
            api.bulk_map("customers", "plans", ["x"], "y"), api.undo_last(),
        ]  # fmt: skip
        for call in calls:
            with pytest.raises(UserError, match="read-only"):
                await call
    finally:
        await api.close()

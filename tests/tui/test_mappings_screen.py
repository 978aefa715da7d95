"""Mappings screen: edit a field mapping and watch the preview change (form and grid), bad
input refused inline, unmapped values from pulled records, bulk update with a value picked
from the destination (a Response error first, then ctrl+r), export and undo."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from admin_tui_helpers import app_on, build_admin_store, isolated_config, notes, settle  # noqa: F401
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from core.sandbox import Faults, Served
from tui.screens.field_form import FieldForm
from tui.screens.mappings import MappingsScreen
from tui.screens.value_pick import ValuePick
from tui.widgets.form_field import FormField


async def open_mappings(pilot) -> MappingsScreen:  # noqa: ANN001
    await settle(pilot)
    await pilot.press("M")
    await settle(pilot)
    assert isinstance(pilot.app.screen, MappingsScreen)
    return pilot.app.screen


def cell(table, key: str, col: int) -> str:  # noqa: ANN001
    return table.get_row(key)[col].plain


async def test_editing_a_field_updates_the_preview_at_once(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    await build_admin_store(db)
    app = app_on(db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_mappings(pilot)
        grid = screen.fields_table
        assert cell(grid, "name", 3) == '"  Acme Ltd "' and cell(grid, "name", 4) == '"Acme Ltd"'
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FieldForm)
        transforms = next(f for f in form.query(FormField) if f.key == "transforms")
        transforms.input.focus()
        await pilot.press("end", *" | upper")
        await settle(pilot)
        assert '"ACME LTD"' in str(form.query_one("#field-preview").render())
        await pilot.press(*"x")  # "upperx": unknown transform, inline, not saved
        await settle(pilot)
        assert "unknown transform" in str(transforms.query_one(".form-error").render())
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is form
        await pilot.press("backspace")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert cell(grid, "name", 4) == '"ACME LTD"'
        exported = tomllib.loads(await app.api.export_config())
        fields = exported["services"]["customers"]["streams"][0]["fields"]
        assert fields["name"]["transforms"] == ["trim", "upper"]
        await pilot.press("u")
        await settle(pilot)
        assert cell(grid, "name", 4) == '"Acme Ltd"'


async def test_a_lookup_naming_a_missing_table_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "l.db"
    await build_admin_store(db)
    app = app_on(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_mappings(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FieldForm)
        values = {"dest": "tier", "source": "plan", "lookup": "tiers"}
        for f in form.query(FormField):
            if f.key in values:
                f.input.value = values[f.key]
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        lookup = next(f for f in form.query(FormField) if f.key == "lookup")
        assert "tiers" in str(lookup.query_one(".form-error").render())
        assert "tier" not in tomllib.loads(await app.api.export_config())["services"][
            "customers"]["streams"][0]["fields"]  # fmt: skip


async def test_bulk_update_unmapped_values_with_a_typed_value(tmp_path: Path) -> None:
    db = tmp_path / "b.db"
    await build_admin_store(db)
    app = app_on(db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_mappings(pilot)
        values = screen.values_table
        assert values.keys == ["bronze", "silver", "gold"]  # Unmapped first, from the samples
        assert [cell(values, k, 4) for k in values.keys] == ["Unmapped", "Unmapped", "Mapped"]
        await pilot.press("tab")
        await pilot.press("space", "space")
        await settle(pilot)
        assert screen.selected == {"bronze", "silver"}
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, ValuePick)
        await pilot.press(*"P-STD", "enter")
        await settle(pilot)
        assert [cell(values, k, 4) for k in values.keys] == ["Mapped"] * 3
        assert cell(values, "bronze", 3) == "P-STD"
        lookups = tomllib.loads(await app.api.export_config())["services"]["customers"]["lookups"]
        assert lookups["plans"] == {"gold": "P-GOLD", "bronze": "P-STD", "silver": "P-STD"}
        await pilot.press("f")
        await settle(pilot)
        assert values.keys == []  # filter: Unmapped
        await pilot.press("u")
        await settle(pilot)
        assert values.keys == ["bronze", "silver"]


@pytest.fixture
def destination():
    faults = Faults(fail_next=[500, 500])

    async def plans(request: Request) -> JSONResponse:
        fault = await faults.check(request)
        if fault is not None:
            return fault
        return JSONResponse({"data": [{"id": "P-STD", "name": "Standard"},
                                      {"id": "P-PRO", "name": "Professional"}]})  # fmt: skip

    with Served(Starlette(routes=[Route("/plans", plans)])) as served:
        yield served.url


async def test_value_list_from_the_destination_response_error_then_retry(
    tmp_path: Path, destination: str
) -> None:
    db = tmp_path / "v.db"
    await build_admin_store(db, erp=destination, erp_extra='preset = "json_server"')
    app = app_on(db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_mappings(pilot)
        await pilot.press("tab", "enter")  # map the row under the cursor (bronze)
        await settle(pilot, 8)
        pick = app.screen
        assert isinstance(pick, ValuePick)
        state = str(pick.query_one("#pick-state").render())
        assert "Response error" in state and "ctrl+r" in state
        await pilot.press("ctrl+r")
        await settle(pilot, 8)
        assert pick.state == "ok" and [v for v, _ in pick.choices] == ["P-STD", "P-PRO"]
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        assert app.screen is screen
        assert cell(screen.values_table, "bronze", 3) == "P-PRO"
        assert "Mapped 1 value of plans to P-PRO" in notes(app)


async def test_the_record_shown_survives_leaving_and_coming_back(tmp_path: Path) -> None:
    """`>` shows record 2; after Services and back the header and the rows both show record 2."""
    db = tmp_path / "s.db"
    await build_admin_store(db)
    app = app_on(db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_mappings(pilot)
        grid = screen.fields_table
        first = cell(grid, "name", 3)
        await pilot.press("greater_than_sign")
        await settle(pilot)
        second = cell(grid, "name", 3)
        assert second != first
        assert "record 2/" in screen.query_one("#map-head").render().plain
        await pilot.press("S")
        await settle(pilot)
        await pilot.press("M")
        await settle(pilot)
        assert app.screen is screen
        assert "record 2/" in screen.query_one("#map-head").render().plain
        assert cell(grid, "name", 3) == second
        # a new pull while away (the live demo pulls every 30 s): record 2 is another record
        from core.store import open_store

        store = await open_store(db, create=False)
        try:
            sid = await store.service_id("customers")
            pulled = [{"id": 7, "company": {"name": "Zeta"}}, {"id": 8, "company": {"name": "Eta"}}]
            await store.record_samples(sid, "customers", pulled)
        finally:
            await store.close()
        await pilot.press("S")
        await settle(pilot)
        await pilot.press("M")
        await settle(pilot)
        assert "record 2/2" in screen.query_one("#map-head").render().plain
        assert cell(grid, "name", 3) == '"Eta"'  # the rows show the record the header names

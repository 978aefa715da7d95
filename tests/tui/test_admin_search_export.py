"""`/` and `e` on the admin screens: search filters the rows with a match count (escape clears),
export writes the rows shown to a CSV (path prompt, notice with path and count, defused)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from admin_tui_helpers import app_on, build_admin_store, isolated_config, notes, settle  # noqa: F401

from core.store import open_store
from tui.screens.connectors import ConnectorsScreen
from tui.screens.export_prompt import ExportPrompt
from tui.screens.mappings import MappingsScreen
from tui.screens.services import ServicesScreen


@pytest.fixture
async def db(tmp_path: Path) -> Path:
    path = tmp_path / "a.db"
    await build_admin_store(path)
    store = await open_store(path, create=False)
    try:  # a third connector whose base URL a spreadsheet would run as a formula
        await store.upsert_connector("=cmd", base_url="http://127.0.0.1:9/x", config={
            "base_url": "http://127.0.0.1:9/x"})  # fmt: skip
    finally:
        await store.close()
    return path


async def type_search(pilot, text: str) -> None:  # noqa: ANN001
    await pilot.press("slash")
    for ch in text:
        await pilot.press(ch)
    await pilot.press("enter")
    await settle(pilot)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_search_connectors_counts_and_escape_clears(db: Path, size: tuple[int, int]) -> None:
    app = app_on(db)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("C")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ConnectorsScreen)
        assert screen.table.row_count == 3
        await type_search(pilot, "erp")
        assert screen.table.keys == ["erp"]
        status = screen.query_one("#admin-status").plain
        assert "/ erp: 1 of 3 connectors match" in status
        await pilot.press("escape")
        await settle(pilot)
        assert screen.table.row_count == 3
        assert "match" not in screen.query_one("#admin-status").plain


async def test_search_services_and_mappings(db: Path) -> None:
    app = app_on(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("S")
        await settle(pilot)
        services = app.screen
        assert isinstance(services, ServicesScreen)
        await type_search(pilot, "nothing-like-it")
        assert services.table.row_count == 0
        assert "0 of 1 services match" in services.query_one("#admin-status").plain
        await pilot.press("escape")
        await settle(pilot)
        assert services.table.keys == ["customers"]
        await pilot.press("M")
        await settle(pilot)
        maps = app.screen
        assert isinstance(maps, MappingsScreen)
        assert len(maps.fields_table.keys) == 3
        await type_search(pilot, "plan")
        assert maps.fields_table.keys == ["plan"]
        assert "1 of 3 fields" in maps.query_one("#admin-status").plain
        await pilot.press("escape")
        await settle(pilot)
        assert len(maps.fields_table.keys) == 3


async def test_export_connectors_writes_the_rows_shown(db: Path, tmp_path: Path) -> None:
    app = app_on(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("C")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        prompt = app.screen
        assert isinstance(prompt, ExportPrompt)
        assert "/syncdeck/exports/syncdeck-connectors-" in prompt.default  # never the cwd
        target = tmp_path / "connectors.csv"
        prompt.query_one("#export-path").value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        assert f"Exported 3 rows to {target}" in notes(app)
        rows = list(csv.DictReader(target.open(encoding="utf-8")))
        assert [r["name"] for r in rows] == ["'=cmd", "crm", "erp"]
        assert rows[2]["status"] == "untested"
        # filtered: only what is shown
        await type_search(pilot, "crm")
        await pilot.press("e")
        await settle(pilot)
        app.screen.query_one("#export-path").value = str(tmp_path / "one.csv")
        await pilot.press("enter")
        await settle(pilot)
        rows = list(csv.DictReader((tmp_path / "one.csv").open(encoding="utf-8")))
        assert [r["name"] for r in rows] == ["crm"]


async def test_export_services_and_mapping_fields(db: Path, tmp_path: Path) -> None:
    app = app_on(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for key, name, first in (("S", "services.csv", "customers"), ("M", "fields.csv", "name")):
            await pilot.press(key)
            await settle(pilot)
            await pilot.press("e")
            await settle(pilot)
            app.screen.query_one("#export-path").value = str(tmp_path / name)
            await pilot.press("enter")
            await settle(pilot)
            rows = list(csv.DictReader((tmp_path / name).open(encoding="utf-8")))
            assert rows and first in rows[0].values()
        fields = list(csv.DictReader((tmp_path / "fields.csv").open(encoding="utf-8")))
        plan = next(r for r in fields if r["destination"] == "plan")
        assert plan["lookup"] == "plans" and plan["source_path"] == "plan"

"""The admin screens at 80x24: the essential columns of each table are on screen (nothing to
scroll to on the right), and the footer starts with `?` Help and `q` Quit (KeyFooter)."""

from __future__ import annotations

from pathlib import Path

import pytest
from admin_tui_helpers import add_history, app_on, build_admin_store, isolated_config, settle  # noqa: F401
from test_columns_fit import assert_fits
from test_logs_footer import visible_footer_keys
from tui_fixture import FIXED_NOW

from tui.screens.connectors import ConnectorsScreen
from tui.screens.mappings import MappingsScreen
from tui.screens.services import ServicesScreen
from tui.widgets.paged_table import PagedTable

SCREENS = {
    "C": (ConnectorsScreen, {"#connectors-grid": ["name", "status", "synced", "errors"]}),
    "S": (ServicesScreen, {"#services-grid": ["name", "on", "last", "next"]}),
    "M": (
        MappingsScreen,
        {"#fields-grid": ["dest", "source", "after"], "#values-grid": ["source", "dest", "status"]},
    ),
}


@pytest.fixture
async def admin_db(tmp_path: Path) -> str:
    path = tmp_path / "admin.db"
    await build_admin_store(path)
    await add_history(path, FIXED_NOW)
    return str(path)


@pytest.mark.parametrize("key", list(SCREENS))
async def test_essential_columns_and_help_quit_at_80x24(admin_db: str, key: str) -> None:
    screen_type, grids = SCREENS[key]
    app = app_on(admin_db, clock=lambda: FIXED_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)
        assert isinstance(app.screen, screen_type)
        for selector, essential in grids.items():
            table = app.screen.query_one(selector, PagedTable)
            shown = table.shown_keys
            assert all(k in shown for k in essential), (selector, shown)
            assert_fits(table)
        footer = visible_footer_keys(app)
        assert footer[:2] == ["Help", "Quit"], footer
        assert "Search" in footer, footer


@pytest.mark.parametrize("key", list(SCREENS))
async def test_every_column_at_120x40(admin_db: str, key: str) -> None:
    """On a wide terminal nothing gives way but the least important columns, if any."""
    screen_type, grids = SCREENS[key]
    app = app_on(admin_db, clock=lambda: FIXED_NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)
        for selector in grids:
            table = app.screen.query_one(selector, PagedTable)
            assert table.shown_keys == [c[0] for c in table._columns], selector
            assert_fits(table)
        assert visible_footer_keys(app)[:2] == ["Help", "Quit"]

"""Snapshots of the admin screens (fixed data, fixed clock, TZ=UTC). Update with
`--snapshot-update` after a deliberate change of the screens."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from admin_tui_helpers import (  # noqa: F401
    add_history,
    app_on,
    build_admin_store,
    isolated_config,
    settle,
)
from textual.widgets import Input
from tui_fixture import FIXED_NOW

SCREENS = {
    "connectors": ["C"],
    "services": ["S"],
    "mappings": ["M"],
    "field_form": ["M", "enter"],
    "connector_form": ["C", "a"],
}


@pytest.fixture
def snap_admin_db(tmp_path: Path) -> str:
    path = tmp_path / "admin.db"

    async def build() -> None:
        await build_admin_store(path)
        await add_history(path, FIXED_NOW)

    asyncio.run(build())
    return str(path)


def press(keys: list[str]):  # noqa: ANN201
    async def run_before(pilot) -> None:  # noqa: ANN001
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        for field in pilot.app.screen.query(Input):  # a blinking cursor: on or off by the clock
            field.cursor_blink = False
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("name", list(SCREENS))
def test_admin_screen_snapshot(snap_compare, snap_admin_db: str, name: str) -> None:  # noqa: ANN001
    app = app_on(snap_admin_db, clock=lambda: FIXED_NOW)
    assert snap_compare(app, terminal_size=(120, 40), run_before=press(SCREENS[name]))


@pytest.mark.parametrize("name", ["connectors", "services", "mappings"])
def test_admin_screen_at_80x24(snap_compare, snap_admin_db: str, name: str) -> None:  # noqa: ANN001
    app = app_on(snap_admin_db, clock=lambda: FIXED_NOW)
    assert snap_compare(app, terminal_size=(80, 24), run_before=press(SCREENS[name]))

"""Read-only mode: the title says "read-only" and every changing action is refused with a
message, on every admin screen; nothing is written and no form opens."""

from __future__ import annotations

from pathlib import Path

import pytest
from admin_tui_helpers import app_on, build_admin_store, isolated_config, settle  # noqa: F401

from tui.screens.admin_base import AdminScreen
from tui.widgets.title_bar import TitleBar

ACTIONS = [
    ("C", "t", "testing a connector"),
    ("C", "a", "adding a connector"),
    ("C", "E", "editing a connector"),
    ("C", "R", "reconnecting a connector"),
    ("C", "D", "disconnecting a connector"),
    ("C", "u", "undo"),
    ("S", "g", "running a service"),
    ("S", "G", "running a service"),
    ("S", "x", "enabling or disabling a service"),
    ("S", "E", "editing a service"),
    ("S", "u", "undo"),
    ("M", "enter", "editing a field mapping"),
    ("M", "a", "adding a field mapping"),
    ("M", "u", "undo"),
]


@pytest.fixture
async def ro_db(tmp_path: Path) -> Path:
    db = tmp_path / "ro.db"
    await build_admin_store(db)
    return db


@pytest.mark.parametrize(("screen_key", "key", "what"), ACTIONS)
async def test_read_only_refuses(ro_db: Path, screen_key: str, key: str, what: str) -> None:
    app = app_on(ro_db, read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press(screen_key)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AdminScreen)
        assert "read-only" in screen.query_one(TitleBar).plain
        before = await app.api.export_config()
        await pilot.press(key)
        await settle(pilot)
        assert app.screen is screen  # no form, no confirmation
        messages = [str(n.message) for n in app._notifications]
        assert any(f"Read-only mode: {what} is refused" in m for m in messages), messages
        assert await app.api.export_config() == before
        assert (await app.api.runs()).total == 0


async def test_read_only_refuses_bulk_update_of_value_mappings(ro_db: Path) -> None:
    app = app_on(ro_db, read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("M")
        await settle(pilot)
        await pilot.press("tab", "space", "b")
        await settle(pilot)
        messages = [str(n.message) for n in app._notifications]
        assert any("Read-only mode: updating value mappings is refused" in m for m in messages)
        rows = await app.api.value_rows("customers", "plans")
        assert [r.status.value for r in rows] == ["unmapped", "unmapped", "mapped"]

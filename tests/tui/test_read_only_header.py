"""The header says "read-only" on every screen in read-only mode (the App's sub_title, shown by
the Logs screen's mode line and the admin screens' title bar), and nothing in the normal mode."""

from __future__ import annotations

from pathlib import Path

import pytest
from admin_tui_helpers import app_on, build_admin_store, isolated_config, settle  # noqa: F401

from tui.widgets.mode_badge import ModeBadge
from tui.widgets.title_bar import TitleBar


def header(app) -> str:  # noqa: ANN001
    screen = app.screen
    for widget in (*screen.query(ModeBadge), *screen.query(TitleBar)):
        if widget.display:
            return str(widget.render())
    return ""


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_every_screen_says_read_only(tmp_path: Path, size: tuple[int, int]) -> None:
    db = tmp_path / "r.db"
    await build_admin_store(db)
    app = app_on(db, read_only=True)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        seen = {}
        for key in ("L", "C", "S", "M", "L"):
            await pilot.press(key)
            await settle(pilot)
            seen[type(app.screen).__name__] = header(app)
        await pilot.press("S", "enter")  # a service's runs in the scoped log viewer
        await settle(pilot)
        seen[type(app.screen).__name__] = header(app)
    assert set(seen) == {"LogsScreen", "ConnectorsScreen", "ServicesScreen", "MappingsScreen",
                         "ScopedLogsScreen"}  # fmt: skip
    assert all("read-only" in text for text in seen.values()), seen
    assert app.sub_title == "read-only"


async def test_normal_mode_has_no_mode_line(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    await build_admin_store(db)
    app = app_on(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not app.screen.query_one(ModeBadge).display
        assert "read-only" not in header(app)
        await pilot.press("C")
        await settle(pilot)
        assert "read-only" not in header(app)

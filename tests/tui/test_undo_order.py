"""`u` undoes the newest console change, whatever it was, and says exactly what it undid:
add, disconnect, enable / disable, edit, in the order they were made."""

from __future__ import annotations

from pathlib import Path

from admin_tui_helpers import app_on, build_admin_store, isolated_config, notes, settle  # noqa: F401

from tui.screens.connectors import ConnectorsScreen
from tui.screens.services import ServicesScreen


async def test_undo_after_add_then_disconnect_undoes_the_disconnect(tmp_path: Path) -> None:
    db = tmp_path / "u.db"
    await build_admin_store(db)
    app = app_on(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("C")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ConnectorsScreen)
        await app.api.add_connector(
            {"name": "my-erp", "base_url": "https://erp.example.com", "auth_type": "none"}
        )
        screen.reload()
        await settle(pilot)
        screen.table.move_cursor(row=0)  # crm
        await pilot.press("D")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert (await app.api.services())[0].enabled is False
        await pilot.press("u")
        await settle(pilot)
        assert "Undone: disconnect crm (customers enabled again)." in notes(app)
        assert "my-erp" in [c.name for c in await app.api.connectors()]
        assert (await app.api.services())[0].enabled is True
        crm = next(c for c in await app.api.connectors() if c.name == "crm")
        assert crm.status.value == "untested"  # as it was before the disconnect
        await pilot.press("u")
        await settle(pilot)
        assert "Undone: add connector my-erp." in notes(app)
        assert "my-erp" not in [c.name for c in await app.api.connectors()]


async def test_undo_after_edit_then_disable_undoes_the_disable(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    await build_admin_store(db)
    app = app_on(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("S")
        await settle(pilot)
        assert isinstance(app.screen, ServicesScreen)
        await app.api.edit_service("customers", {"schedule": "0 3 * * *", "cooldown_minutes": "60"})
        await pilot.press("x")  # disable
        await settle(pilot)
        assert (await app.api.services())[0].enabled is False
        await pilot.press("u")
        await settle(pilot)
        assert "Undone: disable service customers." in notes(app)
        svc = (await app.api.services())[0]
        assert svc.enabled is True and svc.schedule == "0 3 * * *"
        await pilot.press("u")
        await settle(pilot)
        assert "Undone: edit service customers." in notes(app)
        assert (await app.api.services())[0].schedule == "*/15 * * * *"

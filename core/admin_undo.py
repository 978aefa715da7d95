"""The console's undo stack. Every change the console makes is pushed with what restores it:
add / edit / reconnect / disconnect a connector, add / edit / delete / enable / disable a
service, a field edit, a bulk update of value mappings. `undo_last` undoes the newest one and
returns exactly what it undid ("disconnect crm (customers enabled again)")."""

from __future__ import annotations

from typing import Any

from .config import ConnectorConfig
from .errors import UserError
from .models import Service
from .store import Store


async def _status(store: Store, name: str) -> list[Any]:
    """A connector's status and detail, to restore them."""
    c = await store.get_connector(name)
    tested = c.tested_at.timestamp() if c.tested_at else None
    return [c.status.value, c.status_detail, tested]


async def disconnect(store: Store, name: str) -> list[str]:
    """Disconnect (disables its enabled services), undoable."""
    from .actions import disconnect_connector

    status = await _status(store, name)
    disabled = await disconnect_connector(store, name)
    await store.push_undo(
        f"disconnect {name}", {"kind": "disconnect", "name": name, "status": status,
                               "enabled": disabled}, None,
    )  # fmt: skip
    return disabled


async def set_enabled(store: Store, name: str, enabled: bool) -> Service:
    """Enable or disable a service, undoable (a no-op change is not pushed)."""
    from .actions import set_service_enabled

    before = (await store.get_service(name)).enabled
    svc = await set_service_enabled(store, name, enabled)
    if before != enabled:
        word = "enable" if enabled else "disable"
        await store.push_undo(f"{word} service {name}", {"kind": "enabled", "name": name,
                                                         "before": before}, svc.id)  # fmt: skip
    return svc


async def connector_status(store: Store, name: str) -> list[Any]:
    """For the add / edit / reconnect entries: the status the undo puts back."""
    return await _status(store, name)


async def _restore_status(store: Store, name: str, status: list[Any] | None) -> None:
    if status:
        cid = await store.connector_id(name)
        await store.set_connector_status(cid, status[0], status[1], status[2])


async def undo_last(store: Store) -> str:
    """Undo the newest console change. Returns what was undone, in words."""
    from .admin import save_service

    entry = await store.last_undo()
    if entry is None:
        raise UserError("Nothing to undo.", "Only changes made in the console can be undone.")
    undo_id, what, undo = entry
    kind = undo["kind"]
    if kind == "connector":
        if undo["before"] is None:
            await store.delete_connector(undo["name"])
        else:
            cfg = ConnectorConfig.model_validate(undo["before"])
            await store.upsert_connector(
                undo["name"], base_url=cfg.base_url, preset=cfg.preset, config=undo["before"]
            )
            await _restore_status(store, undo["name"], undo.get("status"))
    elif kind == "disconnect":
        for name in undo["enabled"]:
            await store.set_service_enabled((await store.get_service(name)).id, True)
        await _restore_status(store, undo["name"], undo["status"])
        again = ", ".join(undo["enabled"])
        what += f" ({again} enabled again)" if again else " (no service to enable again)"
    elif kind == "enabled":
        await store.set_service_enabled((await store.get_service(undo["name"])).id, undo["before"])
    elif kind == "service":
        await save_service(store, undo["name"], undo["before"])
    elif kind in ("service_add", "service_delete"):
        from .admin_service import undo as undo_service

        await undo_service(store, undo)
    elif kind == "values":
        sid = int(undo["service_id"])
        restore = [(s, d, st) for s, d, st in undo["rows"] if st is not None]
        gone = [s for s, _, st in undo["rows"] if st is None]
        if restore:
            await store.set_value_mappings(sid, undo["lookup"], restore)
        if gone:
            await store.delete_value_mappings(sid, undo["lookup"], gone)
    await store.drop_undo(undo_id)
    return what

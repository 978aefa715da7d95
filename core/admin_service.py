"""Add and delete a service from the console. The form (source, destination, schedule,
cooldown, the first stream) is validated by core/config.py's ServiceConfig before anything is
written; both are undoable and show in `syncdeck config export`."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from .admin import NAME_RE, _log
from .config import ServiceConfig, service_dict
from .errors import UserError
from .models import MappingStatus
from .store import Store

NEW_SERVICE_KEYS = ("name", "source", "destination", "schedule", "cooldown_minutes",
                    "stream_name", "stream_key", "pull_path", "push_create")  # fmt: skip
_STREAM_KEYS = {"name": "stream_name", "key": "stream_key", "pull": "pull_path",
                "push": "push_create"}  # fmt: skip


def check_new_service(
    values: dict[str, str], services: list[str], connectors: list[str]
) -> tuple[dict[str, Any] | None, dict[str, str]]:
    """Validate an add-service form. Returns (config dict or None, {form key: message})."""
    v = {k: values.get(k, "").strip() for k in NEW_SERVICE_KEYS}
    errors: dict[str, str] = {}
    if not v["name"]:
        errors["name"] = "required"
    elif not NAME_RE.match(v["name"]):
        errors["name"] = "use letters, digits, '-', '_' or '.' (at most 63)"
    elif v["name"] in services:
        errors["name"] = f"a service named '{v['name']}' already exists"
    known = ", ".join(sorted(connectors)) or "none yet"
    for role in ("source", "destination"):
        if not v[role]:
            errors[role] = f"required (one of: {known})"
        elif v[role] not in connectors:
            errors[role] = f"unknown connector '{v[role]}' (known: {known})"
    try:
        cooldown = int(v["cooldown_minutes"] or "60")
    except ValueError:
        errors["cooldown_minutes"] = f"'{v['cooldown_minutes']}' is not a whole number of minutes"
        cooldown = 60
    stream: dict[str, Any] = {"name": v["stream_name"], "key": v["stream_key"] or "id",
                              "pull": {"path": v["pull_path"]}}  # fmt: skip
    if v["push_create"]:
        stream["push"] = {"create": v["push_create"]}
    data: dict[str, Any] = {"source": v["source"], "destination": v["destination"],
                            "cooldown_minutes": cooldown, "streams": [stream]}  # fmt: skip
    if v["schedule"]:
        data["schedule"] = " ".join(v["schedule"].split())
    for key in ("stream_name", "pull_path"):
        if not v[key]:
            errors[key] = "required"
    try:
        cfg = ServiceConfig.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = [str(p) for p in err["loc"]]
            key = loc[0] if loc else "_"
            if key == "streams" and len(loc) > 2:
                key = _STREAM_KEYS.get(loc[2], "_")
            errors.setdefault(key, str(err["msg"]).removeprefix("Value error, "))
        return None, errors
    return (None if errors else service_dict(cfg)), errors


async def add_service(store: Store, values: dict[str, str]) -> str:
    services = [s.name for s in await store.list_services()]
    connectors = [c.name for c in await store.list_connectors()]
    data, errors = check_new_service(values, services, connectors)
    if data is None:
        key, msg = next(iter(errors.items()))
        raise UserError(f"{key}: {msg}.", "Correct the field; nothing was saved.")
    name = values["name"].strip()
    sid = await store.upsert_service(
        name, source_id=await store.connector_id(data["source"]),
        destination_id=await store.connector_id(data["destination"]),
        schedule=data.get("schedule"), enabled=data["enabled"],
        cooldown_minutes=data["cooldown_minutes"], capture_payloads=data["capture_payloads"],
        config=data,
    )  # fmt: skip
    await store.push_undo(f"add service {name}", {"kind": "service_add", "name": name}, sid)
    await _log(store, f"Service {name} added", f"{data['source']} > {data['destination']}.",
               service_id=sid)  # fmt: skip
    return name


async def delete_service(store: Store, name: str) -> str:
    """Delete a service (runs and logs stay as history); undo re-creates it from its config."""
    from .config_io import current

    cfg = await current(store)
    svc = cfg.services.get(name)
    if svc is None:
        await store.service_id(name)  # NotFound with the known names
        raise UserError(f"No service named '{name}'.", "Pick one from the list.")
    await store.delete_service(name)
    await store.push_undo(f"delete service {name}", {"kind": "service_delete", "name": name,
                          "config": service_dict(svc)}, None)  # fmt: skip
    await _log(store, f"Service {name} deleted", f"{svc.source} > {svc.destination}.")
    return name


async def undo(store: Store, entry: dict[str, Any]) -> bool:
    """Undo an add or a delete of a service; False when the entry is not one of those."""
    if entry["kind"] == "service_add":
        await store.delete_service(entry["name"])
        return True
    if entry["kind"] == "service_delete":
        svc = ServiceConfig.model_validate(entry["config"])
        sid = await store.upsert_service(
            entry["name"], source_id=await store.connector_id(svc.source),
            destination_id=await store.connector_id(svc.destination), schedule=svc.schedule,
            enabled=svc.enabled, cooldown_minutes=svc.cooldown_minutes,
            capture_payloads=svc.capture_payloads, config=service_dict(svc),
        )  # fmt: skip
        for lookup, table in svc.lookups.items():
            if table:
                rows = [(k, v, MappingStatus.MAPPED.value) for k, v in table.items()]
                await store.set_value_mappings(sid, lookup, rows)
        return True
    return False

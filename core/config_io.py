"""Config in and out of the store: import (all-or-nothing), export (round-trips), validate.

Import validates everything (syntax, keys, references, that every env: variable is set) before
the first write; the store keeps connectors and services as config dicts holding env:
references, the lookup tables as mapped value mappings, and the raw TOML file.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from .config import (
    ConnectorConfig,
    ServiceConfig,
    SyncConfig,
    check_secrets,
    config_from_dict,
    connector_dict,
    load_config,
    service_dict,
)
from .models import MappingStatus
from .store import Store


def validate_file(
    path: str | os.PathLike[str], environ: dict[str, str] | None = None
) -> SyncConfig:
    cfg, _ = load_config(path)
    check_secrets(cfg, str(path), environ)
    return cfg


async def import_file(
    store: Store, path: str | os.PathLike[str], environ: dict[str, str] | None = None
) -> SyncConfig:
    cfg, text = load_config(path)
    check_secrets(cfg, str(path), environ)
    await apply(store, cfg, text, str(Path(path).resolve()))
    return cfg


async def apply(store: Store, cfg: SyncConfig, text: str, source: str = "") -> None:
    ids: dict[str, int] = {}
    for name, conn in cfg.connectors.items():
        ids[name] = await store.upsert_connector(
            name, base_url=conn.base_url, preset=conn.preset, config=connector_dict(conn)
        )
    for name, svc in cfg.services.items():
        sid = await store.upsert_service(
            name,
            source_id=ids[svc.source],
            destination_id=ids[svc.destination],
            schedule=svc.schedule,
            enabled=svc.enabled,
            cooldown_minutes=svc.cooldown_minutes,
            capture_payloads=svc.capture_payloads,
            config=service_dict(svc),
        )
        for lookup, table in svc.lookups.items():
            if table:
                await store.set_value_mappings(
                    sid, lookup, [(k, v, MappingStatus.MAPPED.value) for k, v in table.items()]
                )
    await store.save_config_file(text, source)


async def current(store: Store) -> SyncConfig:
    """The configuration as the store holds it now (lookups include the console's edits)."""
    data: dict[str, Any] = {"connectors": {}, "services": {}}
    for c in await store.list_connectors():
        data["connectors"][c.name] = await store.connector_config(c.name)
    for s in await store.list_services():
        svc = await store.service_config(s.name)
        svc.update(
            source=s.source,
            destination=s.destination,
            enabled=s.enabled,
            cooldown_minutes=s.cooldown_minutes,
            capture_payloads=s.capture_payloads,
        )
        if s.schedule is not None:
            svc["schedule"] = s.schedule
        lookups = svc.setdefault("lookups", {})
        for name in list(lookups):
            for vm in await store.list_value_mappings(s.id, name, status="mapped"):
                if vm.destination_value is not None:
                    lookups[name][vm.source_value] = vm.destination_value
        data["services"][s.name] = svc
    return config_from_dict(data, "the store")


async def export_text(store: Store) -> str:
    cfg = await current(store)
    return to_toml(cfg)


# ---- a small TOML writer (the standard library only reads TOML) -------------------------------

_BARE = re.compile(r"^[A-Za-z0-9_-]+$")


def _key(k: str) -> str:
    return k if _BARE.match(k) else json.dumps(k)


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(f"cannot write {type(v).__name__} as TOML")


def _table(lines: list[str], header: str, data: dict[str, Any], *, array: bool = False) -> None:
    lines.append("")
    lines.append(f"[[{header}]]" if array else f"[{header}]")
    nested: list[tuple[str, Any]] = []
    for k, v in data.items():
        if v is None:
            continue
        if k in ("fields", "lookups", "streams"):
            nested.append((k, v))
        else:
            lines.append(f"{_key(k)} = {_value(v)}")
    for k, v in nested:
        if k == "streams":
            for s in v:
                _table(lines, f"{header}.streams", s, array=True)
        elif k == "lookups":
            for name, table in v.items():
                _table(lines, f"{header}.lookups.{_key(name)}", table)
        elif v:
            _table(lines, f"{header}.{k}", v)


def _lean(model: ConnectorConfig | ServiceConfig) -> dict[str, Any]:
    return model.model_dump(mode="json", by_alias=True, exclude_none=True, exclude_defaults=True)


def to_toml(cfg: SyncConfig) -> str:
    lines = ["# Exported by syncdeck. Secrets are env:NAME references, never values."]
    for name, conn in cfg.connectors.items():
        d = _lean(conn)
        d.setdefault("base_url", conn.base_url)
        if conn.auth.type != "none":
            d["auth"] = conn.auth.model_dump(mode="json", exclude_none=True)
        _table(lines, f"connectors.{_key(name)}", d)
    for name, svc in cfg.services.items():
        d = _lean(svc)
        d["source"], d["destination"] = svc.source, svc.destination
        d["streams"] = [
            {
                **s.model_dump(
                    mode="json", by_alias=True, exclude_none=True, exclude_defaults=True
                ),
                "name": s.name,
                "pull": _pull(s),
            }
            for s in svc.streams
        ]
        if svc.lookups:
            d["lookups"] = svc.lookups
        _table(lines, f"services.{_key(name)}", d)
    return "\n".join(lines).lstrip("\n") + "\n"


def _pull(stream: Any) -> dict[str, Any]:
    d = stream.pull.model_dump(mode="json", by_alias=True, exclude_none=True, exclude_defaults=True)
    d["path"] = stream.pull.path
    d["paginator"] = stream.pull.paginator.model_dump(mode="json", exclude_defaults=True) | {
        "type": stream.pull.paginator.type
    }
    return d

"""Admin edits from the console: add / edit / reconnect a connector, edit a service's settings,
undo the last change. Everything is validated by the pydantic models of core/config.py before
anything is written, and written to the stored config that `syncdeck config export` prints.

A form is a flat dict of strings (what the user typed); `check_*` return the config dict and the
errors by form key, so the console can validate as the user types and show them inline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from .config import SECRET_FIELDS, ConnectorConfig, ServiceConfig
from .connectors.presets import PRESETS
from .errors import UserError
from .models import LogKind, LogLevel
from .secrets import describe, is_reference, keep
from .store import LogRow, Store
from .timeutil import now

NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$")
AUTH_FIELDS: dict[str, tuple[str, ...]] = {
    "none": (),
    "bearer": ("token",),
    "api_key": ("name", "api_key", "location"),
    "http_basic": ("username", "password"),
}
AUTH_TYPES = tuple(AUTH_FIELDS)
PLACEHOLDER = "secret:placeholder"


@dataclass(frozen=True)
class FormField:
    key: str  # form key: name, preset, base_url, auth_type, auth.token, cred.site...
    label: str
    secret: bool = False
    help: str = ""
    shown: str = ""  # for a secret when editing: "from env:NAME" / "stored"


# ---- connector forms -------------------------------------------------------------------------


def kept_auth(values: dict[str, str], existing: dict[str, Any] | None) -> dict[str, Any] | None:
    """The stored auth the form cannot edit (a type it does not know, such as several static
    headers, or auth beside a preset's credentials): kept as it is and shown read-only."""
    auth = (existing or {}).get("auth") or {}
    kind = auth.get("type", "none")
    if kind == "none":
        return None
    preset = values.get("preset", (existing or {}).get("preset") or "").strip()
    if kind not in AUTH_FIELDS or preset in PRESETS:
        return auth
    return None


def kept_auth_text(auth: dict[str, Any]) -> str:
    """'headers: UserName, Secret, ApiIntegrationCode (edit in the TOML)': names, never values."""
    names: list[str] = []
    for k, v in auth.items():
        if k != "type":
            names.extend(v) if isinstance(v, dict) else names.append(k)
    return f"{auth.get('type', '?')}: {', '.join(names) or 'no fields'} (edit in the TOML)"


def connector_fields(values: dict[str, str], existing: dict[str, Any] | None) -> list[FormField]:
    """The fields of the form for the chosen preset / auth type (secrets masked)."""
    preset = values.get("preset", "").strip()
    auth_type = values.get("auth_type", "none").strip() or "none"
    out = [
        FormField("name", "Name", help="letters, digits, - _ ."),
        FormField("preset", "Preset", help=", ".join(sorted(PRESETS)) + " or empty"),
        FormField("base_url", "Base URL", help="https://... (empty: the preset's)"),
    ]
    old_creds = (existing or {}).get("credentials", {})
    old_auth = (existing or {}).get("auth", {})
    kept = kept_auth(values, existing)
    if kept is not None:
        out.append(FormField("auth_kept", "Auth", help="read-only here: edit in the TOML"))
    if preset in PRESETS:
        for c in PRESETS[preset].credentials:
            shown = describe(old_creds.get(c.key)) if c.secret and existing else ""
            out.append(FormField(f"cred.{c.key}", c.key, c.secret, c.help, shown))
        return out
    if kept is not None:
        return out
    out.append(FormField("auth_type", "Auth", help=" / ".join(AUTH_TYPES)))
    for key in AUTH_FIELDS.get(auth_type, ()):
        secret = key in SECRET_FIELDS
        shown = describe(old_auth.get(key)) if secret and existing else ""
        hint = {"location": "header or query", "name": "header name (X-API-Key)"}.get(key, "")
        out.append(FormField(f"auth.{key}", key, secret, hint or "env:NAME or the value", shown))
    return out


def form_values(name: str, data: dict[str, Any]) -> dict[str, str]:
    """A stored connector as form values; secrets are left empty (empty keeps them)."""
    out = {"name": name, "preset": data.get("preset") or "", "base_url": data.get("base_url", "")}
    auth = data.get("auth", {})
    out["auth_type"] = auth.get("type", "none")
    kept = kept_auth(out, data)
    if kept is not None:
        out["auth_kept"] = kept_auth_text(kept)
    for key, value in auth.items():
        if kept is None and key != "type" and key not in SECRET_FIELDS:
            out[f"auth.{key}"] = str(value)
    preset = PRESETS.get(out["preset"])
    for key, value in data.get("credentials", {}).items():
        secret = preset is not None and any(c.key == key and c.secret for c in preset.credentials)
        if not secret:
            out[f"cred.{key}"] = str(value)
    return out


def auth_summary(data: dict[str, Any]) -> str:
    auth = data.get("auth", {})
    preset = PRESETS.get(data.get("preset") or "")
    secret_creds = {c.key for c in preset.credentials if c.secret} if preset else set()
    parts = [auth["type"]] if auth.get("type", "none") != "none" else []
    for k, v in auth.items():
        if k == "type":
            continue
        if isinstance(v, dict):  # several headers: each shown like a secret when it is one
            v = ", ".join(f"{h}={describe(x) if is_reference(x) else x}" for h, x in v.items())
        elif k in SECRET_FIELDS or is_reference(v):
            v = describe(v)
        parts.append(f"{k}: {v}")
    for k, v in data.get("credentials", {}).items():
        parts.append(f"{k}: {describe(v) if k in secret_creds else v}")
    return " · ".join(parts) or "none"


def _field_of(exc: ValidationError) -> dict[str, str]:
    errors: dict[str, str] = {}
    for err in exc.errors():
        loc = [str(p) for p in err["loc"] if str(p) not in AUTH_TYPES]
        msg = str(err["msg"]).removeprefix("Value error, ")
        if err["type"] == "missing":
            msg = "required"
        key = "_"
        if loc and loc[0] == "base_url":
            key = "base_url"
        elif loc and loc[0] == "auth":
            key = f"auth.{loc[1]}" if len(loc) > 1 else "auth_type"
        elif m := re.search(r"credentials[.\s]+'?(\w+)", msg):
            key = f"cred.{m.group(1)}"
        elif "preset" in msg:
            key = "preset"
        elif "base_url" in msg:
            key = "base_url"
        errors.setdefault(key, msg)
    return errors


def build_connector(
    values: dict[str, str], existing: dict[str, Any] | None
) -> tuple[dict[str, Any], dict[str, str]]:
    """Form values -> a connector config dict with secret placeholders for typed secrets, and
    {form key: typed secret} of the secrets to keep once the form is valid."""
    preset = values.get("preset", "").strip() or None
    data: dict[str, Any] = {}
    typed: dict[str, str] = {}
    if values.get("base_url", "").strip():
        data["base_url"] = values["base_url"].strip()
    if preset:
        data["preset"] = preset
    old = existing or {}
    for key in ("headers", "rate_limit", "retry", "timeout"):
        if key in old:
            data[key] = old[key]
    fields = connector_fields(values, existing)
    kept = kept_auth(values, existing)
    if kept is not None:
        data["auth"] = kept
    if preset in PRESETS:
        creds: dict[str, str] = {}
        for f in fields:
            if not f.key.startswith("cred."):
                continue
            k = f.key[5:]
            v = values.get(f.key, "").strip()
            if f.secret and not v:
                v = old.get("credentials", {}).get(k, "")
            elif f.secret and not v.startswith("env:"):
                typed[f.key] = v
                v = PLACEHOLDER
            if v:
                creds[k] = v
        if creds:
            data["credentials"] = creds
    elif kept is None:
        auth: dict[str, Any] = {"type": values.get("auth_type", "none").strip() or "none"}
        old_auth = old.get("auth", {}) if old.get("auth", {}).get("type") == auth["type"] else {}
        for f in fields:
            if not f.key.startswith("auth."):
                continue
            k = f.key[5:]
            v = values.get(f.key, "").strip()
            if f.secret and not v:
                v = old_auth.get(k, "")
            elif f.secret and not v.startswith("env:"):
                typed[f.key] = v
                v = PLACEHOLDER
            if v:
                auth[k] = v
        if auth["type"] != "none":
            data["auth"] = auth
    return data, typed


def check_connector(
    values: dict[str, str],
    names: list[str],
    *,
    editing: str | None = None,
    existing: dict[str, Any] | None = None,
) -> tuple[dict[str, Any] | None, dict[str, str]]:
    """Validate a connector form. Returns (config dict or None, {form key: message})."""
    errors: dict[str, str] = {}
    name = values.get("name", "").strip()
    if editing is None:
        if not name:
            errors["name"] = "required"
        elif not NAME_RE.match(name):
            errors["name"] = "use letters, digits, '-', '_' or '.' (at most 63)"
        elif name in names:
            errors["name"] = f"a connector named '{name}' already exists"
    preset = values.get("preset", "").strip()
    if preset and preset not in PRESETS:
        errors["preset"] = f"unknown preset '{preset}' (known: {', '.join(sorted(PRESETS))})"
    auth_type = values.get("auth_type", "none").strip() or "none"
    kept = kept_auth(values, existing)
    if not preset and kept is None and auth_type not in AUTH_FIELDS:
        errors["auth_type"] = f"unknown auth '{auth_type}' (one of {', '.join(AUTH_TYPES)})"
    if errors.get("preset") or errors.get("auth_type"):
        return None, errors
    data, _ = build_connector(values, existing)
    for f in connector_fields(values, existing):
        kept = f.shown.startswith(("from", "stored"))
        if f.secret and not values.get(f.key, "").strip() and not kept:
            needed = f.key.startswith("auth.") or (
                preset in PRESETS
                and any(c.key == f.key[5:] and c.required for c in PRESETS[preset].credentials)
            )
            if needed and f.key != "auth.password" and kept is None:
                errors.setdefault(f.key, "required (env:NAME or the value)")
    try:
        validated(data, existing)
    except ValidationError as exc:
        for key, msg in _field_of(exc).items():
            errors.setdefault(key, msg)
    return (None if errors else data), errors


def validated(data: dict[str, Any], existing: dict[str, Any] | None) -> ConnectorConfig:
    """Validate what the form edits. Parts carried over untouched from the stored connector
    (auth of a type the model does not know, rate limits...) are not the form's to judge: one
    that does not validate on its own is left out of the check (a kept auth counts as set)."""
    check = dict(data)
    old = existing or {}
    stand_in = False
    for key in ("auth", "headers", "rate_limit", "retry", "timeout"):
        if key not in check or check[key] != old.get(key):
            continue
        try:
            ConnectorConfig.model_validate({"base_url": "http://x", key: check[key]})
        except ValidationError:
            if key == "auth":
                check[key] = {"type": "bearer", "token": "env:KEPT_AUTH"}
                stand_in = True
            else:
                del check[key]
    try:
        return ConnectorConfig.model_validate(check)
    except ValidationError as exc:
        if not stand_in or any("needs credentials" not in e["msg"] for e in exc.errors()):
            raise
    # an auth the model does not know (headers) carries what the preset's credentials would
    rest = {k: v for k, v in check.items() if k not in ("preset", "credentials")}
    return ConnectorConfig.model_validate(rest).model_copy(update={"preset": check.get("preset")})


async def _log(store: Store, title: str, details: str, **ids: int | None) -> None:
    await store.add_log(
        LogRow(ts=now(), level=LogLevel.INFO.value, kind=LogKind.EVENT.value, title=title,
               details=details, **ids)  # type: ignore[arg-type]
    )  # fmt: skip


def _keep_secrets(name: str, data: dict[str, Any], typed: dict[str, str]) -> dict[str, Any]:
    for form_key, value in typed.items():
        where, key = form_key.split(".", 1)
        table = "credentials" if where == "cred" else "auth"
        data[table][key] = keep(name, key, value)
    return data


async def _names(store: Store) -> list[str]:
    return [c.name for c in await store.list_connectors()]


async def add_connector(store: Store, values: dict[str, str]) -> str:
    data, errors = check_connector(values, await _names(store))
    if data is None:
        key, msg = next(iter(errors.items()))
        raise UserError(f"{key}: {msg}.", "Correct the field; nothing was saved.")
    name = values["name"].strip()
    _, typed = build_connector(values, None)
    data = _keep_secrets(name, data, typed)
    cfg = ConnectorConfig.model_validate(data)
    cid = await store.upsert_connector(name, base_url=cfg.base_url, preset=cfg.preset, config=data)
    await store.push_undo(f"add connector {name}", {"kind": "connector", "name": name,
                                                    "before": None}, None)  # fmt: skip
    await _log(store, f"Connector {name} added", f"Base URL {cfg.base_url}.", connector_id=cid)
    return name


async def edit_connector(store: Store, name: str, values: dict[str, str]) -> str:
    before = await store.connector_config(name)
    await store.connector_id(name)
    data, errors = check_connector(values, await _names(store), editing=name, existing=before)
    if data is None:
        key, msg = next(iter(errors.items()))
        raise UserError(f"{key}: {msg}.", "Correct the field; nothing was saved.")
    from .admin_undo import connector_status

    _, typed = build_connector(values, before)
    data = _keep_secrets(name, data, typed)
    cfg = validated(data, before)
    status = await connector_status(store, name)
    cid = await store.upsert_connector(name, base_url=cfg.base_url, preset=cfg.preset, config=data)
    await store.push_undo(f"edit connector {name}", {"kind": "connector", "name": name,
                          "before": before, "status": status}, None)  # fmt: skip
    await _log(store, f"Connector {name} edited", f"Base URL {cfg.base_url}.", connector_id=cid)
    return name


def secret_fields(data: dict[str, Any]) -> list[FormField]:
    """The secret fields a reconnect asks for, with how each is set now."""
    preset = data.get("preset")
    if preset in PRESETS and data.get("auth", {}).get("type", "none") == "none":
        creds = data.get("credentials", {})
        return [
            FormField(c.key, c.key, True, c.help, describe(creds.get(c.key)))
            for c in PRESETS[preset].credentials
            if c.secret
        ]
    auth = data.get("auth", {})
    return [
        FormField(k, k, True, "env:NAME or the value", describe(auth.get(k)))
        for k in AUTH_FIELDS.get(auth.get("type", "none"), ())
        if k in SECRET_FIELDS
    ]


async def reconnect(store: Store, name: str, values: dict[str, str]) -> list[str]:
    """New secrets for a connector; its services are kept as they are."""
    from .actions import reconnect_connector
    from .admin_undo import connector_status

    before = await store.connector_config(name)
    given = {k: v.strip() for k, v in values.items() if v.strip()}
    if not given:
        raise UserError("Nothing to change: type at least one new secret.", "Or escape.")
    refs = {k: keep(name, k, v) for k, v in given.items()}
    status = await connector_status(store, name)
    changed = await reconnect_connector(store, name, refs)
    await store.push_undo(f"reconnect {name}", {"kind": "connector", "name": name,
                          "before": before, "status": status}, None)  # fmt: skip
    return changed


# ---- service settings ------------------------------------------------------------------------


SERVICE_KEYS = ("schedule", "cooldown_minutes", "capture_payloads")


def service_values(svc_data: dict[str, Any]) -> dict[str, str]:
    return {
        "schedule": svc_data.get("schedule") or "",
        "cooldown_minutes": str(svc_data.get("cooldown_minutes", 60)),
        "capture_payloads": "yes" if svc_data.get("capture_payloads") else "no",
        "filters": "; ".join(svc_data.get("filters", [])),
    }


def check_service(
    data: dict[str, Any], values: dict[str, str]
) -> tuple[dict[str, Any] | None, dict[str, str]]:
    errors: dict[str, str] = {}
    new = dict(data)
    schedule = " ".join(values.get("schedule", "").split())
    if schedule:
        new["schedule"] = schedule
    else:
        new.pop("schedule", None)
    raw = values.get("cooldown_minutes", "").strip() or "0"
    try:
        new["cooldown_minutes"] = int(raw)
    except ValueError:
        errors["cooldown_minutes"] = f"'{raw}' is not a whole number of minutes"
    cap = values.get("capture_payloads", "no").strip().lower()
    if cap not in ("yes", "no", "true", "false", "on", "off"):
        errors["capture_payloads"] = "yes or no"
    new["capture_payloads"] = cap in ("yes", "true", "on")
    filters = [f.strip() for f in values.get("filters", "").split(";") if f.strip()]
    if filters:
        new["filters"] = filters
    else:
        new.pop("filters", None)
    if errors:
        return None, errors
    try:
        ServiceConfig.model_validate(new)
    except ValidationError as exc:
        for err in exc.errors():
            key = str(err["loc"][0]) if err["loc"] else "_"
            errors.setdefault(key, str(err["msg"]).removeprefix("Value error, "))
    return (None if errors else new), errors


async def service_row_state(store: Store, name: str) -> dict[str, Any]:
    svc = await store.get_service(name)
    return {
        "config": await store.service_config(name), "schedule": svc.schedule,
        "enabled": svc.enabled, "cooldown_minutes": svc.cooldown_minutes,
        "capture_payloads": svc.capture_payloads,
    }  # fmt: skip


async def save_service(store: Store, name: str, state: dict[str, Any]) -> int:
    svc = await store.get_service(name)
    return await store.upsert_service(
        name,
        source_id=await store.connector_id(svc.source),
        destination_id=await store.connector_id(svc.destination),
        schedule=state["schedule"],
        enabled=state["enabled"],
        cooldown_minutes=state["cooldown_minutes"],
        capture_payloads=state["capture_payloads"],
        config=state["config"],
    )


async def edit_service(store: Store, name: str, values: dict[str, str]) -> str:
    before = await service_row_state(store, name)
    data = dict(before["config"])
    data.update(schedule=before["schedule"], cooldown_minutes=before["cooldown_minutes"],
                capture_payloads=before["capture_payloads"], enabled=before["enabled"])  # fmt: skip
    new, errors = check_service(data, values)
    if new is None:
        key, msg = next(iter(errors.items()))
        raise UserError(f"{key}: {msg}.", "Correct the field; nothing was saved.")
    state = {**before, "config": new, "schedule": new.get("schedule"),
             "cooldown_minutes": new["cooldown_minutes"],
             "capture_payloads": new["capture_payloads"]}  # fmt: skip
    sid = await save_service(store, name, state)
    await store.push_undo(f"edit service {name}", {"kind": "service", "name": name,
                                                   "before": before}, sid)  # fmt: skip
    await _log(store, f"Service {name} edited", f"Schedule {state['schedule'] or 'none'}, "
               f"cooldown {state['cooldown_minutes']} min.", service_id=sid)  # fmt: skip
    return name

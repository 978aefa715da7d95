"""Saving a connector tests it first (ConnectWise): a connector whose test fails is not saved
unless forced, with ConnectWise's words. The form's values are tested as they would be saved
(typed secrets used as typed, never written anywhere by the test)."""

from __future__ import annotations

from typing import Any

import httpx
from pydantic import ValidationError

from . import admin
from .actions import ConnectionCheck, _probe_path, probe
from .config import ConnectorConfig
from .connectors.presets import test_path
from .errors import UserError
from .store import Store

NOT_ESTABLISHED = "Connection was not established. Please validate settings information."


class ConnectionNotEstablished(UserError):
    """The pre-save test failed: nothing was saved (exit 1 from the CLI, like a failed test)."""

    exit_code = 1

    def __init__(self, check: ConnectionCheck) -> None:
        self.check = check
        why = f"GET {check.url}: {check.reason or 'no answer'}."
        super().__init__(NOT_ESTABLISHED, f"{why} {check.hint}".strip())


def config_to_test(
    values: dict[str, str], existing: dict[str, Any] | None, names: list[str], editing: str | None
) -> ConnectorConfig | None:
    """The connector the form would save, with typed secrets in place (None: the form has
    field errors, which the save itself reports)."""
    data, errors = admin.check_connector(values, names, editing=editing, existing=existing)
    if data is None or errors:
        return None
    _, typed = admin.build_connector(values, existing)
    try:  # validated with the placeholders: a preset refuses a secret written as a value
        cfg = ConnectorConfig.model_validate(data)
    except ValidationError:
        cfg = admin.validated(data, existing)
    for form_key, value in typed.items():
        where, key = form_key.split(".", 1)
        if where == "cred":
            cfg.credentials[key] = value.strip()
        else:
            setattr(cfg.auth, key, value.strip())
    return cfg


async def check_before_save(
    store: Store,
    values: dict[str, str],
    *,
    editing: str | None = None,
    environ: dict[str, str] | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> ConnectionCheck | None:
    """Test the connector as the form would save it. None when the form is not valid yet."""
    existing = await store.connector_config(editing) if editing else None
    names = [c.name for c in await store.list_connectors()]
    cfg = config_to_test(values, existing, names, editing)
    if cfg is None:
        return None
    name = editing or values.get("name", "").strip()
    path = await _probe_path(store, editing, cfg) if editing else (test_path(cfg) or "/")
    try:
        check = await probe(name, cfg, path, environ=environ, transport=transport)
    except UserError as exc:  # a credential that cannot be resolved here
        return ConnectionCheck(name, False, None, 0, cfg.base_url, exc.message)
    if path == "/" and check.status_code in (404, 405):  # the host answered; no test path
        check.ok, check.reason, check.trouble = True, "", None
    return check


async def save_connector(
    store: Store,
    values: dict[str, str],
    *,
    editing: str | None = None,
    force: bool = False,
    environ: dict[str, str] | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> str:
    """Add (or edit) a connector after a passing test; a failing test raises
    ConnectionNotEstablished and nothing is saved, unless `force`."""
    from .actions import record_check

    check = None
    if not force:
        check = await check_before_save(store, values, editing=editing, environ=environ,
                                        transport=transport)  # fmt: skip
        if check is not None and not check.ok:
            raise ConnectionNotEstablished(check)
    if editing:
        name = await admin.edit_connector(store, editing, values)
    else:
        name = await admin.add_connector(store, values)
    if check is not None:
        await record_check(store, await store.connector_id(name), check)
    return name


async def check_file_connectors(
    path: str, *, environ: dict[str, str] | None = None
) -> list[ConnectionCheck]:
    """`config import FILE --test`: each connector of the file tested as it would be stored
    (its test path, else the path its first service pulls, else `/`); nothing is written."""
    from .config_io import validate_file

    cfg = validate_file(path, environ)
    out = []
    for name, conn in cfg.connectors.items():
        pulls = [s.pull.path for svc in cfg.services.values() if svc.source == name
                 for s in svc.streams if s.pull.path]  # fmt: skip
        path_ = test_path(conn) or (pulls[0] if pulls else "/")
        try:
            check = await probe(name, conn, path_, environ=environ)
        except UserError as exc:
            check = ConnectionCheck(name, False, None, 0, conn.base_url, exc.message)
        if path_ == "/" and check.status_code in (404, 405):
            check.ok, check.reason, check.trouble = True, "", None
        out.append(check)
    return out

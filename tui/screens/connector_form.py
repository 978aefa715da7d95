"""Add or edit a connector: fields follow the preset (its credentials) or the auth type; secret
fields are masked and show how they are set now ("from env:NAME" / "stored"), never the value.
Reconnect is the same form with the secret fields only."""

from __future__ import annotations

from typing import Any

from textual.binding import Binding

from core.connector_check import ConnectionNotEstablished
from core.console_api import ConsoleAPI

from ..widgets.form_field import FormField
from .form_base import FormModal, Spec

PRESET_NAMES = ["autotask", "chargebee", "connectwise", "hubspot", "json_server",
                "json_server_0_17", "shopify"]  # fmt: skip
AUTH_NAMES = ["none", "bearer", "api_key", "http_basic"]


def secret_placeholder(shown: str) -> str:
    if shown and shown != "not set":
        return f"{shown}: empty keeps it; env:NAME or a new value replaces it"
    return "env:NAME, or the value (kept in the 0600 secrets file)"


class ConnectorForm(FormModal):
    """Saving tests the connection first; a failed test refuses the save with ConnectWise's
    words, and ctrl+f saves anyway (forced)."""

    BINDINGS = [Binding("ctrl+f", "force_save", "Save anyway", id="form.force_save")]
    footer_text = ("enter or ctrl+s: test and save · ctrl+f: save without a passing test · "
                   "escape: cancel · tab: next field")  # fmt: skip

    def __init__(
        self,
        api: ConsoleAPI,
        names: list[str],
        *,
        editing: str | None = None,
        existing: dict[str, Any] | None = None,
    ) -> None:
        super().__init__()
        self.api = api
        self.names = names
        self.editing = editing
        self.existing = existing
        self.title_text = f"Edit connector {editing}" if editing else "Add a connector"
        self.force = False
        if editing and existing is not None:
            self.values.update(api.connector_form_values(editing, existing))
        else:
            self.values.update({"preset": "", "auth_type": "none"})

    def relayout_keys(self) -> set[str]:
        return {"preset", "auth_type"}

    def specs(self) -> list[Spec]:
        out = []
        for f in self.api.connector_form_fields(self.values, self.existing):
            sugg = {"preset": PRESET_NAMES, "auth_type": AUTH_NAMES}.get(f.key, [])
            out.append(
                Spec(
                    f.key,
                    f.label,
                    self.values.get(f.key, ""),
                    help=f.help,
                    password=f.secret,
                    placeholder=secret_placeholder(f.shown) if f.secret else "",
                    suggestions=sugg,
                    disabled=(f.key == "name" and self.editing is not None) or f.key == "auth_kept",
                )  # fmt: skip
            )
        return out

    async def check(self, values: dict[str, str]) -> dict[str, str]:
        return self.api.check_connector_form(
            values, self.names, editing=self.editing, existing=self.existing
        )

    def action_force_save(self) -> None:
        # A binding runs before the Input.Changed messages of keys typed just before it (a
        # burst): take the fields' values as shown, as enter (a message after them) would.
        for f in self.query(FormField):
            if not f.input.disabled:
                self.values[f.key] = f.input.value
        self.force = True
        self.action_save()

    async def save(self, values: dict[str, str]) -> str:
        force, self.force = self.force, False
        try:
            return await self.api.save_connector(values, editing=self.editing, force=force)
        except ConnectionNotEstablished as exc:
            exc.hint = f"ctrl+f saves it anyway. {exc.hint}".strip()
            raise


class ReconnectForm(FormModal):
    """New secrets for a connector; its services stay as they are."""

    def __init__(self, api: ConsoleAPI, name: str, fields: list[Any]) -> None:
        super().__init__()
        self.api = api
        self.connector = name
        self.fields = fields
        self.title_text = f"Reconnect {name}: new secrets (services are kept)"

    def specs(self) -> list[Spec]:
        return [
            Spec(
                f.key,
                f.label,
                "",
                help=f.help,
                password=True,
                placeholder=secret_placeholder(f.shown),
            )  # fmt: skip
            for f in self.fields
        ]

    async def check(self, values: dict[str, str]) -> dict[str, str]:
        errors = {}
        for key, value in values.items():
            v = value.strip()
            if v == "env:":
                errors[key] = "env: needs a variable name (env:CRM_TOKEN)"
        if not any(v.strip() for v in values.values()):
            errors["_"] = "type at least one new secret"
        return errors

    async def save(self, values: dict[str, str]) -> str:
        changed = await self.api.reconnect(self.connector, values)
        return ", ".join(changed)

"""The admin half of the console facade (mixed into ConsoleAPI): connector and service forms,
the mapping grid, value mappings, undo. The console reaches core/admin*.py only through here."""

from __future__ import annotations

from typing import Any

from . import admin, admin_mapping, admin_undo
from .errors import UserError
from .models import Service, ValueMapping
from .store import Store


class AdminAPI:
    store: Store
    read_only: bool

    def _writable(self, what: str) -> None:  # ConsoleAPI defines the same; kept for typing
        if self.read_only:
            raise UserError(f"{what} writes to the store, and read-only mode forbids it.",
                            "Open without --read-only.")  # fmt: skip

    # ---- connectors --------------------------------------------------------------------------

    async def connector_config(self, name: str) -> dict[str, Any]:
        await self.store.connector_id(name)
        return await self.store.connector_config(name)

    def connector_form_fields(
        self, values: dict[str, str], existing: dict[str, Any] | None
    ) -> list[admin.FormField]:
        return admin.connector_fields(values, existing)

    @staticmethod
    def auth_summary(data: dict[str, Any]) -> str:
        """'bearer · token: from env:CRM_TOKEN': secrets as "from env:NAME" or "stored"."""
        return admin.auth_summary(data)

    def connector_form_values(self, name: str, data: dict[str, Any]) -> dict[str, str]:
        return admin.form_values(name, data)

    def check_connector_form(
        self, values: dict[str, str], names: list[str], *, editing: str | None = None,
        existing: dict[str, Any] | None = None,
    ) -> dict[str, str]:  # fmt: skip
        """{form key: message}; empty when the form can be saved."""
        return admin.check_connector(values, names, editing=editing, existing=existing)[1]

    async def add_connector(self, values: dict[str, str]) -> str:
        self._writable("Adding a connector")
        return await admin.add_connector(self.store, values)

    async def edit_connector(self, name: str, values: dict[str, str]) -> str:
        self._writable("Editing a connector")
        return await admin.edit_connector(self.store, name, values)

    async def save_connector(
        self, values: dict[str, str], *, editing: str | None = None, force: bool = False
    ) -> str:
        """Test, then add or edit: a failing test refuses the save (ConnectionNotEstablished,
        ConnectWise's words) unless `force`."""
        from .connector_check import save_connector

        self._writable("Editing a connector" if editing else "Adding a connector")
        return await save_connector(self.store, values, editing=editing, force=force)

    async def secret_fields(self, name: str) -> list[admin.FormField]:
        return admin.secret_fields(await self.connector_config(name))

    async def reconnect(self, name: str, values: dict[str, str]) -> list[str]:
        """New secrets (env:NAME or values for the secrets file); services are kept."""
        self._writable("Reconnecting a connector")
        return await admin.reconnect(self.store, name, values)

    async def connector_services(self, name: str) -> list[Service]:
        from .actions import services_of

        return await services_of(self.store, name)

    # ---- services ----------------------------------------------------------------------------

    async def service_form_values(self, name: str) -> dict[str, str]:
        state = await admin.service_row_state(self.store, name)
        return admin.service_values({**state["config"], **state})

    async def check_service_form(self, name: str, values: dict[str, str]) -> dict[str, str]:
        state = await admin.service_row_state(self.store, name)
        return admin.check_service(dict(state["config"]), values)[1]

    async def edit_service(self, name: str, values: dict[str, str]) -> str:
        self._writable("Editing a service")
        return await admin.edit_service(self.store, name, values)

    async def check_new_service_form(self, values: dict[str, str]) -> dict[str, str]:
        from .admin_service import check_new_service

        services = [s.name for s in await self.store.list_services()]
        connectors = [c.name for c in await self.store.list_connectors()]
        return check_new_service(values, services, connectors)[1]

    async def add_service(self, values: dict[str, str]) -> str:
        from .admin_service import add_service

        self._writable("Adding a service")
        return await add_service(self.store, values)

    async def delete_service(self, name: str) -> str:
        from .admin_service import delete_service

        self._writable("Deleting a service")
        return await delete_service(self.store, name)

    @staticmethod
    def next_run(schedule: str | None, after: float) -> float | None:
        if not schedule:
            return None
        from .engine.cron import next_fire

        try:
            return next_fire(schedule, after)
        except (ValueError, KeyError):
            return None

    # ---- mappings ----------------------------------------------------------------------------

    async def mapping(self, service: str, stream: str | None = None) -> admin_mapping.MappingView:
        return await admin_mapping.mapping_view(self.store, service, stream)

    async def check_field_form(
        self, service: str, stream: str, old_dest: str | None, values: dict[str, str],
        record: dict[str, Any] | None, tables: dict[str, dict[str, str]],
    ) -> tuple[dict[str, str], tuple[Any, Any, str] | None]:  # fmt: skip
        """Errors by form key, and the preview (before, after, problem) of the edited field."""
        data = await self.store.service_config(service)
        _, spec, errors = admin_mapping.check_field(data, stream, old_dest, values)
        if spec is None:
            return errors, None
        return errors, admin_mapping.preview(spec, record, tables)

    async def set_field(
        self, service: str, stream: str, old_dest: str | None, values: dict[str, str]
    ) -> str:
        self._writable("Editing a field mapping")
        return await admin_mapping.set_field(self.store, service, stream, old_dest, values)

    async def value_rows(
        self, service: str, lookup: str, *, status: str | None = None
    ) -> list[ValueMapping]:
        return await admin_mapping.value_rows(self.store, service, lookup, status=status)

    async def bulk_map(self, service: str, lookup: str, sources: list[str], value: str) -> int:
        self._writable("Updating value mappings")
        return await admin_mapping.bulk_map(self.store, service, lookup, sources, value)

    async def value_choices(self, service: str, lookup: str) -> list[tuple[str, str]]:
        """The destination's values for a lookup; raises ChoicesError ("Response error")."""
        from .admin_choices import fetch_choices

        return await fetch_choices(self.store, service, lookup)

    async def undo_last(self) -> str:
        self._writable("Undoing a change")
        return await admin_undo.undo_last(self.store)

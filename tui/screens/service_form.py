"""Edit a service's settings: schedule (cron, checked as you type, with the next run shown),
cooldown between manual runs, payload capture, filters (which source records it takes)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from core.console_api import ConsoleAPI
from core.timeutil import local_minute, now

from .form_base import FormModal, Spec


class ServiceForm(FormModal):
    def __init__(self, api: ConsoleAPI, name: str, values: dict[str, str]) -> None:
        super().__init__()
        self.api = api
        self.service = name
        self.values.update(values)
        self.title_text = f"Edit service {name}"

    def specs(self) -> list[Spec]:
        return [
            Spec("schedule", "Schedule", help="cron, 5 fields (UTC); empty: manual only"),
            Spec("cooldown_minutes", "Cooldown", help="minutes between manual runs"),
            Spec(
                "capture_payloads", "Capture payloads", help="yes or no", suggestions=["yes", "no"]
            ),  # fmt: skip
            Spec(
                "filters",
                "Filters",
                help="records it takes, ; between filters: "
                "status = active; updated_at within 24h; type in a, b; total > 0",
            ),  # fmt: skip
        ]

    def extra(self) -> ComposeResult:
        yield Static("", id="next-run", markup=False)

    async def check(self, values: dict[str, str]) -> dict[str, str]:
        errors = await self.api.check_service_form(self.service, values)
        nxt = None if "schedule" in errors else self.api.next_run(values.get("schedule"), now())
        text = f"Next run: {local_minute(nxt)}" if nxt else "Next run: manual only"
        self.query_one("#next-run", Static).update("" if "schedule" in errors else text)
        return errors

    async def save(self, values: dict[str, str]) -> str:
        return await self.api.edit_service(self.service, values)


class NewServiceForm(FormModal):
    """Add a service: source, destination, schedule, cooldown and its first stream."""

    title_text = "Add a service"

    def __init__(self, api: ConsoleAPI, connectors: list[str]) -> None:
        super().__init__()
        self.api = api
        self.connectors = connectors
        self.values.update({"cooldown_minutes": "60", "stream_key": "id"})

    def specs(self) -> list[Spec]:
        names = ", ".join(self.connectors) or "add one on Connectors first"
        return [
            Spec("name", "Name", help="letters, digits, - _ ."),
            Spec("source", "Source", help=names, suggestions=self.connectors),
            Spec("destination", "Destination", help=names, suggestions=self.connectors),
            Spec("schedule", "Schedule", help="cron, 5 fields (UTC); empty: manual only"),
            Spec("cooldown_minutes", "Cooldown", help="minutes between manual runs"),
            Spec("stream_name", "Stream", help="the first stream's name (contacts)"),
            Spec("stream_key", "Key", help="the record's id field in the source"),
            Spec("pull_path", "Pull path", help="GET path on the source (/contacts)"),
            Spec("push_create", "Push create", help="METHOD /path (POST /accounts); empty: none"),
        ]

    async def check(self, values: dict[str, str]) -> dict[str, str]:
        return await self.api.check_new_service_form(values)

    async def save(self, values: dict[str, str]) -> str:
        return await self.api.add_service(values)

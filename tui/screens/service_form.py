"""Edit a service's settings: schedule (cron, checked as you type, with the next run shown),
cooldown between manual runs, payload capture."""

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

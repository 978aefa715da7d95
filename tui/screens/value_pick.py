"""Pick the destination value for selected value-mapping rows: a list fetched from the
destination where its preset knows how (typing filters it), or a typed value. A failed fetch
shows "Response error" and ctrl+r retries."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from core.console_api import ConsoleAPI
from core.errors import UserError
from core.text import clean, plural

from ..key_router import TypeAhead
from .dismiss_once import DismissOnce


class ValuePick(DismissOnce, TypeAhead, ModalScreen[str | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="pick.cancel"),
        Binding("ctrl+r", "retry", "Retry fetch", id="pick.retry"),
        Binding("down", "to_list", "List", show=False, id="pick.list"),
    ]

    def __init__(self, api: ConsoleAPI, service: str, lookup: str, count: int) -> None:
        super().__init__()
        self.api = api
        self.service = service
        self.lookup = lookup
        self.count = count
        self.choices: list[tuple[str, str]] = []
        self.state = "loading"

    def compose(self) -> ComposeResult:
        title = f"Map {plural(self.count, 'value')} of {self.lookup} to:"
        with Vertical(classes="modal-box pick-box"):
            yield Static(Text(clean(title, 80), style="bold"), markup=False)
            yield Input(placeholder="type a value, or pick one below", id="pick-value")
            yield Static("", id="pick-state", markup=False)
            yield OptionList(id="pick-list")
            yield Static(Text("enter: use the value · ↓: the list · ctrl+r: fetch again · "
                              "escape: cancel", style="dim"), markup=False)  # fmt: skip

    def on_mount(self) -> None:
        self.set_focus(self.query_one(Input))
        self.keys_ready()
        self.fetch()

    def fetch(self) -> None:
        self.state = "loading"
        self.show_state(Text(f"Loading {self.lookup} values from the destination…", style="dim"))
        self.run_worker(self._fetch, group="fetch", exclusive=True, exit_on_error=False)

    async def _fetch(self) -> None:
        try:
            self.choices = await self.api.value_choices(self.service, self.lookup)
        except UserError as exc:
            self.state = "error"
            text = Text(clean(exc.message, 300, single_line=True), style="bold #ff5f5f")
            text.append("  ctrl+r retries", style="bold")
            self.show_state(text)
            self.fill([])
            return
        self.state = "ok" if self.choices else "none"
        if self.choices:
            shown = plural(len(self.choices), "value")
            self.show_state(Text(f"{shown} from the destination", style="dim"))
        else:
            self.show_state(Text("The destination offers no list for this lookup: type the "
                                 "value.", style="dim"))  # fmt: skip
        self.fill(self.choices)

    def show_state(self, text: Text) -> None:
        self.query_one("#pick-state", Static).update(text)

    def fill(self, choices: list[tuple[str, str]]) -> None:
        typed = self.query_one(Input).value.strip().lower()
        opts = self.query_one(OptionList)
        opts.clear_options()
        for value, label in choices:
            if typed and typed not in value.lower() and typed not in label.lower():
                continue
            shown = Text(clean(value, 200, single_line=True), style="bold")  # from the API
            if label:
                shown.append(f"  {clean(label, 200, single_line=True)}", style="dim")
            opts.add_option(Option(shown, id=value))

    @on(Input.Changed, "#pick-value")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self.fill(self.choices)

    @on(Input.Submitted, "#pick-value")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value.strip()
        if value:
            self.dismiss(value)

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_to_list(self) -> None:
        opts = self.query_one(OptionList)
        if opts.option_count:
            opts.focus()
            opts.highlighted = 0

    def action_retry(self) -> None:
        self.fetch()

    def action_cancel(self) -> None:
        self.dismiss(None)

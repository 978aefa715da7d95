"""A one-line prompt for a filter (a date or range, an external account): enter applies,
an empty value clears the filter, escape leaves it as it was. Keys typed right after the key
that opened it reach the Input in order (TypeAhead)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from ..key_router import TypeAhead
from .dismiss_once import DismissOnce


class TextPrompt(DismissOnce, TypeAhead, ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt.cancel")]

    def __init__(self, title: str, hint: str, value: str = "", placeholder: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.hint = hint
        self.value = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box", classes="text-prompt"):
            yield Label(self.title_text, markup=False)
            yield Input(value=self.value, placeholder=self.placeholder, id="prompt-input")
            yield Label(self.hint, classes="hint", markup=False)

    def on_mount(self) -> None:
        field = next(self.query("#prompt-input").results(Input), None)
        if field is None:  # pushed while the app closes
            return
        self.set_focus(field)
        field.select_all()
        self.keys_ready()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)

"""A labelled input with its inline error line (forms validate as the user types)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, Static

from core.text import clean


def field_id(key: str) -> str:
    return "f-" + key.replace(".", "--")


class FormField(Vertical):
    """`key` is the form key (auth.token...); the Input's id is derived from it."""

    def __init__(
        self,
        key: str,
        label: str,
        value: str = "",
        *,
        help: str = "",
        password: bool = False,
        placeholder: str = "",
        suggestions: list[str] | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(classes="form-field")
        self.key = key
        self.label = label
        self.value = value
        self.help = help
        self.password = password
        self.placeholder = placeholder
        self.suggestions = suggestions
        self.input_disabled = disabled

    def compose(self) -> ComposeResult:
        label = Text(self.label, style="bold")
        if self.help:
            label.append(f"  {clean(self.help, 300, single_line=True)}", style="dim")
        yield Label(label, markup=False, classes="form-label")
        suggester = (
            SuggestFromList(self.suggestions, case_sensitive=True) if self.suggestions else None
        )
        yield Input(
            value=self.value, placeholder=self.placeholder, password=self.password,
            id=field_id(self.key), suggester=suggester, disabled=self.input_disabled,
        )  # fmt: skip
        yield Static("", classes="form-error", markup=False)

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    def set_error(self, message: str | None) -> None:
        err = self.query_one(".form-error", Static)
        err.update(Text(clean(message or "", 200, single_line=True)))
        err.display = bool(message)
        self.set_class(bool(message), "-invalid")

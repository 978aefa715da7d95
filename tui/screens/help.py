"""Every key of the screen it was opened from, with what it does."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from .dismiss_once import DismissOnce


class HelpScreen(DismissOnce, ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark", "close", "Close", id="help.close"),
    ]

    def __init__(self, title: str, keys: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.keys = keys

    def compose(self) -> ComposeResult:
        text = Text()
        text.append(f"Keys: {self.title_text}\n\n", style="bold")
        width = max((len(k) for k, _ in self.keys), default=4) + 2
        for key, description in self.keys:
            text.append(f"{key:<{width}}", style="bold #5fafff")
            text.append(description + "\n")
        text.append("\nescape closes this help · (ids) remap keys in [console.keys] of the "
                    "settings file", style="dim")  # fmt: skip
        with VerticalScroll(id="help-box"):
            yield Static(text, id="help-text", markup=False)

    def action_close(self) -> None:
        self.dismiss(None)

"""The export prompt: a path for the CSV, by default a file in the exports folder of the user data
folder (never the current directory), which the prompt names.

Keys typed right after `e` (a fast typist, a paste, a slow link delivering a burst) wait until
the Input is focused, then reach it in order (tui/key_router.py)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from ..export import exports_dir, shown_dir
from ..key_router import TypeAhead
from .dismiss_once import DismissOnce


class ExportPrompt(DismissOnce, TypeAhead, ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="export.cancel")]

    def __init__(self, default: str, what: str) -> None:
        super().__init__()
        self.default = default
        self.what = what

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box"):
            yield Label(f"Export {self.what} to CSV (all pages, current filters)", markup=False)
            yield Input(value=self.default, id="export-path")
            folder = shown_dir(exports_dir())
            yield Label(f"Into {folder} unless you give a folder; a name alone goes there too.",
                        classes="hint", markup=False)  # fmt: skip
            yield Label("enter: export · escape: cancel", classes="hint", markup=False)

    def on_mount(self) -> None:
        found = self.query("#export-path").results(Input)
        field = next(found, None)
        if field is None:  # pushed while the app closes (`q` then `e`): nothing was composed
            self.keys_ready()
            return
        self.set_focus(field)
        field.select_all()  # typing replaces the default, as when focused by hand
        self.keys_ready()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip() or self.default)

    def action_cancel(self) -> None:
        self.dismiss(None)

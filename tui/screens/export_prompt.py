"""The export prompt: a path for the CSV, defaulting to a file in the current directory.

Keys typed right after `e` (a fast typist, a paste, a slow link delivering a burst) reach the app
before this prompt is mounted, or bubble up from the screen below it; the app hands them to
`type_ahead`, which keeps them until the Input is mounted and then applies them in order."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label


class ExportPrompt(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="export.cancel")]

    def __init__(self, default: str, what: str) -> None:
        super().__init__()
        self.default = default
        self.what = what
        self._field: Input | None = None  # set once mounted and focused
        self._early: list[events.Key] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box"):
            yield Label(f"Export {self.what} to CSV (all pages, current filters)", markup=False)
            yield Input(value=self.default, id="export-path")
            yield Label("enter: export · escape: cancel", classes="hint", markup=False)

    async def on_mount(self) -> None:
        found = self.query("#export-path").results(Input)
        field = next(found, None)
        if field is None:  # pushed while the app closes (`q` then `e`): nothing was composed
            return
        self.set_focus(field)  # now, not on the next idle: the early keys below need it
        field.select_all()  # typing replaces the default, as when focused by hand
        self._field = field
        early, self._early = self._early, []
        for event in early:
            await self._apply(event)
            if event.key in ("enter", "escape"):
                break  # that closes the prompt: what follows was not typed into it

    async def type_ahead(self, event: events.Key) -> bool:
        """A key that reached the app with this prompt on top but not through its Input.

        True when the prompt took it: kept for later while the Input is not mounted, or a
        printable character typed into it. Other keys then run the app's bindings as usual
        (the focused Input's first: enter submits, backspace deletes)."""
        if self._field is None:
            self._early.append(event)
            return True
        if event.is_printable and event.character:
            self._insert(event.character)
            return True
        return False

    async def _apply(self, event: events.Key) -> None:
        if event.is_printable and event.character:
            self._insert(event.character)
        else:
            await self.app._check_bindings(event.key)  # focused Input first

    def _insert(self, text: str) -> None:
        field = self._field
        assert field is not None
        if field.selection.is_empty:
            field.insert_text_at_cursor(text)
        else:
            field.replace(text, *field.selection)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip() or self.default)

    def action_cancel(self) -> None:
        self.dismiss(None)

"""The detail pane for the selected row: plain text only (the caller builds a rich Text)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static


class DetailPane(VerticalScroll):
    can_focus = True

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="detail-body", markup=False)

    def show(self, text: Text) -> None:
        if text.plain == self._shown:
            return
        self._shown = text.plain
        self.query_one("#detail-body", Static).update(text)
        self.scroll_home(animate=False)

    @property
    def plain(self) -> str:
        return self._shown or ""

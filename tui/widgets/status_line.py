"""A one-line text bar (filters, pager) that redraws only when its text changes."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class StatusLine(Static):
    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, markup=False)
        self._shown: str | None = None

    def set_text(self, value: str | Text) -> None:
        plain = value.plain if isinstance(value, Text) else value
        if plain == self._shown:
            return
        self._shown = plain
        # A fixed height needs no layout pass (one repaints every scrollbar on the screen).
        height = self.styles.height
        fixed = height is not None and height.is_cells
        self.update(
            value if isinstance(value, Text) else Text(value, no_wrap=True), layout=not fixed
        )

    @property
    def plain(self) -> str:
        return self._shown or ""

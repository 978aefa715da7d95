"""A one-line text bar (filters, pager) that redraws only when its text changes.

Too long for its width, it drops whole parts (between ' · ' or a run of spaces) from the end,
the key hints, rather than cutting a word; a first part longer than the line is cut with '…'."""

from __future__ import annotations

import re

from rich.text import Text
from textual import events
from textual.widgets import Static

SEP = re.compile(r" · |  +")  # between parts: a middle dot, or a run of spaces


def fit_parts(text: Text, width: int) -> Text:
    """`text` as shown in `width` cells: whole parts only, as many as fit from the start."""
    if width <= 0 or text.cell_len <= width:
        return text
    plain = text.plain
    bounds = [0]  # part i runs from the end of separator i-1 to the start of separator i
    for m in SEP.finditer(plain):
        bounds += [m.start(), m.end()]
    bounds.append(len(plain))
    end = 0
    for i in range(1, len(bounds), 2):
        if text[: bounds[i]].cell_len > width:
            break
        end = bounds[i]
    if not end:  # the first part alone is too long: cut it
        out = text.copy()
        out.truncate(width, overflow="ellipsis")
        return out
    return text[:end]


class StatusLine(Static):
    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, markup=False)
        self._shown: str | None = None
        self._text = Text()
        self._fitted: str | None = None

    def set_text(self, value: str | Text) -> None:
        plain = value.plain if isinstance(value, Text) else value
        if plain == self._shown:
            return
        self._shown = plain
        self._text = value if isinstance(value, Text) else Text(value, no_wrap=True)
        self._show()

    def _show(self) -> None:
        fitted = fit_parts(self._text, self.size.width) if self.size.width else self._text
        if fitted.plain == self._fitted:
            return
        self._fitted = fitted.plain
        # A fixed height needs no layout pass (one repaints every scrollbar on the screen).
        height = self.styles.height
        fixed = height is not None and height.is_cells
        self.update(fitted, layout=not fixed)

    def on_resize(self, event: events.Resize) -> None:
        self._show()

    @property
    def plain(self) -> str:
        """The whole text (what is shown may have dropped its last parts)."""
        return self._shown or ""

    @property
    def visible(self) -> str:
        return self._fitted or ""

"""The refresh state in text, not colour alone: "● live 5s" or "❚❚ paused · 3 new"."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class RefreshIndicator(Static):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self._shown: str | None = None

    def set_state(self, *, live: bool, interval: float, new: int = 0) -> None:
        if live:
            label = f"● live {interval:g}s" + (f" · {new} new ↑" if new else "")
        else:
            label = "❚❚ paused" + (f" · {new} new" if new else "")
        if label == self._shown:
            return
        self._shown = label
        self.set_class(not live, "-paused")
        self.update(Text(label, no_wrap=True), layout=False)  # fixed width (logs.tcss)

    @property
    def label(self) -> str:
        return self._shown or ""

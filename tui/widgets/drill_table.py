"""The Logs screen's grid: enter drills in at once.

DataTable's enter posts RowSelected, which the screen handled a few messages later: a key typed
right after it (`enter enter` in one burst) was routed before the drill had started, so it could
not wait for the level the first enter opened. Bound here to the screen's action, the drill
starts within the key, and the key router holds what follows until the new level is shown.
A mouse click still selects a row (RowSelected) and drills in the same way."""

from __future__ import annotations

from textual.binding import Binding

from .paged_table import PagedTable


class DrillTable(PagedTable):
    BINDINGS = [Binding("enter", "screen.drill", "Drill in", show=False, id="logs.drill")]

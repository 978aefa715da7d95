"""The footer with the keys that matter most first: `?` help and `q` quit stay visible at 80
columns, where the footer cuts off whatever comes last. Every key stays in `?` help and the
command palette; only the order in the footer changes. (No binding of the screens using it is
in a binding group, whose keys Textual composes inside a container.)"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer

FIRST = ("help", "quit")  # the App's actions, in this order


def _rank(widget: object) -> int:
    action = str(getattr(widget, "action", "")).removeprefix("app.")
    return FIRST.index(action) if action in FIRST else len(FIRST)


class KeyFooter(Footer):
    def compose(self) -> ComposeResult:
        yield from sorted(super().compose(), key=_rank)  # stable: the rest keep their order

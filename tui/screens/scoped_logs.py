"""The log viewer opened from a connector or a service row, scoped to it; escape at its top
level goes back to the screen it was opened from."""

from __future__ import annotations

from textual.widgets import Input

from .logs import LogsScreen


class ScopedLogsScreen(LogsScreen):
    def can_go_back(self) -> bool:
        return True  # at its top, escape goes back to the screen it was opened from

    def action_back(self) -> None:
        search = self.query_one("#search", Input)
        if not search.display and not self.level.search and len(self.stack) == 1:
            self.app.pop_screen()
            return
        super().action_back()

"""The command palette, with enter typed in the same burst as the search (a paste, a fast
typist, a laggy SSH link) running the command that search finds.

Textual's palette gathers the matches of each search in a worker and shows them a moment later;
an enter arriving before that selected whatever was highlighted for the previous search: 'pause'
+ enter opened the account filter prompt. Here enter waits for the search in flight first."""

from __future__ import annotations

from textual import on
from textual.command import CommandPalette
from textual.widgets import Input


class Palette(CommandPalette):
    @on(Input.Submitted)
    async def _submit_after_the_search(self, event: Input.Submitted) -> None:
        pending = [
            worker
            for worker in self.workers
            if worker.group == self._GATHER_COMMANDS_GROUP and not worker.is_finished
        ]
        if not pending:
            return  # Textual's own handler selects or runs the highlighted command
        event.prevent_default()  # the palette's handler runs below, after the search
        event.stop()
        for worker in pending:
            try:
                await worker.wait()
            except Exception:  # noqa: BLE001 - a cancelled or failed search: select what is shown
                pass
        if self.is_attached:
            self._select_or_command()

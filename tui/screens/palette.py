"""The command palette, with enter typed in the same burst as the search (a paste, a fast
typist, a laggy SSH link) running the command that search finds.

Textual's palette gathers the matches of each search in a worker and shows them a moment later;
an enter arriving before that selected whatever was highlighted for the previous search: 'pause'
+ enter opened the account filter prompt. Here enter waits for the search in flight first.

The keys typed after enter wait until the palette has run its command and closed (or stayed
open with nothing chosen): enter selects through two more messages (the option, then the
command), and the key router let the next keys in meanwhile, so 'ctrl+p pause enter' typed
three times in one burst reached this palette, whose second enter dismissed it twice, popping
the Log view too and leaving the console on an empty screen (see dismiss_once.py)."""

from __future__ import annotations

from textual import on
from textual.binding import Binding
from textual.command import CommandInput, CommandList, CommandPalette
from textual.widgets import Input

from ..key_router import HOLD_LIMIT, TypeAhead
from .dismiss_once import DismissOnce


class Palette(DismissOnce, TypeAhead, CommandPalette):
    keys_are_ready = True  # it takes keys at once; from an enter until its command ran, not
    BINDINGS = [Binding("enter", "choose", show=False, priority=True, id="palette.choose")]

    async def action_choose(self) -> None:
        """enter: the key router holds the keys that follow (TypeAhead) from now, not from
        when Input.Submitted has bubbled up here (the router let keys in meanwhile)."""
        self.keys_are_ready = False
        self.set_timer(HOLD_LIMIT, self.keys_ready)  # never deaf for good
        await self.query_one(CommandInput).action_submit()

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

    def _select_or_command(self, event: Input.Submitted | None = None) -> None:  # type: ignore[override]
        """Textual's select-or-run; when it neither closed the palette nor chose an option
        (whose handler comes back here), the held keys go on to this palette."""
        commands = self.query_one(CommandList)
        choosing = self._list_visible and (
            commands.highlighted is not None or commands.option_count == 1
        )
        super()._select_or_command(event)
        if not self._dismissed and not choosing:
            self.keys_ready()

"""Services: the Sync column (Synced / Syncing / Needs resync / never run, core.resync), a
selection (space), and resync of the selected services (R) or of every one that needs it (A),
the console twins of `syncdeck status` and `syncdeck resync NAME... | --all`."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.binding import Binding

from core.text import clean, plural

from .confirm import Confirm

RESYNC_BINDINGS = [
    Binding("space", "select", "Select", show=False, id="services.select"),
    Binding("R", "resync_selected", "Resync selected", id="services.resync"),
    Binding("A", "resync_all", "Resync all needing it", show=False, id="services.resync_all"),
]

_STATE = {  # words, readable without colour
    "synced": ("synced", "#5fd75f"),
    "syncing": ("syncing", "#5fafff"),
    "needs resync": ("needs resync", "bold #d78700"),
    "never run": ("never run", "dim"),
}


def sync_cell(state: Any) -> Text:
    if state is None:
        return Text("")
    words, style = _STATE.get(state.state.value, (state.state.value, ""))
    return Text(words, style=style, no_wrap=True)


class ResyncActions:
    """Mixed into ServicesScreen (items, current, states, selected, running, api...)."""

    states: dict[str, Any]
    selected: set[str]
    running: dict[str, str]

    async def load_states(self) -> None:
        self.states = {s.service: s for s in await self.api.sync_states()}  # type: ignore[attr-defined]
        self.selected &= set(self.items)  # type: ignore[attr-defined]

    def needing(self) -> list[str]:
        return [n for n, s in self.states.items() if s.state.value == "needs resync"]

    def selection_note(self) -> str:
        need = len(self.needing())
        out = f"{need} need resync (A) · " if need else ""
        if self.selected:
            out += f"{len(self.selected)} selected (R resyncs) · "
        return out

    def action_select(self) -> None:
        name = self.current  # type: ignore[attr-defined]
        if name is None:
            return
        self.selected ^= {name}
        self.show_rows()  # type: ignore[attr-defined]

    def action_resync_selected(self) -> None:
        names = sorted(self.selected) or ([self.current] if self.current else [])  # type: ignore[attr-defined]
        if not names or not self.writable("resyncing services"):  # type: ignore[attr-defined]
            return
        self._ask(names, f"Run {', '.join(names)} again now?")

    def action_resync_all(self) -> None:
        if not self.writable("resyncing services"):  # type: ignore[attr-defined]
            return
        names = self.needing()
        if not names:
            self.notify("No service needs a resync.", timeout=4, markup=False)  # type: ignore[attr-defined]
            return
        why = "; ".join(f"{n} ({self.states[n].reason})" for n in names)
        self._ask(names, f"Run every service that needs a resync again now? {why}")

    def _ask(self, names: list[str], question: str) -> None:
        def answer(yes: bool | None) -> None:
            if yes:
                self.start_resync(names)

        title = f"Resync {plural(len(names), 'service')}"
        self.app.push_screen(Confirm(title, question, "Resync"), answer)  # type: ignore[attr-defined]

    def start_resync(self, names: list[str]) -> None:
        names = [n for n in names if n not in self.running]
        if not names:
            return
        for n in names:
            self.running[n] = "resyncing…"
        self.selected -= set(names)
        self.show_rows()  # type: ignore[attr-defined]

        async def work() -> None:
            try:
                results = await self.api.resync(names)  # type: ignore[attr-defined]
            except Exception as exc:  # noqa: BLE001 - UserError (read-only, unknown name), shown
                results = None
                self.notify(str(exc), severity="error", timeout=8, markup=False)  # type: ignore[attr-defined]
            for n in names:
                self.running.pop(n, None)
            if results is not None:
                lines = [
                    clean(r.message if r.ran else f"{r.service} not run: {r.message}", 300)
                    for r in results
                ]
                ok = all(r.ran and r.status == "success" for r in results)
                self.notify(  # type: ignore[attr-defined]
                    "Resync: " + " · ".join(lines), severity="information" if ok else "warning",
                    timeout=10, markup=False,
                )  # fmt: skip
            self.reload()  # type: ignore[attr-defined]

        self.run_worker(work(), group="resync", exit_on_error=False)  # type: ignore[attr-defined]

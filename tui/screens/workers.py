"""Workers: the `syncdeck worker` processes sharing this store, one row each: host, pid, state
(running, STALE past its lease, stopped, lost), runs in hand, last heartbeat by the database's
clock. Reloaded on every tick (a dead worker changes nothing in the store, yet turns stale)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable

from core.models import Run, Worker
from core.text import clean
from core.timeutil import local_minute

from ..views.base import n, t
from ..widgets.detail_pane import DetailPane
from ..widgets.paged_table import Col
from .grid_screen import GridScreen

STATE = {
    "running": ("▶", "#5fd75f"),
    "stale": ("⚠", "bold #ff5f5f"),
    "stopped": ("■", "#afafaf"),
    "lost": ("✖", "#d78700"),
}
COLUMNS = [  # shown by priority as the width allows; the detail pane has every field
    Col("host", "Host", 28, 0, min=12), Col("state", "State", 10, 1),
    Col("runs", "Runs", 5, 2), Col("beat", "Heartbeat", 11, 3), Col("pid", "PID", 8, 4),
    Col("lease", "Lease", 6, 6), Col("started", "Started", 16, 5, min=11, keep_end=True),
]  # fmt: skip


def state_of(w: Worker) -> str:
    return "stale" if w.stale else w.status


def state_text(w: Worker) -> Text:
    state = state_of(w)
    glyph, style = STATE.get(state, ("?", ""))
    return Text(f"{glyph} {state}", style=style, no_wrap=True)


def age(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f}s ago"
    if seconds < 5400:
        return f"{seconds / 60:.0f}m ago"
    return f"{seconds / 3600:.0f}h ago"


class WorkersScreen(GridScreen):
    grid_id = "workers-grid"
    screen_title = "Workers"
    export_kind = "workers"
    BINDINGS = [
        Binding("a", "toggle_all", "All/running", id="workers.all"),
        Binding("r", "refresh_now", "Refresh", id="workers.refresh"),
        Binding("y", "copy", "Copy", show=False, id="workers.copy"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[str, Worker] = {}
        self.runs: dict[int, list[Run]] = {}
        self.show_all = False

    async def load(self) -> None:
        workers = await self.api.workers(include_stopped=self.show_all)
        running = await self.api.runs(status="running", limit=200)
        by_worker: dict[int, list[Run]] = {}
        for run in running.items:
            if run.worker_id is not None:
                by_worker.setdefault(run.worker_id, []).append(run)
        self.items = {str(w.id): w for w in workers}
        self.runs = by_worker
        self.show_rows(reset=self.loads == 0)

    async def _tick(self) -> None:
        """Every tick, not only on a change: a worker that died writes nothing, yet its
        heartbeat ages and it turns stale. One small query."""
        if self.app.screen is self:
            self.reload()

    def shown(self) -> list[Worker]:
        return [w for w in self.items.values() if self.matches(w.host, w.pid, state_of(w))]

    def show_rows(self, reset: bool = False) -> None:
        shown = self.shown()
        rows = [(str(w.id), self.cells(w)) for w in shown]
        self.table.apply(COLUMNS, rows, reset=reset, cursor_key=self.table.cursor_key)
        self.show_detail()
        items = list(self.items.values())
        stale = sum(1 for w in items if w.stale)
        in_hand = sum(w.runs_in_hand for w in items)
        scope = "workers, stopped and lost too" if self.show_all else "running workers"
        self.status(
            self.search_note(len(shown), len(items), "workers")
            + f"{len(items)} {scope} · {in_hand} runs in hand"
            + (f" · {stale} STALE (no heartbeat within the lease)" if stale else "")
            + " · a all/running · r refresh"
        )

    def cells(self, w: Worker) -> list[Text]:
        return [
            t(w.host, 60, style="bold"), state_text(w), n(w.runs_in_hand),
            Text(age(w.heartbeat_age), style="bold #ff5f5f" if w.stale else "", no_wrap=True),
            n(w.pid), Text(f"{w.lease_seconds:g}s", justify="right"),
            Text(local_minute(w.started_at)),
        ]  # fmt: skip

    def show_detail(self) -> None:
        key = self.current
        pane = self.query_one(DetailPane)
        if key is None:
            empty = (
                "No worker is running against this store. Start one with `syncdeck worker` "
                "(on any host, for a PostgreSQL store). a shows stopped and lost ones."
            )
            if self.search:
                empty = "No worker matches the search: escape clears it."
            pane.show(Text(empty, style="dim"))
            return
        w = self.items[key]
        text = Text()
        text.append(f"Worker {w.id} on {clean(w.host, 80, single_line=True)}", style="bold")
        text.append(f"  pid {w.pid}\n")
        text.append("State ", style="dim")
        text.append_text(state_text(w))
        text.append(f" · heartbeat {age(w.heartbeat_age)} (lease {w.lease_seconds:g}s, "
                    "by the database's clock)\n")  # fmt: skip
        text.append("Started ", style="dim")
        text.append(local_minute(w.started_at))
        if w.stopped_at:
            text.append(" · stopped ", style="dim")
            text.append(local_minute(w.stopped_at))
        text.append("\n")
        if w.stale:
            text.append("No heartbeat within its lease: the next beat of another worker (or the "
                        "next syncdeck start) marks it lost and its runs interrupted.\n",
                        style="#ff5f5f")  # fmt: skip
        runs = self.runs.get(w.id, [])
        text.append(f"Runs in hand: {len(runs) or 'none'}\n", style="dim")
        for run in runs:
            service = clean(run.service, 60, single_line=True)
            started = local_minute(run.started_at)
            text.append(f"  #{run.id} {service} · {run.pulled:,} pulled · started {started}\n")
        pane.show(text)

    def export_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "id": w.id,
                "host": w.host,
                "pid": w.pid,
                "state": state_of(w),
                "runs_in_hand": w.runs_in_hand,
                "heartbeat_age_s": round(w.heartbeat_age, 1),
                "lease_s": w.lease_seconds,
                "started": local_minute(w.started_at),
            }  # fmt: skip
            for w in self.shown()
        ]

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self.show_detail()

    def action_toggle_all(self) -> None:
        self.show_all = not self.show_all
        self.reload()

    def action_copy(self) -> None:
        key = self.current
        if key is not None:
            host = self.items[key].host
            self.app.copy_to_clipboard(host)
            self.notify(f"Copied: {clean(host, 80, single_line=True)}", timeout=3, markup=False)

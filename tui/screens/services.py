"""Services: source > destination, streams, schedule, enabled, last run (status, when, counts),
next run from the cron; run now (cooldown honoured, force asks first), enable / disable, edit,
its runs in the log viewer, its mappings."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.widgets import DataTable

from core.models import Run, Service
from core.text import clean, plural
from core.timeutil import local_minute, relative

from ..views.base import Scope, t
from ..views.status import counts_cell, status_cell
from ..widgets.detail_pane import DetailPane
from ..widgets.paged_table import Col
from .confirm import Confirm
from .grid_screen import GridScreen
from .resync_actions import RESYNC_BINDINGS, ResyncActions, sync_cell
from .service_form import NewServiceForm, ServiceForm

COLUMNS = [  # shown by priority as the width allows; the detail pane and export have all
    Col("name", "Service", None, 0, min=15),
    Col("route", "Source > Dest", None, 6, min=12, extra=True),
    Col("on", "On", 3, 1),
    Col("last", "Last run", 13, 2, min=11),
    Col("sync", "Sync", 12, 2),
    Col("when", "When", 11, 4),
    Col("next", "Next run", 10, 3),  # "12 days ago" whole
    Col("counts", "Pull/C/U/F", 10, 5),  # pulled, created, updated, failed
    Col("schedule", "Schedule", 14, 7, min=11, extra=True),
]  # extras only when the names before them show whole; figures as wide as their values


def until(ts: float, now: float) -> str:
    """'in 15 min' for a time to come."""
    if ts - now < 60:
        return "in <1 min"
    return "in " + relative(ts, reference=now).replace(" from now", "")


class ServicesScreen(ResyncActions, GridScreen):
    grid_id = "services-grid"
    screen_title = "Services"
    export_kind = "services"
    BINDINGS = [
        Binding("enter", "open_runs", "Runs", id="services.runs"),
        Binding("g", "run_now", "Run now", id="services.run"),
        Binding("G", "force_run", "Force run", id="services.force"),
        Binding("x", "toggle", "Enable/disable", id="services.toggle"),
        Binding("m", "mappings", "Mappings", id="services.mappings"),
        Binding("E", "edit", "Edit", id="services.edit"),
        Binding("a", "add", "Add", id="services.add"),
        Binding("D", "delete", "Delete", id="services.delete"),
        Binding("u", "undo", "Undo", id="services.undo"),
        Binding("r", "refresh_now", "Refresh", id="services.refresh"),
        Binding("y", "copy", "Copy", show=False, id="services.copy"),
        *RESYNC_BINDINGS,
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[str, Service] = {}
        self.last: dict[str, Run | None] = {}
        self.running: dict[str, str] = {}  # service -> progress words of a run started here
        self.states: dict[str, Any] = {}  # service -> core.resync.ServiceSync
        self.selected: set[str] = set()  # space marks services for R (resync selected)

    async def load(self) -> None:
        items = await self.api.services()
        last: dict[str, Run | None] = {}
        for s in items:
            page = await self.api.runs(service=s.name, limit=1)
            last[s.name] = page.items[0] if page.items else None
        self.items = {s.name: s for s in items}
        self.last = last
        await self.load_states()
        self.show_rows(reset=self.loads == 0)

    def shown(self) -> list[Service]:
        """The services the search leaves (all without one)."""
        return [
            s
            for s in self.items.values()
            if self.matches(s.name, s.source, s.destination, " ".join(s.streams), s.schedule)
        ]

    def show_rows(self, reset: bool = False) -> None:
        now = self.now()
        shown = self.shown()
        rows = [(s.name, self.cells(s, self.last.get(s.name), now)) for s in shown]
        self.table.apply(COLUMNS, rows, reset=reset, cursor_key=self.table.cursor_key)
        self.show_detail()
        total = len(self.items)
        self.status(
            self.search_note(len(shown), total, "services")
            + self.selection_note()
            + f"{plural(total, 'service')} · enter runs · g run now · "
            "G force · x on/off · m mappings · a add · E edit · D delete · u undo"
        )

    def show_search(self) -> None:
        self.show_rows(reset=True)

    def export_rows(self) -> list[dict[str, Any]]:
        out = []
        for s in self.shown():
            r = self.last.get(s.name)
            out.append({
                "name": s.name, "source": s.source, "destination": s.destination,
                "streams": ", ".join(s.streams), "schedule": s.schedule or "",
                "enabled": "yes" if s.enabled else "no", "cooldown_minutes": s.cooldown_minutes,
                "last_run": r.id if r else "", "last_status": r.shown_status if r else "",
                "last_started": local_minute(r.started_at) if r else "",
                "pulled": r.pulled if r else "", "created": r.created if r else "",
                "updated": r.updated if r else "", "skipped": r.skipped if r else "",
                "failed": r.failed if r else "",
                "sync": st.state.value if (st := self.states.get(s.name)) else "",
                "sync_reason": st.reason if st else "",
            })  # fmt: skip
        return out

    def cells(self, s: Service, r: Run | None, now: float) -> list[Text]:
        nxt = self.api.next_run(s.schedule, now) if s.enabled else None
        if s.name in self.running:
            last = Text(f"▶ {self.running[s.name]}", style="#5fafff", no_wrap=True)
        else:
            last = (
                status_cell("stale" if r.stale else r.status) if r else Text("never", style="dim")
            )
        when = relative(r.started_at, reference=now) if r else ""
        return [
            t(("✓ " if s.name in self.selected else "") + s.name, 30,
              style="bold" if s.enabled else "dim"),
            t(f"{s.source} > {s.destination}", 40),
            Text("yes" if s.enabled else "no", style="#5fd75f" if s.enabled else "#d78700"),
            last, sync_cell(self.states.get(s.name)), Text(when, no_wrap=True),
            Text(until(nxt, now) if nxt else "manual", no_wrap=True, style="" if nxt else "dim"),
            counts_cell(r.pulled, r.created, r.updated, failed=r.failed) if r else Text(""),
            t(s.schedule or "—", 20),
        ]  # fmt: skip

    def show_detail(self) -> None:
        name = self.current
        pane = self.query_one(DetailPane)
        if name is None:
            empty = "No service yet: a adds one, or `syncdeck config import`."
            if self.search:
                empty = "No service matches the search: escape clears it."
            pane.show(Text(empty, style="dim"))
            return
        s = self.items[name]
        r = self.last.get(name)
        text = Text()
        text.append(clean(name, 60), style="bold")
        text.append(f"  {clean(s.source, 40)} > {clean(s.destination, 40)}")
        text.append("  enabled" if s.enabled else "  disabled",
                    style="#5fd75f" if s.enabled else "#d78700")  # fmt: skip
        text.append(f"\nStreams: {clean(', '.join(s.streams) or '—', 200)}")
        nxt = self.api.next_run(s.schedule, self.now()) if s.enabled else None
        if s.filters:
            text.append(f"\nFilters: {clean('; '.join(s.filters), 300, single_line=True)}")
        text.append(f"\nSchedule: {clean(s.schedule or 'manual only', 60)}")
        if nxt:
            text.append(f" · next {local_minute(nxt)}")
        text.append(f" · cooldown {s.cooldown_minutes} min")
        st = self.states.get(name)
        if st is not None:
            why = f" ({st.reason})" if st.reason else ""
            style = "bold #d78700" if st.state.value == "needs resync" else ""
            text.append(f"\nSync: {st.state.value}{why}", style=style)
        if r is not None:
            text.append(f"\nLast run #{r.id} {r.shown_status} {local_minute(r.started_at)}: "
                        f"{r.pulled} pulled, {r.created} created, {r.updated} updated, "
                        f"{r.skipped} skipped, {r.failed} failed")  # fmt: skip
            if r.message:
                text.append(f"\n{clean(r.message, 300, single_line=True)}", style="dim")
        pane.show(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self.show_detail()

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_runs()

    # ---- actions -------------------------------------------------------------------------

    def action_open_runs(self) -> None:
        if self.current:
            self.open_logs(Scope(service=self.current), root="runs")

    def action_mappings(self) -> None:
        if self.current:
            self.app.open_mappings(self.current)  # type: ignore[attr-defined]

    def action_copy(self) -> None:
        if self.current:
            self.app.copy_to_clipboard(self.current)
            self.notify(f"Copied: {self.current}", timeout=3, markup=False)

    def action_run_now(self) -> None:
        name = self.current
        if name is None or not self.writable("running a service"):
            return
        self.start_run(name, force=False)

    def action_force_run(self) -> None:
        name = self.current
        if name is None or not self.writable("running a service"):
            return
        self.ask_force(name, "Run it now, ignoring the minimum interval between syncs?")

    def ask_force(self, name: str, question: str) -> None:
        def answer(yes: bool | None) -> None:
            if yes:
                self.start_run(name, force=True)

        self.app.push_screen(Confirm(f"Force a run of {name}", question, "Run now"), answer)

    def start_run(self, name: str, *, force: bool) -> None:
        if name in self.running:
            self.notify(f"{name} is already running here.", timeout=3, markup=False)
            return
        self.running[name] = "starting…"
        self.show_rows()

        def progress(p: Any) -> None:
            self.running[name] = f"{p.pulled} pulled" if not p.done else "finishing"
            self.show_rows()

        async def run() -> None:
            try:
                if await self.api.live_workers():  # a fleet: a worker runs it, not this host
                    self.queued(name, await self.api.queue_run(name, force=force))
                    return
                result = await self.api.run_now(name, force=force, progress=progress)
            except Exception as exc:  # noqa: BLE001 - UserError and CooldownActive, shown
                self.running.pop(name, None)
                self.show_rows()
                if getattr(exc, "wait_seconds", None) is not None:  # the cooldown
                    msg = getattr(exc, "message", str(exc))
                    hint = getattr(exc, "hint", "").replace("add --force", "G forces it")
                    self.ask_force(name, f"{msg}\n{hint}\nRun anyway (y) or wait (n)?")
                    return
                self.notify(str(exc), severity="error", timeout=8, markup=False)
                return
            self.running.pop(name, None)
            sev = "information" if result.status.value == "success" else "warning"
            self.notify(clean(result.summary(), 400) + " enter opens its runs.",
                        severity=sev, timeout=8, markup=False)  # fmt: skip
            self.reload()

        self.run_worker(run(), group=f"run-{name}", exit_on_error=False)

    def queued(self, name: str, run_id: int) -> None:
        self.running.pop(name, None)
        self.notify(f"Run {run_id} of {name} queued: a worker takes it within a tick. "
                    "enter opens its runs.", timeout=8, markup=False)  # fmt: skip
        self.reload()

    def action_toggle(self) -> None:
        name = self.current
        if name is None or not self.writable("enabling or disabling a service"):
            return
        enabled = not self.items[name].enabled

        def done(svc: Any) -> None:
            word = "enabled" if enabled else "disabled"
            self.notify(f"{name} {word}. u undoes it.", markup=False)

        self.act(lambda: self.api.set_service_enabled(name, enabled, undoable=True), done)

    def action_edit(self) -> None:
        name = self.current
        if name is None or not self.writable("editing a service"):
            return

        async def ask() -> None:
            values = await self.api.service_form_values(name)

            def done(saved: str | None) -> None:
                if saved:
                    self.notify(f"Saved service {saved}. u undoes it.", markup=False)
                    self.reload()

            self.app.push_screen(ServiceForm(self.api, name, values), done)

        self.ask(ask)

    def action_add(self) -> None:
        if not self.writable("adding a service"):
            return

        async def ask() -> None:
            names = [c.name for c in await self.api.connectors()]

            def done(saved: str | None) -> None:
                if saved:
                    self.notify(f"Added service {saved}. u undoes it.", markup=False)
                    self.reload()

            self.app.push_screen(NewServiceForm(self.api, names), done)

        self.ask(ask)

    def action_delete(self) -> None:
        name = self.current
        if name is None or not self.writable("deleting a service"):
            return
        message = (f"Delete service {name}? Its schedule stops and its mappings and id map go; "
                   "its runs and logs stay as history. u undoes it.")  # fmt: skip

        def answer(yes: bool | None) -> None:
            if yes:
                self.act(lambda: self.api.delete_service(name),
                         lambda _: self.notify(f"Deleted service {name}. u undoes it.",
                                               markup=False))  # fmt: skip

        self.app.push_screen(Confirm(f"Delete service {name}", message, "Delete"), answer)

    def action_undo(self) -> None:
        if not self.writable("undo"):
            return
        self.act(self.api.undo_last, lambda what: self.notify(f"Undone: {what}.", markup=False))

"""The Logs screen: tiles, the log grid and the drill-down Runs > Steps > Pages > Entities > Calls.

Navigation and filters live here; loading and the live refresh loop live in LiveLoader.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Input

from core.console_api import ConsoleAPI
from core.errors import UserError
from core.text import plural

from ..export import default_path, deliver_csv, export_csv, export_csv_text
from ..views.base import KINDS, LEVELS, PAGE_SIZES, RANGES, Filters, Level, Query, Scope
from ..views.registry import VIEWS
from ..widgets.breadcrumb import Breadcrumb
from ..widgets.detail_pane import DetailPane
from ..widgets.drill_table import DrillTable
from ..widgets.key_footer import KeyFooter
from ..widgets.mode_badge import ModeBadge
from ..widgets.paged_table import PagedTable
from ..widgets.refresh_indicator import RefreshIndicator
from ..widgets.status_line import StatusLine
from ..widgets.tiles import Tiles
from .export_prompt import ExportPrompt
from .live_loader import LiveLoader
from .log_filters import LOG_FILTER_BINDINGS, LogFilters
from .run_actions import RUN_ACTION_BINDINGS, RunActions


def _crumb_bindings() -> list[Binding]:
    out = []
    for i in range(1, 6):
        out.append(
            Binding(
                f"{i},alt+{i}",
                f"crumb({i - 1})",
                f"Jump to crumb {i}",
                show=False,
                id=f"logs.crumb{i}",
            )  # fmt: skip
        )
    return out


# filter key -> the list levels it works on (the drill levels below have no filters)
FILTER_LEVELS = {
    "cycle_level": ("logs",),
    "cycle_kind": ("logs",),
    "cycle_connector": ("logs", "runs"),
    "cycle_range": ("logs", "runs"),
}
FILTER_HINTS = {"cycle_level": "l level", "cycle_connector": "c connector",
                "cycle_kind": "m kind", "cycle_range": "t range"}  # fmt: skip


class LogsScreen(RunActions, LogFilters, LiveLoader, Screen):
    """The screen on-call engineers live in. Opens on the log grid; `v` switches to Runs."""

    BINDINGS = [
        # The footer shows ? Help and q Quit first (KeyFooter), then these in this order: at 80
        # columns it ends after `v` (Refresh drops first); the filter keys are on the filters
        # line.
        Binding("escape", "back", "Back", id="logs.back"),
        Binding("enter", "drill", "Drill in", show=False, id="logs.drill"),
        Binding("slash", "search", "Search", id="logs.search"),
        Binding("p", "pause", "Pause", id="logs.pause"),
        Binding("e", "export", "Export", id="logs.export"),
        Binding("y", "copy", "Copy", id="logs.copy"),
        Binding(
            "n,right_square_bracket",
            "next_page",
            "Next/prev page",
            key_display="n/b",
            id="logs.next_page",
        ),  # fmt: skip
        Binding(
            "b,left_square_bracket", "prev_page", "Prev page", show=False, id="logs.prev_page"
        ),  # fmt: skip
        Binding("v", "toggle_root", "Log/Runs", id="logs.toggle_root"),
        Binding("r", "refresh_now", "Refresh", id="logs.refresh"),
        Binding("z", "page_size", "Page size", show=False, id="logs.page_size"),
        Binding("l", "cycle_level", "Level", id="logs.level"),
        Binding("c", "cycle_connector", "Connector", show=False, id="logs.connector"),
        Binding("m", "cycle_kind", "Kind", show=False, id="logs.kind"),
        Binding("t", "cycle_range", "Range", show=False, id="logs.range"),
        Binding("d", "toggle_detail", "Detail pane", show=False, id="logs.detail"),
        *_crumb_bindings(),
        *RUN_ACTION_BINDINGS,
        *LOG_FILTER_BINDINGS,
    ]

    def __init__(
        self,
        api: ConsoleAPI,
        *,
        scope: Scope | None = None,
        root: str = "logs",
        interval: float = 5.0,
        clock: object = None,
    ) -> None:
        super().__init__()
        self.api = api
        self.scope = scope or Scope()
        self.filters = Filters()
        self.stacks: dict[str, list[Level]] = {
            "logs": [Level("logs", "Log")],
            "runs": [Level("runs", "Runs")],
        }
        self.root = root
        self.init_live(interval=interval, clock=clock)
        self._connectors: list[str | None] = [None]

    # ---- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield ModeBadge()  # "read-only" in the header, from the App (shown in that mode only)
        yield Tiles(id="tiles")
        with Horizontal(id="topbar"):
            yield Breadcrumb(id="breadcrumb")
            yield RefreshIndicator(id="refresh")
        yield StatusLine(id="filters")
        yield DrillTable(id="grid", merge_cells=True)
        yield DetailPane(id="detail")
        yield Input(placeholder="search…", id="search")
        yield StatusLine(id="pager")
        yield KeyFooter()

    async def on_mount(self) -> None:
        self.query_one("#search", Input).display = False
        self.query_one(PagedTable).focus()
        try:
            self._connectors = [None, *(c.name for c in await self.api.connectors())]
        except UserError:
            pass
        self.show_chrome()
        self.reload()
        self.arm()

    # ---- which keys work here ----------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A key is offered (footer, `?` help, palette) only where it does something: the
        level and kind filters on the Log list, connector and range on Log and Runs (the
        connector not in a viewer scoped to one), a crumb key only for a crumb above."""
        if action in FILTER_LEVELS:
            if self.level.kind not in FILTER_LEVELS[action]:
                return False
            if action == "cycle_connector" and (self.scope.connector or self.scope.service):
                return False
        if action == "crumb" and parameters:
            return int(str(parameters[0])) < len(self.stack) - 1
        if action == "back":
            return self.can_go_back()
        return True

    def can_go_back(self) -> bool:
        """escape does something here: a search box to close, a search to clear, a level to
        go up."""
        if self.level.search or len(self.stack) > 1:
            return True
        boxes = self.query("#search")
        return bool(boxes) and boxes.first().display

    def footer_description(self, action: str) -> str | None:
        """`v` says where it goes."""
        if action == "toggle_root":
            return "Runs" if self.root == "logs" else "Log"
        return None

    @property
    def help_title(self) -> str:
        """What `?` names: the view the keys belong to (Log, Runs, Steps...)."""
        return VIEWS[self.level.kind].title

    def filter_hints(self) -> str:
        return "  ".join(h for a, h in FILTER_HINTS.items() if self.check_action(a, ()))

    # ---- state -------------------------------------------------------------------------

    @property
    def stack(self) -> list[Level]:
        return self.stacks[self.root]

    @property
    def level(self) -> Level:
        return self.stack[-1]

    @property
    def table(self) -> PagedTable:
        return self.query_one(PagedTable)

    def query_for(self, level: Level | None = None) -> Query:
        return Query(self.api, level or self.level, self.filters, self.scope, self.now())

    def show_chrome(self) -> None:
        """Breadcrumb and filter line: they depend on navigation only, not on data."""
        crumbs = [lv.crumb for lv in self.stack]
        self.query_one(Breadcrumb).set_crumbs(crumbs, self.scope.label)
        f = self.filters
        kind = self.level.kind
        text = Text(no_wrap=True, overflow="ellipsis")
        if kind in ("logs", "runs"):
            parts = []
            if kind == "logs":
                parts.append(f"Level {(f.level or 'All').title()}")
            if not (self.scope.connector or self.scope.service):
                parts.append(f"Connector {f.connector or 'all'}")
            if kind == "logs":
                parts.append(f"Kind {f.kind or 'all'}")
            parts.append(self.dates_label() + " (T)" if f.dates else f"Range {f.range}")
            text.append(" · ".join(parts))
            hints = self.filter_hints()
        else:
            text.append(f"{VIEWS[kind].title}", style="bold")
            hints = "escape back · 1-5 jump to a crumb"
        # What is on first, the key hints last: on a narrow terminal the hints give way.
        text.append_text(self.filter_badges())
        if self.level.search:
            text.append(f"   / {self.level.search}", style="bold #ffd75f")
            text.append(" (escape clears)", style="dim")
        text.append(f"   {hints}", style="dim")
        self.query_one("#filters", StatusLine).set_text(text)

    # ---- navigation --------------------------------------------------------------------

    def navigate(self) -> None:
        self.table.clear_marks()
        self.show_chrome()
        self.refresh_bindings()  # the footer offers the keys of the new level only
        self.reload()

    def action_drill(self) -> None:
        item = self.current_item()
        if item is None:
            return
        child = VIEWS[self.level.kind].child(item, self.level)
        child = self.failed_child(item, child)
        if child is None:
            self.notify("This is the deepest level.", timeout=2)
            return
        if self.level.kind == "runs" and self.level.search:
            child.search = self.level.search  # inside the run: where the id appears
        if self.level.kind == "logs":  # a log event opens its run under Runs
            self.root = "runs"
            child.back_to = "logs"  # escape from it goes back to the log row, not to Runs
            self.stacks["runs"] = [self.stacks["runs"][0], child]
        else:
            self.stack.append(child)
        self.navigate()

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_drill()

    def action_back(self) -> None:
        search = self.query_one("#search", Input)
        if search.display:
            search.display = False
            self.set_focus(self.table)
            if self.level.search:
                self.set_search("")
            return
        if self.level.search:
            self.set_search("")
        elif len(self.stack) == 2 and self.stack[1].back_to:
            back_to = self.stack.pop().back_to  # a run opened from a log row: back to the row
            self.root = back_to or self.root
            self.navigate()
        elif len(self.stack) > 1:
            self.stack.pop()
            self.navigate()

    def action_crumb(self, index: int) -> None:
        if index >= len(self.stack) - 1:
            return
        del self.stack[index + 1 :]
        self.navigate()

    def action_toggle_root(self) -> None:
        self.root = "runs" if self.root == "logs" else "logs"
        self.navigate()

    def action_next_page(self) -> None:
        window = self.window
        if window is None or window.next_key is None:
            self.notify("Last page.", timeout=2)
            return
        self.level.after, self.level.before = window.next_key, None
        self.level.page_no += 1
        self.level.cursor_key = None
        self.navigate()

    def action_prev_page(self) -> None:
        window = self.window
        if window is None or self.level.page_no <= 1 or window.prev_key is None:
            self.notify("First page.", timeout=2)
            return
        self.level.after, self.level.before = None, window.prev_key
        self.level.page_no -= 1
        if self.level.page_no == 1:
            self.level.first_page()  # back on the live edge
        self.level.cursor_key = None
        self.navigate()

    def _refilter(self) -> bool:
        for lv in (self.stacks["logs"][0], self.stacks["runs"][0]):
            lv.first_page()
            lv.cursor_key = None
        return True

    def action_page_size(self) -> None:
        sizes = PAGE_SIZES
        self.filters.page_size = sizes[(sizes.index(self.filters.page_size) + 1) % len(sizes)]
        for lv in self.stack:
            lv.first_page()
        self.navigate()

    def action_cycle_level(self) -> None:
        if self._refilter():
            self.filters.level = LEVELS[(LEVELS.index(self.filters.level) + 1) % len(LEVELS)]
            self.navigate()

    def action_cycle_kind(self) -> None:
        if self._refilter():
            self.filters.kind = KINDS[(KINDS.index(self.filters.kind) + 1) % len(KINDS)]
            self.navigate()

    def action_cycle_range(self) -> None:
        if self._refilter():
            if self.filters.dates:  # back from the dates typed with T to the range shown
                self.set_dates("")
                return
            self.filters.range = RANGES[(RANGES.index(self.filters.range) + 1) % len(RANGES)]
            self.navigate()

    def action_cycle_connector(self) -> None:
        if self._refilter():
            names = self._connectors
            current = self.filters.connector if self.filters.connector in names else None
            self.filters.connector = names[(names.index(current) + 1) % len(names)]
            self.navigate()

    # ---- search ------------------------------------------------------------------------

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        hints = {
            "logs": "search message text…",
            "runs": "external id: runs that touched it…",
            "steps": "external id: steps and entities of this run…",
            "entities": "external or internal id…",
            "instances": "URL, cursor or status of any page…",
            "calls": "method, URL, params, error or status…",
        }
        search.placeholder = hints.get(self.level.kind, "search…")
        search.value = self.level.search
        search.display = True
        search.focus()
        self.refresh_bindings()

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        event.input.display = False
        self.set_focus(self.table)  # now: the next key of a burst is the grid's, not the box's
        self.set_search(event.value.strip())

    def set_search(self, value: str) -> None:
        self.level.search = value
        self.level.first_page()
        self.level.cursor_key = None
        self.navigate()

    # ---- detail, copy, export ----------------------------------------------------------

    def action_toggle_detail(self) -> None:
        pane = self.query_one(DetailPane)
        pane.display = not pane.display

    def action_copy(self) -> None:
        item = self.current_item()
        if item is None:
            return
        value = VIEWS[self.level.kind].copy_value(item)
        self.app.copy_to_clipboard(value)
        shown = value if len(value) <= 60 else value[:59] + "…"
        self.notify(f"Copied: {shown}", timeout=3, markup=False)

    def action_export(self) -> None:
        view = VIEWS[self.level.kind]
        if self.app.is_web:  # in a browser: a download, never a file on the server
            self._export_download()
            return
        prompt = ExportPrompt(default_path(view.kind, self.now()), view.title)
        self.app.push_screen(prompt, self._export_to)

    def _export_to(self, path: str | None) -> None:
        if not path:
            return
        query = self.query_for()
        view = VIEWS[self.level.kind]

        async def work() -> None:
            try:
                rows, written = await export_csv(view, query, path)
            except UserError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            self.notify(f"Exported {plural(rows, 'row')} to {written}", timeout=8, markup=False)

        self.run_worker(work(), group="export", exit_on_error=False)

    def _export_download(self) -> None:
        query, view = self.query_for(), VIEWS[self.level.kind]

        async def work() -> None:
            rows, text = await export_csv_text(view, query)
            name = deliver_csv(self.app, text, view.kind, query.now)
            shown = plural(rows, "row")
            self.notify(f"Exported {shown}: your browser downloads {name}", markup=False)

        self.run_worker(work(), group="export", exit_on_error=False)

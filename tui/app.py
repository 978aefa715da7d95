"""The syncdeck console: the App, its screens registry, global keys, and `run_console`."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterable
from functools import partial

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.notifications import SeverityLevel
from textual.screen import Screen

from core.console_api import ConsoleAPI
from core.errors import UserError
from core.text import clean

from . import heap
from .heap import IdleCollector
from .key_router import KeyRouter
from .screens.connectors import ConnectorsScreen
from .screens.help import HelpScreen
from .screens.logs import LogsScreen
from .screens.mappings import MappingsScreen
from .screens.palette import Palette
from .screens.services import ServicesScreen
from .screens.workers import WorkersScreen
from .views.base import Scope

# name -> factory(app) for every screen reachable by one key; more screens register here.
SCREENS_REGISTRY: dict[str, Callable[[SyncdeckApp], Screen]] = {
    "logs": lambda app: LogsScreen(
        app.api, scope=app.scope, root=app.root, interval=app.interval, clock=app.clock
    ),
    "connectors": lambda app: ConnectorsScreen(),
    "services": lambda app: ServicesScreen(),
    "mappings": lambda app: MappingsScreen(),
    "workers": lambda app: WorkersScreen(),
}
MAIN_SCREENS = ("logs", "connectors", "services", "mappings", "workers")


class SyncdeckApp(App[int]):
    TITLE = "syncdeck"
    CSS_PATH = ["styles/app.tcss", "styles/logs.tcss", "styles/admin.tcss"]
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("ctrl+p", "command_palette", "Commands", show=False, id="app.palette"),
        Binding("C", "goto('connectors')", "Connectors", show=False, id="app.connectors"),
        Binding("S", "goto('services')", "Services", show=False, id="app.services"),
        Binding("M", "goto('mappings')", "Mappings", show=False, id="app.mappings"),
        Binding("L", "goto('logs')", "Logs", show=False, id="app.logs"),
        Binding("W", "goto('workers')", "Workers", show=False, id="app.workers"),
    ]

    def __init__(
        self,
        db: str | None = None,
        *,
        read_only: bool = False,
        connector: str | None = None,
        service: str | None = None,
        root: str = "logs",
        interval: float = 5.0,
        clock: Callable[[], float] | None = None,
    ) -> None:
        super().__init__()
        self.db = db
        self.read_only = read_only
        self.sub_title = "read-only" if read_only else ""  # every screen's header shows it
        self.scope = Scope(connector=connector, service=service)
        self.root = root
        self.interval = interval
        self.clock = clock
        self.api: ConsoleAPI | None = None
        self.error: UserError | None = None
        self.keys = KeyRouter(self)
        self.collector: IdleCollector | None = None  # run_console: full collections at idle

    def colour_classes(self, system: str | None = None) -> None:
        """`-no-color` (NO_COLOR) and `-ansi16` (a 16-colour terminal such as TERM=linux) on
        the app, for the styles that must not rely on shades (logs.tcss). `system`: Rich's
        colour system of the terminal (a headless run has none)."""
        if system is None and not self.is_headless:
            system = getattr(self.console, "color_system", None)
        self.set_class(bool(self.no_color), "-no-color")
        self.set_class(system in ("standard", "windows"), "-ansi16")

    async def on_mount(self) -> None:
        self.colour_classes()
        try:
            self.api = await ConsoleAPI.open(self.db, read_only=self.read_only)
            if self.scope.connector or self.scope.service:
                await self.api.tiles(**self.scope.as_kwargs())  # unknown names fail here
        except UserError as exc:
            self.error = exc
            self.exit(2, return_code=2)
            return
        self.screen_change_signal.subscribe(self, self.keys.screen_changed, immediate=True)
        for name, factory in SCREENS_REGISTRY.items():
            self.install_screen(factory(self), name)
        await self.push_screen("logs")
        if self.collector is not None:  # once the first screen is painted
            self.set_timer(heap.START_AFTER, self._start_collector, name="idle-gc")

    async def on_event(self, event: events.Event) -> None:
        """Keys from the terminal go through the router: one at a time, in order (key_router)."""
        if isinstance(event, events.Key) and not event.is_forwarded:
            self.app_focus = True
            if self.collector is not None:
                self.collector.key()
            await self.keys.take(event)
            return
        await super().on_event(event)

    def _start_collector(self) -> None:
        if self.collector is not None:
            self.collector.start()
            self.set_interval(heap.LOOK, self.collector.tick, name="idle-gc")

    def copy_to_clipboard(self, text: str) -> None:
        """OSC 52 in a terminal; in a browser the value opens in a new tab to copy from."""
        if not self.is_web:
            super().copy_to_clipboard(text)
            return
        self._clipboard = text
        self.deliver_text(io.StringIO(text), save_filename="syncdeck-copied.txt",
                          open_method="browser")  # fmt: skip

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every toast (screens call this one too) may quote third-party text: no control or
        bidi character reaches the terminal through it."""
        super().notify(
            clean(message), title=clean(title), severity=severity, timeout=timeout, markup=markup
        )

    async def on_unmount(self) -> None:
        if self.collector is not None:
            self.collector.stop()
        if self.api is not None:
            await self.api.close()

    def action_goto(self, name: str) -> None:
        """One key from anywhere: back to the main screen level, then that screen."""
        if name not in MAIN_SCREENS or self.api is None:
            return
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if self.screen is not self.get_screen(name):
            self.switch_screen(name)

    def open_mappings(self, service: str, stream: str | None = None) -> None:
        screen = self.get_screen("mappings")
        if isinstance(screen, MappingsScreen):
            screen.set_target(service, stream)
        self.action_goto("mappings")
        if self.screen is screen:
            screen.reload()

    def action_command_palette(self) -> None:
        """Textual's palette, with enter waiting for the search typed before it."""
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(Palette())  # no fixed id: the last one may still be going away

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        title = getattr(self.screen, "help_title", None)  # else "Connectors", not the class
        title = title or type(self.screen).__name__.removesuffix("Screen")
        self.push_screen(HelpScreen(title, self.keys_of_screen()))

    def keys_of_screen(self) -> list[tuple[str, str]]:
        """Every key active on the current screen (focused widget, screen, app)."""
        seen: dict[str, str] = {}
        for active in self.active_bindings.values():
            binding = active.binding
            label = binding.key_display or self.get_key_display(binding)
            description = binding.description or binding.action.replace("_", " ")
            if binding.id:  # the id to remap it in [console.keys] of the settings file
                description = f"{description}  ({binding.id})"
            seen.setdefault(label, description)
        return sorted(seen.items(), key=lambda kv: kv[1].lower())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        done: set[str] = set()
        for binding in [*screen.BINDINGS, *self.BINDINGS]:
            if not isinstance(binding, Binding) or binding.action in done:
                continue
            if binding.action in ("command_palette", "quit"):
                continue
            done.add(binding.action)
            target = screen if binding in screen.BINDINGS else self
            if self._check_action_state(binding.action, target) is False:
                continue  # not offered on this view (the footer and help hide it too)
            title = binding.description or binding.action
            keys = binding.key.replace(",", " or ")
            yield SystemCommand(title, f"key: {keys}", partial(target.run_action, binding.action))


def run_console(
    db: str | None = None,
    *,
    read_only: bool = False,
    mouse: bool = True,
    connector: str | None = None,
    service: str | None = None,
    config: str | None = None,
) -> int:
    """Open the console on the store at `db` (default store when None). Returns an exit code.
    Settings (theme, keys, read_only, mouse) come from `config` or core.settings' default file."""
    from core.settings import load_settings

    from . import terminal
    from .console_settings import apply_settings

    settings = load_settings(config)
    app = SyncdeckApp(
        db,
        read_only=read_only or settings.console.read_only,
        connector=connector,
        service=service,
        interval=settings.console.refresh_seconds,
    )
    apply_settings(app, settings)  # a bad theme or key id: one line, before the terminal check
    app.collector = IdleCollector()  # full garbage collections between keys (tui/heap.py)
    terminal.check_terminal()
    terminal.install(app)  # SIGHUP, SIGTERM, stdin closed: exit cleanly, never spin
    code = app.run(mouse=mouse and settings.console.mouse)
    if app.error is not None:
        print(f"syncdeck: {app.error.message}", file=sys.stderr)
        if app.error.hint:
            print(app.error.hint, file=sys.stderr)
        return app.error.exit_code
    if app.return_code:  # an unhandled exception (1), the terminal gone (129), SIGTERM (143)
        return app.return_code
    return int(code or 0)

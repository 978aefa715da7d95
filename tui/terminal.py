"""Terminal fitness for SSH jump hosts: leave when the terminal goes away, never spin.

- SIGHUP (the SSH session dropped), SIGTERM: the console exits cleanly (code 129 / 143).
- stdin reaching end of file or failing (the pty was closed): Textual's input thread would
  spin on a selector that is always readable; `HangupSafeDriver` exits instead.
- Should a clean exit hang (a write to a terminal that nobody reads), a watchdog ends the
  process `GRACE` seconds later, so a dead session never leaves a console behind.
- `check_terminal()`: the console refuses to start without a terminal on stdin and stderr
  (Textual draws on stderr), with one line saying what to use instead.
"""

from __future__ import annotations

import codecs
import os
import selectors
import signal
import sys
import threading
from typing import Any

from textual._time import get_time
from textual.app import App
from textual.drivers.linux_driver import LinuxDriver

from core.errors import UserError

GRACE = 1.5  # seconds a clean exit may take after the terminal went away
EXIT_HANGUP = 128 + signal.SIGHUP  # 129, what a shell reports for a hung-up job
EXIT_TERM = 128 + signal.SIGTERM

_guards: dict[int, HangupGuard] = {}


class HangupGuard:
    """Turns 'the terminal is gone' into one clean exit of `app`, with a hard deadline."""

    def __init__(self, app: App[Any], grace: float = GRACE) -> None:
        self.app = app
        self.grace = grace
        self.reason: str | None = None
        self.code = 0
        self._lock = threading.Lock()

    def trigger(self, reason: str, code: int = EXIT_HANGUP) -> None:
        with self._lock:
            if self.reason is not None:
                return
            self.reason, self.code = reason, code
        timer = threading.Timer(self.grace, self._hard_exit)
        timer.daemon = True
        timer.start()
        loop = getattr(self.app, "_loop", None)
        if loop is None or loop.is_closed():
            self._hard_exit()
            return
        try:
            loop.call_soon_threadsafe(self._exit)
        except RuntimeError:  # the loop closed meanwhile: the app is ending anyway
            pass

    def _exit(self) -> None:
        self.app.exit(self.code, return_code=self.code)

    def _hard_exit(self) -> None:
        os._exit(self.code)

    def on_signal(self, signum: int, _frame: Any) -> None:
        self.trigger(f"signal {signal.Signals(signum).name}", 128 + signum)


def install(app: App[Any]) -> HangupGuard:
    """Call before `app.run()` in the main thread: SIGHUP/SIGTERM handlers, the safe driver."""
    guard = HangupGuard(app)
    _guards[id(app)] = guard
    for sig in (signal.SIGHUP, signal.SIGTERM):
        try:
            signal.signal(sig, guard.on_signal)
        except (ValueError, OSError):  # not the main thread
            pass
    if app.driver_class is LinuxDriver:
        app.driver_class = HangupSafeDriver
    return guard


def guard_of(app: App[Any]) -> HangupGuard | None:
    return _guards.get(id(app))


def in_browser() -> bool:
    """Started by `syncdeck serve` (textual-serve's web driver speaks over pipes, not a tty)."""
    return "web_driver" in os.environ.get("TEXTUAL_DRIVER", "")


def check_terminal() -> None:
    """The console needs a terminal: stdin to read keys, stderr to draw on (not in a browser)."""
    if in_browser():
        return
    for name, stream in (("stdin", sys.__stdin__), ("stderr", sys.__stderr__)):
        try:
            ok = stream is not None and os.isatty(stream.fileno())
        except (OSError, ValueError):
            ok = False
        if not ok:
            raise UserError(
                f"The console needs a terminal, and {name} is not one.",
                "Run it in a terminal (over SSH: ssh -t host syncdeck), "
                "or use the headless commands: syncdeck --help.",
            )


class HangupSafeDriver(LinuxDriver):
    """LinuxDriver whose input thread ends the app when stdin ends or fails.

    Textual's own loop treats an empty read as "piped stdin" and selects again at once,
    which spins a CPU forever on a dead terminal. This one reads the same way, feeds the
    same parser, and on end of file or an I/O error hands over to the HangupGuard.

    It also waits no longer than the parser's pending deadline: a lone ESC is a key once
    ESCDELAY has passed, but Textual's loop only looked when `select` returned, after up to
    its 100 ms poll, so escape cost 100 ms whatever ESCDELAY said.
    """

    def run_input_thread(self) -> None:
        from textual._xterm_parser import XTermParser

        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        parser = XTermParser(self._debug)
        decode = codecs.getincrementaldecoder("utf-8")(errors="replace").decode
        try:
            while not self.exit_event.is_set():
                for _key, mask in selector.select(_wait(parser)):
                    if not mask & selectors.EVENT_READ:
                        continue
                    try:
                        data = os.read(self.fileno, 4096)
                    except OSError:
                        data = b""
                    if not data:
                        self._gone()
                        return
                    for event in parser.feed(decode(data)):
                        self.process_message(event)
                for event in parser.tick():
                    self.process_message(event)
        finally:
            selector.close()

    def _gone(self) -> None:
        guard = guard_of(self._app) or HangupGuard(self._app)
        guard.trigger("stdin closed")


POLL = 0.1  # seconds: how long the input loop waits for input when nothing is pending


def _wait(parser: Any) -> float:
    """How long to wait for input: the poll, or less when the parser holds a lone ESC (or an
    unfinished sequence) that becomes a key at its deadline."""
    due = getattr(parser, "_timeout_time", None)  # Textual's _parser.Parser
    if due is None:
        return POLL
    return max(0.0, min(POLL, due - get_time()))

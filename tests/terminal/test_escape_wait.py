"""A lone Escape reaches the app after ESCDELAY, not after the input thread's 100 ms poll.

Textual's parser keeps a lone ESC until ESCDELAY has passed (it may start an arrow key's
sequence), but its input loop only looks at that deadline when `select` returns, and `select`
waits up to 100 ms for more input: escape cost 100 ms whatever ESCDELAY said. The driver's
loop must wait no longer than the parser's pending deadline. No clock is asserted: the test
records how long the loop asks `select` to wait while an ESC is pending.
"""

from __future__ import annotations

import os
import selectors
import threading
from types import SimpleNamespace

from textual import constants, events

from tui import terminal


class FakeSelector:
    """Readable once (the ESC in the pipe), then records each wait and stops the loop."""

    def __init__(self, stop: threading.Event, waits: list[float | None]) -> None:
        self.stop = stop
        self.waits = waits
        self.calls = 0

    def register(self, *_: object) -> None: ...

    def close(self) -> None: ...

    def select(self, timeout: float | None = None) -> list[tuple[object, int]]:
        self.calls += 1
        if self.calls == 1:
            return [(None, selectors.EVENT_READ)]
        self.waits.append(timeout)
        if self.calls >= 3:
            self.stop.set()
        return []


def _drive(monkeypatch, data: bytes) -> tuple[list[float | None], list[object]]:
    read_fd, write_fd = os.pipe()
    os.write(write_fd, data)
    stop = threading.Event()
    waits: list[float | None] = []
    monkeypatch.setattr(selectors, "SelectSelector", lambda: FakeSelector(stop, waits))
    got: list[object] = []
    driver = SimpleNamespace(fileno=read_fd, exit_event=stop, _debug=False)
    driver.process_message = got.append
    try:
        terminal.HangupSafeDriver.run_input_thread(driver)  # type: ignore[arg-type]
    finally:
        os.close(read_fd)
        os.close(write_fd)
    return waits, got


def test_a_pending_escape_is_waited_for_escdelay_at_most(monkeypatch) -> None:
    monkeypatch.setattr(constants, "ESCAPE_DELAY", 0.05)  # the console's default (tui/__init__)
    waits, _ = _drive(monkeypatch, b"\x1b")
    assert waits, "the loop never selected again"
    assert waits[0] is not None and waits[0] <= 0.05, (
        f"with an ESC pending the loop waits {waits[0]} s for input, past ESCDELAY (0.05 s)"
    )


def test_the_escape_is_delivered_and_an_idle_loop_still_polls(monkeypatch) -> None:
    monkeypatch.setattr(constants, "ESCAPE_DELAY", 0.0)  # due at once: the next tick sends it
    waits, got = _drive(monkeypatch, b"\x1b")
    assert [e.key for e in got if isinstance(e, events.Key)] == ["escape"]
    assert waits[-1] == 0.1  # nothing pending any more: the usual poll


def test_a_plain_key_leaves_the_poll_as_it_was(monkeypatch) -> None:
    waits, got = _drive(monkeypatch, b"j")
    assert [e.key for e in got if isinstance(e, events.Key)] == ["j"]
    assert waits == [0.1, 0.1]

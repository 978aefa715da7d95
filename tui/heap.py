"""Garbage collection out of the way of keys (a console in a real terminal only).

CPython's full (generation 2) collection walks every tracked object. In the console that took
80-95 ms on a loaded 2-core machine, and it ran wherever the allocation count tipped it: in
the middle of a key's repaint (measured with gc.callbacks while drilling). So the console:

- collects and freezes what start-up built (Textual, the stylesheet, the screens: about 85,000
  objects), which a full collection then never walks again;
- turns automatic full collections off and runs one itself once no key has come for QUIET
  seconds (looked at every LOOK seconds), or when FULL_LIMIT of them are overdue. The young
  generations collect as before (1-5 ms each).

Tests run many apps in one process: they leave the interpreter's collector as it is
(`run_console` alone installs this).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

START_AFTER = 1.0  # seconds after start-up (its first screen painted) to freeze it
LOOK = 1.0  # seconds between looks
QUIET = 0.5  # seconds without a key before a full collection may run
FULL_AFTER = 3  # generation-1 collections since the last full one that make one worth running
FULL_LIMIT = 100  # ... and so many that it runs even while keys keep coming
NEVER = 1 << 30  # gc.set_threshold's third value: no automatic full collection


class IdleCollector:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.last_key = clock()
        self.saved: tuple[int, int, int] | None = None
        self.full = 0  # full collections run here

    def start(self) -> None:
        """After start-up: freeze what is there, full collections from now on at idle only."""
        gc.collect()
        gc.freeze()
        self.saved = gc.get_threshold()
        young, middle, _ = self.saved
        gc.set_threshold(young, middle, NEVER)

    def stop(self) -> None:
        if self.saved is not None:
            gc.set_threshold(*self.saved)
            gc.unfreeze()
            self.saved = None

    def key(self) -> None:
        self.last_key = self.clock()

    def tick(self) -> bool:
        """Run a full collection if one is due and no key came for QUIET seconds."""
        due = gc.get_count()[2]
        if due < FULL_AFTER:
            return False
        if due < FULL_LIMIT and self.clock() - self.last_key < QUIET:
            return False
        gc.collect()
        self.full += 1
        return True

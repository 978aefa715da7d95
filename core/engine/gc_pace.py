"""The cyclic garbage collector's pace while a run goes on.

A run allocates and frees a page's objects in bursts of thousands (records, payloads, entity and
id-map rows, the batch answers). With Python's default first threshold (700 net allocations)
the collector ran about 190 times per 20,000 records, promoted the page in flight to the older
generations each time, and so set off one or two collections of the whole heap per run: 5 to 15%
of a run at 0 ms API latency. At 10,000 it runs a few times per run and the heap is rarely
walked whole; garbage cycles are still collected, a little later (at most ~10,000 objects).

The threshold is the process's: it is raised while at least one run is going on (runs may
overlap in one process: a count), and put back when the last one ends, unless someone else
changed it meanwhile.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

RUN_THRESHOLD = 10_000

_lock = threading.Lock()
_runs = 0
_saved: tuple[int, int, int] | None = None


@contextmanager
def roomy() -> Iterator[None]:
    global _runs, _saved
    with _lock:
        if _runs == 0:
            before = gc.get_threshold()
            if before[0] < RUN_THRESHOLD:
                _saved = before
                gc.set_threshold(RUN_THRESHOLD, before[1], before[2])
        _runs += 1
    try:
        yield
    finally:
        with _lock:
            _runs -= 1
            if _runs == 0 and _saved is not None:
                if gc.get_threshold()[0] == RUN_THRESHOLD:
                    gc.set_threshold(*_saved)
                _saved = None

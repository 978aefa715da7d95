"""Is the process of a "running" run still there? Decided the same way by the writer that marks
dead runs interrupted and by a read-only reader that may only flag them "stale / probably dead".

On this host the run's pid is asked (kill 0); a run on another host is judged by its heartbeat,
which the engine renews at least every HEARTBEAT seconds while a run goes on.
"""

from __future__ import annotations

import os
import socket

HEARTBEAT = 30.0  # seconds between a live run's heartbeats, at most
STALE_AFTER = 120.0  # a run on another host silent this long is probably dead


def pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


def probably_dead(
    pid: int | None,
    host: str | None,
    heartbeat_at: float | None,
    *,
    now: float,
    this_host: str | None = None,
    stale_after: float = STALE_AFTER,
) -> bool:
    """True when the process running a run is gone (this host) or silent (another host)."""
    if host == (this_host or socket.gethostname()):
        return not pid_alive(pid)
    return (heartbeat_at or 0) < now - stale_after

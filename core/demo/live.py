"""The live part of `syncdeck demo`: real syncs against loopback APIs, next to the console.

`LiveProcess` (used by core/commands/demo.py) starts a child process,
`python -m core.demo.live --db PATH`, before the history is seeded, so its imports and servers
are ready by then; `go()` tells it to begin. The child serves the demo CRM and ERP, and the Xero and
QuickBooks Online sandboxes, on 127.0.0.1 (core/demo/live_api.py), writes their connectors and
services into the demo store, and runs the real engine (core.engine.runner.ServiceRun), one run
of each service side by side, at once and then every `interval` seconds. The console sees its
runs through the store, as it would see a `syncdeck worker`.

The sandboxes' OAuth secrets (client secrets, the refresh tokens they rotate) live in the
demo's own secrets folder next to the demo store (`demo_secrets_dir`), never in the user's:
the child and the console both use it (SYNCDECK_CONFIG_DIR), so a connection test in the
console rotates the token the child uses next, as two workers sharing a secrets file would.

The child stops at once, cancelling the run in flight (recorded as cancelled) and shutting both
servers down, when its stdin closes (the console quit, or died, even by kill -9), on SIGTERM,
SIGINT or SIGHUP. `LiveProcess.stop()` closes that pipe, waits, then terminates and kills.
Nothing it prints reaches the terminal: its output goes to a log file next to the store.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from ..store.location import is_postgres_url

if TYPE_CHECKING:
    from .live_api import LiveOptions, LiveWorld

DEFAULT_INTERVAL = 30.0  # seconds from the start of one live run to the start of the next
GO = b"go\n"


# ---- the parent side -------------------------------------------------------------------------


def demo_secrets_dir(db: str | os.PathLike[str]) -> Path:
    """The demo's own secrets folder: next to the demo store (for a PostgreSQL URL, next to
    its live log in the user data folder)."""
    base = _url_log_base() if is_postgres_url(str(db)) else Path(db)
    return base.with_name(base.stem + "-secrets")


def _url_log_base() -> Path:
    """Where the live log goes when the demo store is a PostgreSQL URL: the user data folder."""
    import platformdirs

    return Path(platformdirs.user_data_dir("syncdeck", appauthor=False)) / "demo-postgres"


class LiveProcess:
    """The child process that serves the demo APIs and runs the engine. A context manager."""

    def __init__(
        self, db: str | os.PathLike[str], *, interval: float = DEFAULT_INTERVAL,
        log_path: str | os.PathLike[str] | None = None,
    ) -> None:  # fmt: skip
        self.url = str(db).strip() if is_postgres_url(str(db)) else None
        self.db = Path(db) if self.url is None else _url_log_base()
        self.interval = interval
        default_log = self.db.with_name(self.db.stem + "-live.log")
        self.log_path = Path(log_path) if log_path else default_log
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> LiveProcess:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "wb") as log:
            # A URL (it may hold a password) goes through the environment, never argv (ps).
            env = {**os.environ, "SYNCDECK_CONFIG_DIR": str(demo_secrets_dir(self.url or self.db))}
            if self.url is not None:
                env["SYNCDECK_DB"] = self.url
            db = "" if self.url is not None else str(self.db)
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "core.demo.live", "--db", db,
                 "--interval", str(self.interval), "--wait-for-go"],
                stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT,
                close_fds=True, env=env,
            )  # fmt: skip
        return self

    def go(self) -> None:
        """The store is seeded: begin serving and syncing."""
        if self.proc is not None and self.proc.stdin is not None and self.proc.poll() is None:
            with contextlib.suppress(OSError):
                self.proc.stdin.write(GO)
                self.proc.stdin.flush()

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def stop(self, timeout: float = 3.0, *, wait: bool = True) -> int | None:
        """Close the child's stdin (it stops by itself), then terminate, then kill.
        wait=False (the terminal went away): close stdin, SIGTERM, and return at once;
        the child cancels its run and shuts both servers down on its own."""
        proc = self.proc
        if proc is None:
            return None
        if proc.stdin is not None:
            with contextlib.suppress(OSError):
                proc.stdin.close()
        if not wait:
            with contextlib.suppress(OSError):
                proc.terminate()
            return proc.poll()
        try:
            return proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.terminate()
        try:
            return proc.wait(1.0)
        except subprocess.TimeoutExpired:
            proc.kill()
            return proc.wait()

    def __enter__(self) -> LiveProcess:
        return self if self.proc else self.start()

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


# ---- the child side --------------------------------------------------------------------------


def _say(line: str) -> None:
    print(time.strftime("%H:%M:%S ") + line, flush=True)


async def configure(store: object, world: LiveWorld) -> None:
    """Write the demo connectors and services (same shape as examples/customers.toml), after
    the sandboxes' secrets (the secrets file of SYNCDECK_CONFIG_DIR: the demo's own)."""
    from ..config import parse_config
    from ..config_io import apply
    from ..secrets import store_secret

    for key, value in world.secrets().items():
        store_secret(key, value)
    text = world.toml()
    await apply(store, parse_config(text, "demo"), text, "syncdeck demo")  # type: ignore[arg-type]


async def live_loop(
    db: str | os.PathLike[str],
    *,
    interval: float = DEFAULT_INTERVAL,
    stop: asyncio.Event,
    go: asyncio.Event | None = None,
    runs: int | None = None,
    say: Callable[[str], None] = _say,
    options: LiveOptions | None = None,
) -> int:
    """Serve the demo APIs and sync them until `stop` is set (or `runs` rounds are done: a
    round is one run of each service). Returns the number of rounds started."""
    from ..store import open_store
    from .live_api import LiveWorld

    world = LiveWorld(options)
    started = 0
    try:
        world.start()
        more = (f", {world.xero_url} (Xero) and {world.qbo_url} (QuickBooks)"
                if world.options.accounting else "")  # fmt: skip
        say(f"serving {world.crm_url} (CRM) and {world.erp_url} (ERP){more}")
        if go is not None:
            await _first(go.wait(), stop.wait())
        if stop.is_set():
            return 0
        async with await open_store(db, create=True) as store:
            await configure(store, world)
            while not stop.is_set() and (runs is None or started < runs):
                t0 = time.monotonic()
                if started:
                    say(f"source changed: {world.churn()}")
                started += 1
                if not await _run_all(store, world.services, stop, say):
                    break
                if runs is not None and started >= runs:
                    break
                wait = max(0.0, interval - (time.monotonic() - t0))
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), wait)
    finally:
        world.stop()
        say("stopped")
    return started


async def _run_all(
    store: Any, services: list[str], stop: asyncio.Event, say: Callable[[str], None]
) -> bool:
    """One run of each service, side by side (as a worker runs the services due). False when
    `stop` came first: the runs in flight are cancelled."""
    from ..engine.runner import ServiceRun

    tasks = [asyncio.create_task(ServiceRun(store, name, trigger="schedule").run())
             for name in services]  # fmt: skip
    await _first(asyncio.gather(*tasks, return_exceptions=True), stop.wait())
    if not all(t.done() for t in tasks):
        for task in tasks:
            await _cancel(task)
        return False
    for name, task in zip(services, tasks, strict=True):
        exc = task.exception()
        say(f"{name}: {exc}" if exc is not None else task.result().summary())
    return True


async def _first(*aws: Any) -> None:
    """Wait until the first of `aws` is done; cancel the helpers made here (never a Task
    passed in, such as the run)."""
    tasks = [asyncio.ensure_future(a) for a in aws]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task, given in zip(tasks, aws, strict=True):
            if task is not given and not task.done():
                task.cancel()


async def _cancel(task: asyncio.Task[object]) -> None:
    """Stop the run in flight at once (the console is closing): the runner records it as
    cancelled ("Stopped.") before the task ends."""
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await asyncio.wait_for(task, 2.0)


def _watch_stdin(loop: asyncio.AbstractEventLoop, go: asyncio.Event, stop: asyncio.Event) -> None:
    """A thread: 'go' on stdin starts the syncs; end of file (the parent is gone) stops them."""
    stream = sys.stdin.buffer
    try:
        while True:
            line = stream.readline()
            if not line:
                break
            if line.strip() == b"go":
                loop.call_soon_threadsafe(go.set)
    except (OSError, ValueError):
        pass
    with contextlib.suppress(RuntimeError):  # the loop may already be closed
        loop.call_soon_threadsafe(stop.set)


async def child_main(db: str, interval: float, wait_for_go: bool) -> int:
    loop = asyncio.get_running_loop()
    stop, go = asyncio.Event(), asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        loop.add_signal_handler(sig, stop.set)
    threading.Thread(target=_watch_stdin, args=(loop, go, stop), daemon=True).start()
    await live_loop(db, interval=interval, stop=stop, go=go if wait_for_go else None)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m core.demo.live",
        description="Serve the demo APIs on 127.0.0.1 and sync them into a demo store "
        "until stdin closes or a signal arrives (started by `syncdeck demo`).",
    )
    parser.add_argument("--db", required=True, help="the demo store (already seeded)")
    parser.add_argument("--interval", type=float, default=DEFAULT_INTERVAL,
                        help="seconds between the starts of two runs")  # fmt: skip
    parser.add_argument("--wait-for-go", action="store_true",
                        help="wait for a 'go' line on stdin before the first run")  # fmt: skip
    args = parser.parse_args(argv)
    try:
        return asyncio.run(child_main(args.db, args.interval, args.wait_for_go))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())

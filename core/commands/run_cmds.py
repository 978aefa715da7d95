"""`syncdeck run SERVICE [--full] [--stream NAME] [--dry-run] [--config FILE]`.

A live progress line on stderr, a summary at the end. Exit 0 success, 3 partial, 1 failed,
2 bad input; 143 / 130 when stopped by SIGTERM / SIGINT (the run is marked cancelled).
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
import time
from typing import Any

from ..connectors.interrupt import Interrupt
from ..console_api import ConsoleAPI
from ..errors import UserError
from ..text import clean
from .base import command


class ProgressLine:
    """One line rewritten in place on a terminal; a line every few seconds otherwise."""

    def __init__(self, stream: Any = None) -> None:
        self.out = stream or sys.stderr
        self.tty = bool(getattr(self.out, "isatty", lambda: False)())
        self.last = 0.0
        self.shown = False

    def __call__(self, p: Any) -> None:
        if p.done:
            if self.tty and self.shown:
                self.out.write("\r\x1b[2K")
                self.out.flush()
            return
        text = clean(
            f"run {p.run_id} · {p.stream} page {p.page} · {p.pulled} pulled: {p.created} created, "
            f"{p.updated} updated, {p.skipped} skipped, {p.failed} failed",
            single_line=True,
        )
        t = time.monotonic()
        if self.tty:
            self.out.write("\r\x1b[2K" + text[:200])
            self.out.flush()
            self.shown = True
        elif t - self.last >= 5:
            self.out.write(text + "\n")
            self.out.flush()
            self.last = t


async def do_run(args: argparse.Namespace, api: ConsoleAPI) -> int:
    if args.read_only:
        raise UserError("run writes its progress to the store, and --read-only forbids writing.",
                        "Run it without --read-only.")  # fmt: skip
    if args.config:
        await api.import_config(args.config)
    if args.queue:
        if args.dry_run:
            raise UserError("--queue and --dry-run cannot go together.",
                            "Drop --queue to try a dry run here and now.")  # fmt: skip
        run_id = await api.queue_run(args.service, force=args.force, full=args.full,
                                     stream=args.stream)  # fmt: skip
        print(
            f"Run {run_id} of {args.service} queued; a `syncdeck worker` on any host sharing "
            f"this store takes it. Watch it with `syncdeck runs --service {args.service}`."
        )
        return 0
    interrupt = Interrupt()
    with StopOnSignal(interrupt) as stop:
        try:
            result = await api.run_now(
                args.service, force=args.force, full=args.full, stream=args.stream,
                dry_run=args.dry_run, progress=ProgressLine(), interrupt=interrupt, warn=_warn,
            )  # fmt: skip
        except asyncio.CancelledError:  # a second signal: stopped at once, run marked cancelled
            if stop.signum is None:
                raise
            sys.stderr.write(f"syncdeck: stopped by {stop.name}.\n")
            return 128 + stop.signum
    print(clean(result.summary()))
    return result.exit_code if stop.signum is None else 128 + stop.signum


def _warn(text: str) -> None:
    sys.stderr.write(f"\nsyncdeck: {text}\n")
    sys.stderr.flush()


class StopOnSignal:
    """SIGTERM / SIGINT during `syncdeck run` end it like the worker: the first lets the page in
    flight finish (waits are cut short) and marks the run cancelled; a second stops at once (the
    run is still marked cancelled). The exit code is then 128 + the signal (143, 130)."""

    SIGNALS = (signal.SIGTERM, signal.SIGINT)

    def __init__(self, interrupt: Interrupt) -> None:
        self.interrupt = interrupt
        self.signum: int | None = None
        self.name = ""

    def __enter__(self) -> StopOnSignal:
        self.loop = asyncio.get_running_loop()
        self.task = asyncio.current_task()
        for sig in self.SIGNALS:
            self.loop.add_signal_handler(sig, self._on_signal, sig)
        return self

    def __exit__(self, *exc: object) -> None:
        for sig in self.SIGNALS:
            self.loop.remove_signal_handler(sig)
            if self.signum is not None:  # already stopping: a late repeat must not kill the exit
                signal.signal(sig, signal.SIG_IGN)

    def _on_signal(self, sig: signal.Signals) -> None:
        if self.signum is not None:
            if self.task is not None:
                self.task.cancel()
            return
        self.signum, self.name = int(sig), sig.name
        sys.stderr.write(f"\nsyncdeck: {sig.name}: finishing the page in flight (signal again "
                         "to stop at once).\n")  # fmt: skip
        sys.stderr.flush()
        self.interrupt.cancel(f"stopped by {sig.name}")


def register(subparsers: Any) -> None:
    p = command(
        subparsers, "run", do_run, store="create", formats=False,
        help="run one service now, headless (exit 0 success, 3 partial, 1 failed, 2 bad input, "
        "143 / 130 stopped by SIGTERM / SIGINT: the page in flight finishes, marked cancelled)",
    )  # fmt: skip
    p.add_argument("service", metavar="SERVICE")
    p.add_argument("--full", action="store_true", help="ignore saved incremental cursors")
    p.add_argument("--stream", metavar="NAME", help="run only this stream")
    p.add_argument("--dry-run", action="store_true", help="pull and map, send nothing")
    p.add_argument("--config", metavar="FILE", help="import this TOML file first")
    p.add_argument(
        "--queue",
        action="store_true",
        help="queue it for a worker (any host sharing the store) instead of here",
    )
    p.add_argument("--force", action="store_true",
                   help="run even inside the service's cooldown (default 60 minutes)")  # fmt: skip

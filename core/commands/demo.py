"""`syncdeck demo`: seed 30 days of demo history, then open the console on it, live.

Live: core/demo/live.py's child process serves a demo CRM and ERP on 127.0.0.1 and runs the
real engine against them at once and every --interval seconds; it is started before the
seeding (so its start-up overlaps it), told to begin once the store is seeded, and stopped
when the console closes. --seed-only and --no-live start nothing.

The demo's secrets (the sandboxes' OAuth client secrets and rotated refresh tokens) are kept in
a folder next to the demo store, not in the user's secrets file.

Without --db the demo lives in its own file (the user data folder's demo.db), never in the
user's store; SYNCDECK_DB is deliberately not used here. A store given with --db must be new or
empty: demo history is never mixed into real history.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

import platformdirs

from ..errors import StoreError, UserError
from ..settings import add_settings_flag
from ..store import open_store
from ..store.location import display_url, is_postgres_url
from .base import command, scale_type


def demo_db_path() -> Path:
    return Path(platformdirs.user_data_dir("syncdeck", appauthor=False)) / "demo.db"


def _remove_store_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _shown(path: Path | str) -> str:
    return display_url(path) if isinstance(path, str) else str(path)


async def _has_history(path: Path | str) -> bool:
    if isinstance(path, str):  # a PostgreSQL URL: no syncdeck store there yet is no history
        try:
            store = await open_store(path, create=False)
        except StoreError as exc:
            if str(exc).startswith("No syncdeck store in"):
                return False
            raise
    elif not path.exists() or path.stat().st_size == 0:
        return False
    else:
        store = await open_store(path, create=False)
    async with store:
        info = await store.info()
    rows = info["rows"]
    assert isinstance(rows, dict)
    return any(rows.get(t, 0) for t in ("connectors", "runs", "log_events"))


async def seed(
    path: Path | str, *, scale: int, seed_value: int, own_file: bool, announce: bool = False
) -> dict:
    try:
        from ..demo.history import seed_history
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("core.demo"):
            raise UserError(
                "The demo history generator is not part of this build.",
                "Update syncdeck, or point the headless commands at a store with --db.",
            ) from None
        raise
    if own_file:
        _remove_store_files(path)  # the demo file is ours: start it afresh every time
    elif await _has_history(path):
        raise UserError(
            f"The store {_shown(path)} already holds history; demo data is never mixed into it.",
            "Choose a new file with --db, or leave --db out to use the demo store.",
        )
    if announce:
        print(f"Seeding demo history into {_shown(path)} (scale {scale}, seed {seed_value})...",
              file=sys.stderr)  # fmt: skip
    existed = isinstance(path, str) or path.exists()
    try:
        async with await open_store(path, create=True) as store:
            return await seed_history(store, scale=scale, seed=seed_value)
    except BaseException:
        if not existed and isinstance(path, Path):  # leave no half-seeded store behind
            _remove_store_files(path)
        raise


async def demo(args: argparse.Namespace, api: Any) -> int:
    if args.read_only:
        raise UserError("demo writes a demo store, and --read-only forbids writing.",
                        "Run it without --read-only.")  # fmt: skip
    own_file = not args.db
    path: Path | str = demo_db_path() if own_file else Path(args.db).expanduser()
    if not own_file and is_postgres_url(args.db):
        path = args.db.strip()
    from ..demo.live import demo_secrets_dir

    # the demo's sandboxes keep their OAuth secrets in the demo's own folder, never the user's
    os.environ["SYNCDECK_CONFIG_DIR"] = str(demo_secrets_dir(path))
    live = None
    if not args.seed_only and args.live:  # start it now: its imports overlap the seeding
        from ..demo.live import LiveProcess

        live = LiveProcess(path, interval=args.interval).start()
    try:
        summary = await seed(path, scale=args.scale, seed_value=args.seed, own_file=own_file,
                             announce=True)  # fmt: skip
    except BaseException:
        if live is not None:
            live.stop()
        raise
    if live is not None:
        live.go()
        args.console_companion = live  # stopped by cli.main when the console closes
    if args.seed_only:
        width = max((len(str(k)) for k in summary), default=0)
        for key, value in summary.items():
            print(f"{str(key).ljust(width)}  {value}")
        shown = _shown(path)  # a URL without its password
        print(f"Store: {shown}\nNext: syncdeck runs --db {shown}")
        return 0
    args.then_console = str(path)  # cli.main opens the console once the event loop is closed
    return 0


def _interval(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds") from None
    if not 2 <= value <= 3600:
        raise argparse.ArgumentTypeError(f"{text} seconds is out of range; use 2 to 3600")
    return value


interval_type = _interval


def register(subparsers: Any) -> None:
    p = command(
        subparsers, "demo", demo,
        help="open the console on a demo store: 30 days of history, then live syncs of demo "
        "APIs served on 127.0.0.1",
        store="none", formats=False,
    )  # fmt: skip
    add_settings_flag(p, sub=True)
    p.add_argument("--seed-only", action="store_true", help="only fill the store, then exit")
    p.add_argument("--scale", type=scale_type, default=1, metavar="N",
                   help="grow the history N times (benchmarks)")  # fmt: skip
    p.add_argument("--seed", type=int, default=7, metavar="S", help="random seed (default 7)")
    p.add_argument("--interval", type=interval_type, default=30.0, metavar="SECONDS",
                   help="seconds between the starts of two live runs (default 30)")  # fmt: skip
    p.add_argument("--no-live", dest="live", action="store_false",
                   help="history only: no demo APIs and no live syncs")  # fmt: skip

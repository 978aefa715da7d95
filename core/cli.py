"""The `syncdeck` command: headless commands for scripts and cron; the console when asked.

Adding a command group (one line here)
--------------------------------------
Write a module under core/commands/ with

    from .base import command

    def register(subparsers) -> None:
        p = command(subparsers, "worker", handler, help="...", store="create")
        p.add_argument(...)

    async def handler(args, api: ConsoleAPI) -> int | None: ...

and add its dotted name to COMMAND_MODULES below. `command()` adds --db, --read-only, --no-mouse
and (unless formats=False) --json / --csv to the subcommand. `store=` says how `api` is opened:
"read" (default) opens an existing store and a missing one is an error, "create" may create it,
"none" passes api=None. Raise core.errors.UserError(message, hint) for anything the user can fix:
main() prints it as one line on stderr and exits 2. A handler that wants the console opened after
it finishes sets `args.then_console = "<db path>"`.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import os
import sqlite3
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from .errors import UserError
from .store import driver_error
from .store.sqlite.db import resolve_db_path, translate_error
from .text import clean

COMMAND_MODULES: list[str] = [
    "core.commands.reads",
    "core.commands.maintenance",
    "core.commands.demo",
    "core.commands.config_cmds",
    "core.commands.run_cmds",
    "core.commands.action_cmds",
    "core.commands.fleet_cmds",
    "core.commands.serve_cmd",
    "core.commands.resync_cmds",
]

PROG = "syncdeck"
EXIT_USER = 2
EXIT_INTERRUPTED = 130


class ArgumentParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line with the next step, exit code 2."""

    def error(self, message: str) -> NoReturn:
        message = " ".join(message.split()).rstrip(".")
        raise UserError(f"{self.prog.removeprefix(PROG + ' ')}: {message}." if self.prog != PROG
                        else f"{message}.", f"See `{self.prog} --help`.")  # fmt: skip


def build_parser() -> ArgumentParser:
    from .commands.base import add_global_flags
    from .settings import add_settings_flag

    parser = ArgumentParser(
        prog=PROG,
        description="A terminal console and engine for integration syncs. "
        "Without a command, opens the console.",
    )
    add_global_flags(parser, sub=False)
    add_settings_flag(parser, sub=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=ArgumentParser)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


async def _dispatch(args: argparse.Namespace) -> int:
    from .console_api import ConsoleAPI

    mode = getattr(args, "store_mode", "read")
    if mode == "none":
        return int(await args.handler(args, None) or 0)
    api = await ConsoleAPI.open(args.db, create=mode == "create", read_only=args.read_only)
    try:  # ConsoleAPI.open has marked runs of dead processes interrupted (not in read-only)
        return int(await args.handler(args, api) or 0)
    finally:
        await api.close()


def open_console(args: argparse.Namespace, db: str | None) -> int:
    try:
        from tui.app import run_console
    except ModuleNotFoundError as exc:
        if exc.name and (exc.name == "tui" or exc.name.startswith("tui.")):
            raise UserError(
                "The console is not part of this build yet.",
                "Use the headless commands: `syncdeck --help`.",
            ) from None
        raise
    extra = {"config": args.config} if getattr(args, "config", None) else {}
    return int(run_console(db=db, read_only=args.read_only, mouse=not args.no_mouse, **extra) or 0)


def _fail(error: UserError) -> int:
    text = clean(str(error), single_line=True)  # may quote a config key or a stored name
    sys.stderr.write(f"{PROG}: {text}\n")
    return getattr(error, "exit_code", EXIT_USER)  # 2; a refused run (cooldown) is 1


def main(argv: Sequence[str] | None = None) -> int:
    args: Any = None
    for stream in (sys.stdout, sys.stderr):  # a non-UTF-8 terminal gets '?', not a traceback
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    try:
        args = build_parser().parse_args(argv)
        if args.command is None:
            return open_console(args, args.db)
        code = asyncio.run(_dispatch(args))
        then = getattr(args, "then_console", None)
        if then:  # a companion (the live demo's syncs) lives exactly as long as the console
            companion = getattr(args, "console_companion", None)
            code = 0  # an error opening the console: stop the companion and wait for it
            try:
                code = open_console(args, then)
                return code
            finally:
                if companion is not None:  # the terminal went away (129, 143): do not linger
                    companion.stop(wait=code < 128)
        return code
    except UserError as exc:
        return _fail(exc)
    except sqlite3.Error as exc:  # a store that goes bad mid-command (locked, corrupt, full)
        return _fail(translate_error(exc, resolve_db_path(getattr(args, "db", None))))
    except Exception as exc:  # a PostgreSQL store that goes bad mid-command (server gone)
        error = driver_error(exc, getattr(args, "db", None))
        if error is None:
            raise
        return _fail(error)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `syncdeck logs | head`: the reader left; that is fine
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except OSError:
            pass
        return 0


if __name__ == "__main__":
    sys.exit(main())

"""Start the server: check the options and the store, listen, stop cleanly on SIGINT/SIGTERM."""

from __future__ import annotations

import asyncio
import logging
import shlex
import signal
import sys

from aiohttp import web

from core.console_api import ConsoleAPI
from core.errors import UserError

from .auth import Checker, read_passwords, read_token
from .options import ServeOptions, check
from .server import WebServer

log = logging.getLogger("syncdeck.serve")


def make_checker(options: ServeOptions) -> Checker:
    mode = options.auth_mode
    if mode == "token" and options.token_file:
        return Checker(mode, token=read_token(options.token_file))
    if mode == "password" and options.password_file:
        return Checker(mode, users=read_passwords(options.password_file))
    return Checker(mode)


async def _store_location(options: ServeOptions) -> str:
    """Open the store once, read-only, so a bad --db fails here and not in every browser tab."""
    api = await ConsoleAPI.open(options.db, read_only=True)
    try:
        return api.db_path
    finally:
        await api.close()


def console_command(location: str, allow_write: bool) -> str:
    argv = [sys.executable, "-m", "core.cli", "--db", location]
    if not allow_write:
        argv.append("--read-only")
    return shlex.join(argv)


async def run_server(options: ServeOptions) -> int:
    check(options)
    checker = make_checker(options)
    location = await _store_location(options)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    server = WebServer(options, checker, console_command(location, options.allow_write))
    runner = web.AppRunner(server.app(), access_log=None, handle_signals=False)
    await runner.setup()
    try:
        await web.TCPSite(runner, options.host, options.port).start()
    except OSError as exc:
        await runner.cleanup()
        raise UserError(
            f"Cannot listen on {options.host}:{options.port}: {exc.strerror}.",
            "Pick another --port, or stop what is using it.",
        ) from None
    mode = "read-write" if options.allow_write else "read-only"
    log.info(
        "serve: http://%s:%d/ (%s, sign-in: %s, at most %d sessions) on %s",
        *(options.host, options.port, mode, checker.mode, options.max_sessions, location),
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        log.info("serve: stopping")
        await runner.cleanup()
    return 0

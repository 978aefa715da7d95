"""Operator actions: cancel, retry, connectors test / reconnect / disconnect, services enable /
disable, and `syncdeck worker` (the scheduler). `syncdeck run` is in run_cmds.py; its cooldown
check is core.actions.run_now."""

from __future__ import annotations

import argparse
import asyncio
import signal
import socket
import sys
from typing import Any

from ..console_api import ConsoleAPI
from ..errors import UserError
from ..text import clean
from .base import add_global_flags, command, positive_int, seconds_type
from .output import output_format, render_json


def _say(line: str) -> None:
    sys.stdout.write(clean(line) + "\n")  # names, reasons, messages: untrusted text
    sys.stdout.flush()


async def cancel(args: argparse.Namespace, api: ConsoleAPI) -> int:
    run = await api.cancel_run(args.run)
    _say(f"Cancel requested for run {run.id} of {run.service}; it stops after the page in flight.")
    if args.wait:
        for _ in range(int(args.wait * 10)):
            current = await api.run(run.id)
            if current.status.value not in ("running", "queued"):
                _say(f"Run {run.id} is {current.status.value}.")
                return 0
            await asyncio.sleep(0.1)
        _say(f"Run {run.id} has not stopped yet after {args.wait:g}s.")
        return 1
    return 0


async def retry(args: argparse.Namespace, api: ConsoleAPI) -> int:
    result = await api.retry_run(args.run)
    if output_format(args) == "json":
        render_json({"run_id": result.run_id, "retry_of": args.run,
                     "status": result.status.value, "created": result.created,
                     "updated": result.updated, "skipped": result.skipped,
                     "failed": result.failed}, out=sys.stdout)  # fmt: skip
    else:
        _say(f"Retry of run {args.run}: " + result.summary())
    return result.exit_code


async def connector_test(args: argparse.Namespace, api: ConsoleAPI) -> int:
    res = await api.test_connection(args.name)
    if output_format(args) == "json":
        render_json({"connector": res.connector, "ok": res.ok, "status_code": res.status_code,
                     "duration_ms": res.duration_ms, "url": res.url, "reason": res.reason,
                     "hint": res.hint}, out=sys.stdout)  # fmt: skip
        return 0 if res.ok else 1
    if res.ok:
        _say(f"{res.connector}: connected (HTTP {res.status_code} in {res.duration_ms}ms, "
             f"GET {res.url}).")  # fmt: skip
        return 0
    reason = clean(res.reason, single_line=True)
    sys.stderr.write(f"syncdeck: {clean(res.connector)}: test is not successful: {reason}\n")
    if res.hint:
        sys.stderr.write(f"  What to do: {clean(res.hint, single_line=True)}\n")
    return 1


def _pairs(items: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key or not value:
            raise UserError(f"'{item}' is not KEY=env:NAME.", "For example token=env:NEW_TOKEN.")
        out[key.strip()] = value.strip()
    return out


async def connector_reconnect(args: argparse.Namespace, api: ConsoleAPI) -> int:
    keys = await api.reconnect_connector(args.name, _pairs(args.values))
    _say(f"{args.name}: new secret references for {', '.join(keys)}; services unchanged. "
         f"Test it with `syncdeck connectors test {args.name}`.")  # fmt: skip
    return 0


async def connector_disconnect(args: argparse.Namespace, api: ConsoleAPI) -> int:
    disabled = await api.disconnect_connector(args.name)
    _say(f"{args.name}: disconnected. Disabled services: {', '.join(disabled) or 'none'}.")
    return 0


async def service_enable(args: argparse.Namespace, api: ConsoleAPI) -> int:
    svc = await api.set_service_enabled(args.name, True)
    _say(f"{svc.name}: enabled" + (f" (schedule {svc.schedule})." if svc.schedule else "."))
    return 0


async def service_disable(args: argparse.Namespace, api: ConsoleAPI) -> int:
    svc = await api.set_service_enabled(args.name, False)
    _say(f"{svc.name}: disabled.")
    return 0


async def service_filters(args: argparse.Namespace, api: ConsoleAPI) -> int:
    """Show a service's filters, or replace them (--set "a; b") or remove them (--clear)."""
    values = await api.service_form_values(args.name)
    if args.set is not None or args.clear:
        values["filters"] = "" if args.clear else args.set
        errors = await api.check_service_form(args.name, values)
        if errors:
            key, msg = next(iter(errors.items()))
            raise UserError(f"{key}: {msg}.", "Nothing was changed.")
        await api.edit_service(args.name, values)
        values = await api.service_form_values(args.name)
    filters = [f for f in values["filters"].split("; ") if f]
    if output_format(args) == "json":
        render_json({"service": args.name, "filters": filters}, out=sys.stdout)
    elif filters:
        _say(f"{args.name} takes the source records where: " + "; ".join(filters) + ".")
    else:
        _say(f"{args.name} takes every source record (no filters).")
    return 0


async def worker(args: argparse.Namespace, api: ConsoleAPI) -> int:
    from ..engine.scheduler import Scheduler

    if args.read_only:
        raise UserError("The worker runs syncs, and --read-only forbids writing.",
                        "Start it without --read-only.")  # fmt: skip
    await api.store.check_for_worker()  # a SQLite file on a network mount: one line, exit 2
    sched = Scheduler(
        api.store, tick=args.tick, say=_say, heartbeat=args.heartbeat, lease=args.lease,
        concurrency=args.concurrency,
    )  # fmt: skip
    if sched.lease < 2 * sched.heartbeat:
        raise UserError(
            f"The lease ({sched.lease:g}s) must be at least two heartbeats "
            f"({sched.heartbeat:g}s each), or live workers would be declared lost.",
            "Raise --lease or lower --heartbeat.",
        )
    loop = asyncio.get_running_loop()
    signals = {"n": 0}

    def on_signal() -> None:
        signals["n"] += 1
        if signals["n"] == 1:
            _say("Stopping: finishing the pages in flight (signal again to stop at once).")
            sched.stop()
        else:
            asyncio.ensure_future(sched.cancel_now())

    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, on_signal)
    await sched.refresh()
    names = ", ".join(f"{s.name} ({s.schedule})" for s in sched.slots.values()) or "none"
    await sched.register()
    _say(
        f"Worker started; scheduled services: {names}. Worker {sched.worker_id} on "
        f"{socket.gethostname()}, heartbeat {sched.heartbeat:g}s, lease {sched.lease:g}s."
    )
    try:
        await sched.run()
    finally:
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(sig)
    _say("Worker stopped.")
    return 0


def _tick(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds") from None
    if not 0.05 <= value <= 60:
        raise argparse.ArgumentTypeError("use between 0.05 and 60 seconds")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds") from None
    if not 0.1 <= value <= 3600:
        raise argparse.ArgumentTypeError("use between 0.1 and 3600 seconds")
    return value


def register(subparsers: Any) -> None:
    p = command(subparsers, "cancel", cancel, help="ask a running run to stop after its page in "
                "flight (from any process)", formats=False)  # fmt: skip
    p.add_argument("run", type=positive_int, metavar="RUN")
    p.add_argument("--wait", type=seconds_type, default=0, metavar="SECONDS",
                   help="wait up to SECONDS for the run to stop")  # fmt: skip
    p = command(subparsers, "retry", retry, help="a new run that pushes only the failed "
                "entities of RUN", store="read")  # fmt: skip
    p.add_argument("run", type=positive_int, metavar="RUN")

    what = "test, reconnect or disconnect a connector"
    conn = subparsers.add_parser("connectors", help=what, description=what)
    add_global_flags(conn, sub=True)
    inner = conn.add_subparsers(dest="connectors_command", metavar="COMMAND", required=True)
    p = command(inner, "test", connector_test, help="one cheap authenticated request; the "
                "result is stored on the connector")  # fmt: skip
    p.add_argument("name", metavar="NAME")
    p = command(inner, "reconnect", connector_reconnect, formats=False,
                help="new secret references (KEY=env:NAME); services untouched")  # fmt: skip
    p.add_argument("name", metavar="NAME")
    p.add_argument("values", nargs="+", metavar="KEY=env:NAME")
    p = command(inner, "disconnect", connector_disconnect, formats=False,
                help="mark disconnected and disable every service that uses it")  # fmt: skip
    p.add_argument("name", metavar="NAME")

    svc = subparsers.add_parser("services", help="enable or disable a service",
                                description="enable or disable a service")  # fmt: skip
    add_global_flags(svc, sub=True)
    inner = svc.add_subparsers(dest="services_command", metavar="COMMAND", required=True)
    p = command(inner, "enable", service_enable, help="enable a service", formats=False)
    p.add_argument("name", metavar="NAME")
    p = command(inner, "disable", service_disable, help="disable a service", formats=False)
    p.add_argument("name", metavar="NAME")
    p = command(inner, "filters", service_filters,
                help="show a service's filters (which source records it takes), --set or --clear "
                "them")  # fmt: skip
    p.add_argument("name", metavar="NAME")
    how = p.add_mutually_exclusive_group()
    how.add_argument("--set", metavar="FILTERS",
                     help="'status = active; updated_at within 24h' (; between)")  # fmt: skip
    how.add_argument("--clear", action="store_true", help="take every record again")

    p = command(subparsers, "worker", worker, formats=False,
                help="run enabled services on their schedules until stopped (SIGTERM/SIGINT "
                "finish the page in flight, mark the runs cancelled, exit 0)")  # fmt: skip
    p.add_argument("--tick", type=_tick, default=1.0, metavar="SECONDS",
                   help="how often schedules are checked (default 1)")  # fmt: skip
    p.add_argument(
        "--heartbeat",
        type=_tick,
        default=None,
        metavar="SECONDS",
        help="seconds between heartbeats (default 10, or SYNCDECK_HEARTBEAT)",
    )
    p.add_argument(
        "--lease",
        type=_seconds,
        default=None,
        metavar="SECONDS",
        help="a worker silent this long is lost and its runs interrupted "
        "(default 60, or SYNCDECK_LEASE)",
    )
    p.add_argument("--concurrency", type=positive_int, default=4, metavar="N",
                   help="runs this worker takes at once (default 4)")  # fmt: skip

"""Read commands: runs, steps, instances, entities, calls, logs, search, stats."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..console_api import ConsoleAPI
from ..errors import UserError
from ..models import (
    ApiCall,
    Entity,
    EntityAction,
    EntityStatus,
    LogEvent,
    LogKind,
    LogLevel,
    Run,
    RunStatus,
    SearchHit,
    Step,
    StepInstance,
)
from ..timeutil import duration, local_minute, relative
from .base import add_paging, command, fetch_page, id_type, since_type
from .output import Column, attr, emit_page, emit_rows, output_format, render_json, render_table


def _choice_list(enum: type, *, upper: bool = False) -> Any:
    """'failed,partial' -> ['failed', 'partial'], each checked against the enum's values."""
    allowed = [e.value for e in enum]

    def convert(text: str) -> list[str]:
        values = [v.strip().upper() if upper else v.strip().lower() for v in text.split(",")]
        bad = [v for v in values if v not in allowed]
        if bad or not values:
            raise argparse.ArgumentTypeError(
                f"'{text}' is not one of {', '.join(allowed)} (several: comma-separated)"
            )
        return values

    convert.__name__ = enum.__name__
    return convert


def _one_choice(enum: type) -> Any:
    allowed = [e.value for e in enum]

    def convert(text: str) -> str:
        value = text.strip().lower()
        if value not in allowed:
            raise argparse.ArgumentTypeError(f"'{text}' is not one of {', '.join(allowed)}")
        return value

    convert.__name__ = enum.__name__
    return convert


def _ms(run: Any) -> str:
    return duration(run.duration_ms)


def _step_ms(step: Any) -> str:
    if step.finished_at is None:
        return ""
    return duration(int((step.finished_at - step.started_at).total_seconds() * 1000))


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.0f}%"


RUN_COLUMNS = [
    attr("id", 10, right=True),
    Column("STARTED", lambda r: r.started_at, 16),
    attr("service", 28),
    Column("TYPE", lambda r: r.sync_type, 10),
    attr("trigger", 8),
    Column("STATUS", lambda r: r.shown_status, 21),
    Column("DURATION", _ms, 10, right=True),
    attr("pulled", 8, right=True),
    attr("created", 8, right=True),
    attr("updated", 8, right=True),
    attr("skipped", 8, right=True),
    attr("failed", 8, right=True),
    attr("host", 16, flex=True),
    Column("MESSAGE", lambda r: " ".join(filter(None, (r.stale_note, r.message))), 60, flex=True),
]
STEP_COLUMNS = [
    attr("id", 10, right=True),
    attr("stream", 24),
    attr("status", 11),
    Column("STARTED", lambda s: s.started_at, 16),
    Column("DURATION", _step_ms, 10, right=True),
    attr("processed", 9, right=True),
    attr("created", 8, right=True),
    attr("updated", 8, right=True),
    attr("skipped", 8, right=True),
    attr("failed", 8, right=True),
    Column("RATE LIMITED", lambda s: s.rate_limited, 12),
    attr("message", 60, flex=True),
]
INSTANCE_COLUMNS = [
    attr("id", 10, right=True),
    attr("page", 6, right=True),
    attr("method", 6),
    Column("HTTP", lambda i: i.status_code, 4, right=True),
    attr("records", 7, right=True),
    attr("retries", 7, right=True),
    Column("HEADROOM", lambda i: _pct(i.headroom), 8, right=True),
    Column("DURATION", lambda i: duration(i.duration_ms), 9, right=True),
    Column("STARTED", lambda i: i.started_at, 16),
    attr("cursor", 16),
    attr("url", 80, flex=True),
]
ENTITY_COLUMNS = [
    attr("id", 10, right=True),
    attr("external_id", 20),
    attr("internal_id", 20),
    attr("action", 6),
    attr("status", 7),
    Column("AT", lambda e: e.created_at, 16),
    attr("reason", 80, flex=True),
]
CALL_COLUMNS = [
    attr("id", 10, right=True),
    Column("AT", lambda c: c.started_at, 16),
    attr("connector", 16),
    attr("method", 6),
    Column("HTTP", lambda c: c.status_code, 4, right=True),
    Column("DURATION", lambda c: duration(c.duration_ms), 9, right=True),
    attr("attempt", 7, right=True),
    attr("url", 60, flex=True),
    attr("error", 60, flex=True),
]
LOG_COLUMNS = [
    attr("id", 10, right=True),
    attr("level", 7),
    Column("TIMESTAMP", lambda e: e.ts, 16),
    attr("connector", 16),
    Column(
        "SUMMARY",
        lambda e: f"{e.title} — {e.details}" if e.details else e.title,
        200,
        flex=True,
    ),
]
HIT_COLUMNS = [
    Column("RUN", lambda h: h.run_id, 10, right=True),
    Column("STEP", lambda h: h.step_id, 10, right=True),
    Column("ENTITY", lambda h: h.entity_id, 10, right=True),
    attr("service", 24),
    attr("stream", 16),
    attr("external_id", 20),
    attr("internal_id", 20),
    attr("action", 6),
    attr("status", 7),
    Column("AT", lambda h: h.at, 16),
    attr("reason", 60, flex=True),
]
TILE_COLUMNS = [
    attr("connector", 24),
    Column("LOGS 30D", lambda t: t.total, 9, right=True),
    Column("ERRORS 30D", lambda t: t.errors, 10, right=True),
    Column("WARNINGS 30D", lambda t: t.warnings, 12, right=True),
    Column("MILESTONES 30D", lambda t: t.milestones, 14, right=True),
    Column("LAST UPDATE", lambda t: relative(t.last_update), 16),
    Column("LAST SYNCED", lambda t: relative(t.last_synced_at), 16),
]


# ---- handlers ---------------------------------------------------------------------------------


async def runs(args: argparse.Namespace, api: ConsoleAPI) -> int:
    filters: dict[str, Any] = dict(
        connector=args.connector,
        service=args.service,
        status=args.status,
        since=args.since,
        until=args.until,
        touching=args.touching,
        failed=args.failed,
    )
    page, first = await fetch_page(args, lambda **p: api.runs(**filters, **p))
    emit_page(args, page, RUN_COLUMNS, model=Run, empty="No runs match.", first=first)
    return 0


async def steps(args: argparse.Namespace, api: ConsoleAPI) -> int:
    await api.run(args.run)  # an unknown run is an error, not an empty list
    page, first = await fetch_page(args, lambda **p: api.steps(args.run, failed=args.failed, **p))
    emit_page(
        args,
        page,
        STEP_COLUMNS,
        model=Step,
        empty=f"Run #{args.run} has no steps yet.",
        first=first,
    )
    return 0


async def instances(args: argparse.Namespace, api: ConsoleAPI) -> int:
    await api.step(args.step)
    page, first = await fetch_page(
        args, lambda **p: api.instances(args.step, failed=args.failed, **p)
    )
    emit_page(
        args,
        page,
        INSTANCE_COLUMNS,
        model=StepInstance,
        empty=f"Step {args.step} has no pages.",
        first=first,
    )
    return 0


async def entities(args: argparse.Namespace, api: ConsoleAPI) -> int:
    await api.step(args.step)
    if args.failed and args.status not in (None, "failed"):
        raise UserError("--failed and --status say different things.", "Give one of them.")
    status = "failed" if args.failed else args.status
    filters = dict(action=args.action, status=status, external_id=args.id)
    page, first = await fetch_page(args, lambda **p: api.entities(args.step, **filters, **p))
    emit_page(
        args,
        page,
        ENTITY_COLUMNS,
        model=Entity,
        empty=f"No entities of step {args.step} match.",
        first=first,
    )
    return 0


async def calls(args: argparse.Namespace, api: ConsoleAPI) -> int:
    if args.instance is not None:
        await api.instance(args.instance)
        scope = dict(instance_id=args.instance)
        what = f"step instance {args.instance}"
    else:
        await api.entity(args.entity)
        scope = dict(entity_id=args.entity)
        what = f"entity {args.entity}"
    page, first = await fetch_page(args, lambda **p: api.calls(**scope, failed=args.failed, **p))
    emit_page(
        args,
        page,
        CALL_COLUMNS,
        model=ApiCall,
        empty=f"No API calls recorded for {what}.",
        first=first,
    )
    return 0


async def logs(args: argparse.Namespace, api: ConsoleAPI) -> int:
    if args.failed and args.level not in (None, ["ERROR"]):
        raise UserError("--failed and --level say different things.", "Give one of them.")
    filters: dict[str, Any] = dict(
        level=["ERROR"] if args.failed else args.level,
        kind=args.kind,
        connector=args.connector,
        service=args.service,
        run_id=args.run,
        since=args.since,
        until=args.until,
        text=args.search or None,
        account=args.account or None,
    )
    page, first = await fetch_page(args, lambda **p: api.logs(**filters, **p))
    emit_page(args, page, LOG_COLUMNS, model=LogEvent, empty="No log events match.", first=first)
    return 0


async def search(args: argparse.Namespace, api: ConsoleAPI) -> int:
    value = args.id.strip()
    if not value:
        raise UserError("The id to search for is empty.", "Give an external or internal id.")
    page, first = await fetch_page(args, lambda **p: api.search_id(value, **p))
    if not page.items and args.after is None and args.before is None and not args.page:
        raise UserError(
            f"No run touched an entity with id '{value}'.",
            "Check the id (external or internal, exact match), or search log text with "
            f"`syncdeck logs --search {value}`.",
        )
    emit_page(
        args,
        page,
        HIT_COLUMNS,
        model=SearchHit,
        empty=f"No more entities with id '{value}'.",
        first=first,
    )
    return 0


async def stats(args: argparse.Namespace, api: ConsoleAPI) -> int:
    overall = await api.tiles()
    per = await api.connector_tiles()
    fmt = output_format(args)
    if fmt == "json":
        render_json({"overall": overall, "connectors": per}, out=sys.stdout)
        return 0
    if fmt == "csv":
        overall_row = dict(
            connector="(all)",
            total=overall.total,
            errors=overall.errors,
            warnings=overall.warnings,
            milestones=overall.milestones,
            last_update=overall.last_update,
            last_synced_at=None,
        )
        emit_rows(args, [overall_row, *per], TILE_COLUMNS)
        return 0
    out = sys.stdout
    last = overall.last_update
    out.write(
        f"Total logs 30d: {overall.total}   Errors 30d: {overall.errors}   "
        f"Warnings 30d: {overall.warnings}   Milestones 30d: {overall.milestones}   "
        f"Last update: {relative(last)}"
        f"{f' ({local_minute(last)})' if last else ''}\n\n"
    )
    if per:
        render_table(per, TILE_COLUMNS, out=out)
    else:
        out.write("No connectors yet.\n")
    return 0


# ---- registration -----------------------------------------------------------------------------


def register(subparsers: Any) -> None:
    p = command(subparsers, "runs", runs, help="list runs, newest first")
    p.add_argument("--connector", metavar="NAME", help="runs of services using this connector")
    p.add_argument("--service", metavar="NAME", help="runs of this service")
    p.add_argument(
        "--status",
        type=_choice_list(RunStatus),
        metavar="STATUS",
        help="failed, partial, success, ... (comma-separated for several)",
    )
    p.add_argument("--since", type=since_type, metavar="WHEN", help="24h, 7d or a date")
    p.add_argument("--until", type=since_type, metavar="WHEN", help="24h, 7d or a date")
    p.add_argument("--touching", metavar="ID", help="runs that touched this external/internal id")
    p.add_argument("--failed", action="store_true",
                   help="only runs with failures (failed, partial or a failed count)")  # fmt: skip
    add_paging(p, 20)

    p = command(subparsers, "steps", steps, help="the steps (streams) of a run")
    p.add_argument("run", type=id_type, metavar="RUN", help="run id")
    p.add_argument("--failed", action="store_true", help="only steps with failures")
    add_paging(p, 50)

    p = command(subparsers, "instances", instances, help="the pages (instances) of a step")
    p.add_argument("step", type=id_type, metavar="STEP", help="step id")
    p.add_argument("--failed", action="store_true",
                   help="only pages answered 4xx/5xx or holding a failed entity")  # fmt: skip
    add_paging(p, 50)

    p = command(subparsers, "entities", entities, help="the records a step processed")
    p.add_argument("step", type=id_type, metavar="STEP", help="step id")
    p.add_argument("--action", type=_one_choice(EntityAction), metavar="ACTION",
                   help="create, update, skip, delete or fail")  # fmt: skip
    p.add_argument("--status", type=_one_choice(EntityStatus), metavar="STATUS",
                   help="success, skipped or failed")  # fmt: skip
    p.add_argument("--id", metavar="ID", help="only this external or internal id")
    p.add_argument("--failed", action="store_true", help="only failed entities (--status failed)")
    add_paging(p, 50)

    p = command(subparsers, "calls", calls, help="the API calls of an instance or an entity")
    scope = p.add_mutually_exclusive_group(required=True)
    scope.add_argument("--instance", type=id_type, metavar="ID", help="step instance id")
    scope.add_argument("--entity", type=id_type, metavar="ID", help="entity id")
    p.add_argument("--failed", action="store_true",
                   help="only calls answered 4xx/5xx or with no answer")  # fmt: skip
    add_paging(p, 50)

    p = command(subparsers, "logs", logs, help="log events, newest first")
    p.add_argument("--level", type=_choice_list(LogLevel, upper=True), metavar="LEVEL",
                   help="INFO, WARNING or ERROR (comma-separated for several)")  # fmt: skip
    p.add_argument("--kind", type=_one_choice(LogKind), metavar="KIND", help="milestone or event")
    p.add_argument("--since", type=since_type, metavar="WHEN", help="24h, 7d or a date")
    p.add_argument("--until", type=since_type, metavar="WHEN", help="24h, 7d or a date")
    p.add_argument("--connector", metavar="NAME", help="events of this connector")
    p.add_argument("--service", metavar="NAME", help="events of this service")
    p.add_argument("--run", type=id_type, metavar="RUN", help="events of this run")
    p.add_argument("--search", metavar="TEXT", help="text in the title or details")
    p.add_argument("--failed", action="store_true", help="only ERROR events (--level ERROR)")
    p.add_argument("--account", metavar="ID",
                   help="events about one record: its external or internal id")  # fmt: skip
    add_paging(p, 20)

    p = command(subparsers, "search", search, help="which runs, steps and entities touched an id")
    p.add_argument("id", metavar="ID", help="an external (source) or internal (destination) id")
    add_paging(p, 50)

    command(subparsers, "stats", stats, help="overview tiles: overall and per connector, 30 days")

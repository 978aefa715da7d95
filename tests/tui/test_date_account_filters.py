"""`T` date filter (a date or a range, parsed as the CLI's --since / --until) on the Log and
Runs lists, `a` the log events about one record (external account), both typed as fast as a
paste; `syncdeck logs --account`; parse_range's forms and refusals."""

from __future__ import annotations

import asyncio
from datetime import datetime

import pytest
from tui_fixture import FIXED_NOW
from tui_helpers import logs_screen, make_app, settle

from core.cli import main
from core.errors import UserError
from core.store import LogRow, open_store
from core.timeutil import parse_range
from tui.screens.help import HelpScreen
from tui.widgets.status_line import StatusLine

DAY = 86400


def ts(text: str) -> float:
    return datetime.fromisoformat(text).astimezone().timestamp()


def test_parse_range_forms() -> None:
    ref = FIXED_NOW
    assert parse_range("2026-03-01", reference=ref) == (ts("2026-03-01"), ts("2026-03-02"))
    assert parse_range("2026-02-20..2026-02-22", reference=ref) == (
        ts("2026-02-20"), ts("2026-02-22"))  # fmt: skip
    assert parse_range("..2026-02-01", reference=ref) == (None, ts("2026-02-01"))
    assert parse_range("24h", reference=ref) == (ref - DAY, ref)
    assert parse_range("2026-03-01 14:00", reference=ref) == (ts("2026-03-01 14:00"), ref)
    assert parse_range("7d..24h", reference=ref) == (ref - 7 * DAY, ref - DAY)
    for bad in ("yesterday", "2026-03-02..2026-03-01", "2026-13-01"):
        with pytest.raises(UserError):
            parse_range(bad, reference=ref)


def pager(screen) -> str:  # noqa: ANN001
    return screen.query_one("#pager", StatusLine).plain


async def test_date_filter_typed_fast_on_logs_and_runs(demo_db: str) -> None:
    store = await open_store(demo_db)
    try:
        day = await store.list_logs(since=ts("2026-03-01"), until=ts("2026-03-02"), limit=100)
    finally:
        await store.close()
    assert 0 < day.total < 45
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = logs_screen(app)
        await pilot.press("T", *"2026-03-01", "enter")  # one burst, as a paste
        await settle(pilot)
        assert app.screen is screen
        assert pager(screen).startswith(f"1–{min(20, day.total)} of {day.total} ")
        shown = screen.query_one("#filters", StatusLine).plain
        assert "Dates 2026-03-01 00:00 → 2026-03-02 00:00" in shown and "Range" not in shown
        await pilot.press("v")  # the Runs list takes the same dates
        await settle(pilot)
        assert screen.table.row_count == 0  # the fixture's runs all started on 2026-03-02
        await pilot.press("T", "ctrl+u", *"2026-03-02", "enter")
        await settle(pilot)
        assert screen.table.row_count == 6
        await pilot.press("T", *"nonsense", "enter")
        await settle(pilot)
        assert any("'nonsense' is not a time span or a date" in str(n.message)
                   for n in app._notifications)  # fmt: skip
        assert screen.table.row_count == 6  # a bad date changes nothing
        await pilot.press("T", "ctrl+u", "enter")  # empty clears
        await settle(pilot)
        assert "Range 30d" in screen.query_one("#filters", StatusLine).plain
        await pilot.press("T", *"2026-03-01", "enter", "t")  # t goes back to the range
        await settle(pilot)
        assert "Range 30d" in screen.query_one("#filters", StatusLine).plain
        assert screen.table.row_count == 6


async def add_account_logs(db: str) -> int:
    store = await open_store(db)
    try:
        step = (await store.list_steps(1)).items[0]
        ent = (await store.list_entities(step.id, external_id="4724")).items[0]
        for i in range(3):
            await store.add_log(LogRow(ts=FIXED_NOW - 60 + i, level="ERROR", kind="event",
                                       title=f"Company 4724 failed ({i})", run_id=1,
                                       step_id=step.id, entity_id=ent.id))  # fmt: skip
        return ent.id
    finally:
        await store.close()


async def test_account_filter_on_the_log(demo_db: str) -> None:
    await add_account_logs(demo_db)
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = logs_screen(app)
        await pilot.press("a", *"4724", "enter")
        await settle(pilot)
        assert screen.table.row_count == 3 and pager(screen).startswith("1–3 of 3 ")
        assert "Account 4724 (a)" in screen.query_one("#filters", StatusLine).plain
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        keys = dict(app.screen.keys)
        assert keys["T"] == "Date filter  (logs.dates)"
        assert keys["a"] == "Account filter  (logs.account)"


def test_cli_logs_account(demo_db: str, capsys) -> None:  # noqa: ANN001
    asyncio.run(add_account_logs(demo_db))
    assert main(["logs", "--account", "4724", "--db", demo_db, "--json"]) == 0
    import json

    doc = json.loads(capsys.readouterr().out)
    assert doc["total"] == 3 and all("4724" in e["title"] for e in doc["items"])
    assert main(["logs", "--account", "nobody", "--db", demo_db]) == 0
    assert "No log events match." in capsys.readouterr().out

"""Regenerate screenshots/ from the demo itself: an SVG and a PNG of every screen.

The store is filled the way `syncdeck demo` fills it (core.demo.history.seed_history, scale 1,
seed 7, 30 days ending now), then one live sync of the demo CRM and ERP runs on 127.0.0.1 with
the real engine, as `syncdeck demo` starts at once (core.demo.live.live_loop). Each screen is
captured with Textual's SVG export and turned into a PNG by Debian's headless Chromium
(Playwright), which draws the SVG's text as a browser does (rsvg-convert glued text after a
styled span: "ConnectorsC connectors").

Run: .venv/bin/python screenshots/make.py   (needs /usr/bin/chromium for the PNGs)
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

os.environ["TZ"] = "UTC"
time.tzset()
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.demo.history import seed_history  # noqa: E402
from core.demo.live import live_loop  # noqa: E402
from core.store import open_store  # noqa: E402
from tui.app import SyncdeckApp  # noqa: E402

LIVE = "demo-crm-to-erp"  # the service the live demo syncs
Step = str | Callable[[Any], Awaitable[None]]


async def to_service(pilot: Any, name: str = LIVE) -> None:
    """On Services: the cursor to `name`'s row."""
    screen = pilot.app.screen
    rows = list(screen.table.keys)
    screen.table.move_cursor(row=rows.index(name))
    await settle(pilot)


async def to_failed_run(pilot: Any) -> None:
    """On Runs: the cursor to the newest run with failed records (a drill worth showing)."""
    screen = pilot.app.screen
    for i, key in enumerate(screen.table.keys):
        run = screen._items.get(key)
        if run is not None and run.failed and run.status.value == "partial":
            screen.table.move_cursor(row=i)
            break
    await settle(pilot)


async def to_failed_entity(pilot: Any) -> None:
    screen = pilot.app.screen
    for i, key in enumerate(screen.table.keys):
        item = screen._items.get(key)
        if item is not None and getattr(item, "status", None) and item.status.value == "failed":
            screen.table.move_cursor(row=i)
            break
    await settle(pilot)


RUNS: list[Step] = ["v", to_failed_run]
SHOTS: list[tuple[str, tuple[int, int], list[Step]]] = [
    ("1-logs", (120, 40), []),
    ("2-runs", (120, 40), ["v"]),
    ("3-steps", (120, 40), [*RUNS, "enter"]),
    ("4-instances", (120, 40), [*RUNS, "enter", "enter"]),
    ("5-entities", (120, 40), [*RUNS, "enter", "enter", "enter", to_failed_entity]),
    ("6-api-calls", (120, 40), [*RUNS, "enter", "enter", "enter", to_failed_entity, "enter"]),
    ("7-logs-80x24", (80, 24), []),
    ("8-help", (120, 40), ["question_mark"]),
    ("9-connectors", (120, 40), ["C"]),
    ("10-services", (120, 40), ["S"]),
    ("11-mappings", (120, 40), ["S", to_service, "m"]),
    ("12-field-form", (120, 40), ["S", to_service, "m", "enter", "end", *" | upper"]),
    ("13-connector-form", (120, 40), ["C", "a", *"billing", "tab", "tab", *"ftp:/x"]),
    ("14-connectors-80x24", (80, 24), ["C"]),
    ("15-mappings-80x24", (80, 24), ["S", to_service, "m"]),
    ("16-disconnect", (120, 40), ["C", "D"]),
]


async def settle(pilot: Any) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def demo_store(db: Path) -> float:
    """The demo's history and one live sync, as `syncdeck demo` makes them. Returns now."""
    now = time.time()
    async with await open_store(db, create=True) as store:
        await seed_history(store, scale=1, seed=7, now=now)
    stop = asyncio.Event()
    await live_loop(db, stop=stop, runs=1, say=lambda line: print("  live:", line))
    return time.time()


async def capture(db: Path, out: Path, now: float) -> list[Path]:
    svgs = []
    for name, size, steps in SHOTS:
        app = SyncdeckApp(str(db), clock=lambda: now)
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            for step in steps:
                if isinstance(step, str):
                    await pilot.press(step)
                else:
                    await step(pilot)
                await settle(pilot)
            svg = out / f"{name}.svg"
            svg.write_text(app.export_screenshot(title=f"syncdeck {name}"), encoding="utf-8")
        svgs.append(svg)
        print(svg.relative_to(ROOT))
    return svgs


def to_png(svgs: list[Path]) -> None:
    """Each SVG drawn by headless Chromium at its own size."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for svg in svgs:
            box = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg.read_text(encoding="utf-8"))
            assert box is not None, svg
            width, height = (int(float(v) + 0.999) for v in box.groups())
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(svg.resolve().as_uri())
            page.screenshot(path=str(svg.with_suffix(".png")), omit_background=True)
            page.close()
        browser.close()


def main(out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["SYNCDECK_CONFIG_DIR"] = str(Path(tmp) / "config")  # no real secrets file
        os.environ["XDG_DATA_HOME"] = str(Path(tmp) / "data")  # exports, never yours
        db = Path(tmp) / "demo.db"
        now = asyncio.run(demo_store(db))
        svgs = asyncio.run(capture(db, out, now))
    if Path("/usr/bin/chromium").exists():
        to_png(svgs)
    else:
        print("no /usr/bin/chromium: SVG only")


if __name__ == "__main__":
    main(Path(__file__).resolve().parent)

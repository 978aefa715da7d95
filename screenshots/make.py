"""Regenerate screenshots/: an SVG and a PNG of the log grid and each drill-down level.

Taken from the demo store (core.demo.history.seed_history) with a fixed clock and TZ=UTC.
Run: .venv/bin/python screenshots/make.py   (PNG needs rsvg-convert: apt-get install librsvg2-bin)
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ["TZ"] = "UTC"
time.tzset()
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import core.store.sqlite.log_reads  # noqa: E402
import core.timeutil  # noqa: E402
from core.demo.history import seed_history  # noqa: E402
from core.store import open_store  # noqa: E402
from tui.app import SyncdeckApp  # noqa: E402

NOW = 1772443800.0  # 2026-03-02 09:30 UTC
SHOTS = [
    ("1-logs", (120, 40), []),
    ("2-runs", (120, 40), ["v"]),
    ("3-steps", (120, 40), ["v", "j", "enter"]),
    ("4-instances", (120, 40), ["v", "j", "enter", "enter"]),
    ("5-entities", (120, 40), ["v", "j", "enter", "enter", "enter"]),
    ("6-api-calls", (120, 40), ["v", "j", "enter", "enter", "enter", "enter"]),
    ("7-logs-80x24", (80, 24), []),
    ("8-help", (120, 40), ["question_mark"]),
    ("9-connectors", (120, 40), ["C"]),
    ("10-services", (120, 40), ["S"]),
    ("14-connectors-80x24", (80, 24), ["C"]),
]
# The admin screens on a store with field mappings, a lookup and samples of a pulled page.
ADMIN_SHOTS = [
    ("11-mappings", (120, 40), ["M"]),
    ("12-field-form", (120, 40), ["M", "enter", "end", *" | upper"]),
    ("13-connector-form", (120, 40), ["C", "a", *"billing", "tab", *"ftp:/x"]),
    ("15-mappings-80x24", (80, 24), ["M"]),
    ("16-disconnect", (120, 40), ["C", "D"]),
]


async def settle(pilot) -> None:  # noqa: ANN001
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def main(out: Path) -> None:
    core.store.sqlite.log_reads.now = lambda: NOW  # type: ignore[assignment]
    core.timeutil.now = lambda: NOW  # type: ignore[assignment]
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "demo.db")
        store = await open_store(db, create=True)
        try:
            await seed_history(store, scale=0.05, seed=7, now=NOW)
        except Exception as exc:  # noqa: BLE001 - the demo seeder is still being built
            print(f"seed_history failed ({exc!r}); using the console's test fixture instead")
            await store.close()
            db = str(Path(tmp) / "fixture.db")
            sys.path.insert(0, str(ROOT / "tests" / "tui"))
            from tui_fixture import build_store

            await build_store(db, now=NOW, runs=8, logs=60)
        finally:
            await store.close()
        sys.path.insert(0, str(ROOT / "tests" / "admin"))
        from admin_helpers import add_history, build_admin_store

        admin_db = str(Path(tmp) / "admin.db")
        await build_admin_store(admin_db)
        await add_history(admin_db, NOW)
        os.environ["SYNCDECK_CONFIG_DIR"] = str(Path(tmp) / "config")  # no real secrets file
        shots = [(n, s, k, db) for n, s, k in SHOTS] + [
            (n, s, k, admin_db) for n, s, k in ADMIN_SHOTS
        ]
        for name, size, keys, store_path in shots:
            app = SyncdeckApp(store_path, clock=lambda: NOW)
            async with app.run_test(size=size) as pilot:
                await settle(pilot)
                for key in keys:
                    await pilot.press(key)
                    await settle(pilot)
                svg = out / f"{name}.svg"
                svg.write_text(app.export_screenshot(title=f"syncdeck {name}"), encoding="utf-8")
            if shutil.which("rsvg-convert"):
                subprocess.run(
                    ["rsvg-convert", str(svg), "-o", str(svg.with_suffix(".png"))], check=True
                )
            print(svg.relative_to(ROOT))


if __name__ == "__main__":
    asyncio.run(main(Path(__file__).resolve().parent))

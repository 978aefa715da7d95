"""Console benchmark (not collected by pytest): prints figures, asserts nothing.

Run: .venv/bin/python tests/bench/bench_tui.py [--db PATH]
Without --db it builds the console's test fixture store (small). Figures:
  start: process start -> logs screen painted, under tmux 120x40 (median of 5)
  drill/back: key -> new level shown (in-process, headless)
  bytes: written to the terminal by an idle refresh tick, and by a tick adding one log row
  rss: after walking five levels and paging 100 times
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "tui"))
PY = str(ROOT / ".venv" / "bin" / "python")
RUN = "import sys; from tui.app import run_console; sys.exit(run_console(sys.argv[1]))"


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True).stdout


def start_session(name: str, db: str) -> float:
    tmux("kill-session", "-t", name)
    began = time.perf_counter()
    cmd = f"cd {ROOT} && {PY} -c '{RUN}' {db}"
    tmux("new", "-d", "-s", name, "-x", "120", "-y", "40", cmd)
    while time.perf_counter() - began < 20:
        screen = tmux("capture-pane", "-p", "-t", name)
        if "live 5s" in screen and " of " in screen and "Total logs" in screen:
            return time.perf_counter() - began
        time.sleep(0.01)
    raise RuntimeError("the console did not paint within 20 s")


def bench_start(db: str) -> list[float]:
    times = []
    for i in range(5):
        times.append(start_session(f"bench{i}", db))
        tmux("kill-session", "-t", f"bench{i}")
    return times


def bench_bytes(db: str) -> tuple[int, int]:
    from tui_fixture import add_log

    start_session("benchb", db)
    log = Path(tempfile.mkdtemp()) / "pane.out"
    time.sleep(1.0)
    tmux("pipe-pane", "-o", "-t", "benchb", f"cat >> {log}")
    time.sleep(0.3)
    before = log.stat().st_size if log.exists() else 0
    time.sleep(5.5)  # at least one idle tick
    idle = (log.stat().st_size if log.exists() else 0) - before
    before = log.stat().st_size if log.exists() else 0
    asyncio.run(add_log(db, time.time(), "bench: one more row"))
    time.sleep(5.5)
    one = (log.stat().st_size if log.exists() else 0) - before
    tmux("kill-session", "-t", "benchb")
    return idle, one


async def bench_inprocess(db: str) -> tuple[list[float], list[float], float]:
    from tui.app import SyncdeckApp

    async def settle(pilot) -> None:  # noqa: ANN001
        for _ in range(2):
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()

    drill, back = [], []
    app = SyncdeckApp(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for _ in range(3):
            await pilot.press("v")
            await settle(pilot)
            for _ in range(5):
                t0 = time.perf_counter()
                await pilot.press("enter")
                await settle(pilot)
                drill.append(time.perf_counter() - t0)
            for _ in range(5):
                t0 = time.perf_counter()
                await pilot.press("escape")
                await settle(pilot)
                back.append(time.perf_counter() - t0)
            await pilot.press("v")
            await settle(pilot)
        for i in range(100):
            await pilot.press("n" if i % 4 < 2 else "b")
            await settle(pilot)
        rss = 0.0
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) / 1024
    return drill[:-3], back, rss  # the last drill at the deepest level opens nothing


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db")
    args = parser.parse_args()
    db = args.db
    if db is None:
        from tui_fixture import build_store

        db = str(Path(tempfile.mkdtemp()) / "bench.db")
        asyncio.run(build_store(db, now=time.time(), runs=40, logs=2000))
    info = subprocess.run(
        [PY, "-c", f"import os; print(os.path.getsize('{db}'))"], capture_output=True, text=True
    ).stdout.strip()
    print(f"store: {db} ({int(info) / 1e6:.1f} MB)")
    starts = bench_start(db)
    print(f"start to logs painted (tmux 120x40): median {statistics.median(starts) * 1000:.0f} ms"
          f"  all {[round(s * 1000) for s in starts]}")  # fmt: skip
    drill, back, rss = asyncio.run(bench_inprocess(db))
    print(f"drill-down: median {statistics.median(drill) * 1000:.1f} ms, "
          f"max {max(drill) * 1000:.1f} ms")  # fmt: skip
    print(f"back: median {statistics.median(back) * 1000:.1f} ms, max {max(back) * 1000:.1f} ms")
    print(f"RSS after five levels x3 and 100 pages: {rss:.0f} MB")
    idle, one = bench_bytes(db)
    print(f"bytes to the terminal: idle tick {idle} B, tick adding one log row {one} B")


if __name__ == "__main__":
    main()

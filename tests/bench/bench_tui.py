"""Console benchmark (not collected by pytest): prints figures, asserts nothing.

Run: .venv/bin/python tests/bench/bench_tui.py [--db PATH]
Without --db it builds the console's test fixture store (small); for the issue's figures seed
one first: `tests/bench/bench_store.py --db /tmp/tui-bench-10m.db --seed-only` (10M calls).
The bench writes one log row per byte case into the store. Everything runs under tmux 120x40:
  start: process start -> logs screen painted (median of 5)
  drill/back: send-keys -> the new level's column header on screen (capture-pane polled)
  bytes: written to the pane (pipe-pane) by an idle tick, and by a tick adding one log row,
         at the live edge (cursor on the newest row) and away from it (cursor moved down)
  rss: of the console process after walking five levels and paging 100 times
  floor: the same measure for `cat` echoing a key, and for `p` (one word repainted)
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


HEADERS = {  # a column title only that level shows
    "runs": "Trigger", "steps": "Rate limit", "instances": "Headroom",
    "entities": "External id", "calls": "Params", "logs": "Summary",
}  # fmt: skip
PAGES = ("page 2/", "page 3/", "page 2/", "page 1/")  # n, n, b, b


def wait_for(name: str, text: str, began: float, timeout: float = 10.0) -> float:
    while time.perf_counter() - began < timeout:
        if text in tmux("capture-pane", "-p", "-t", name):
            return time.perf_counter() - began
        time.sleep(0.002)
    raise RuntimeError(f"{text!r} not on screen after {timeout} s")


def key_to(name: str, key: str, text: str) -> float:
    began = time.perf_counter()
    tmux("send-keys", "-t", name, key)
    return wait_for(name, text, began)


def find_full_path(name: str, path: list[str]) -> None:
    """Move the Runs cursor to a run whose first step, page and entity all have children
    (the newest runs of the demo history may have none, e.g. a run refused by a cooldown)."""
    for _ in range(30):
        at = 0  # index in `path` of the level on screen
        for level in path[1:]:
            key_to(name, "Enter", HEADERS[level])
            at += 1
            time.sleep(0.4)
            if "No rows here" in tmux("capture-pane", "-p", "-t", name):
                break
        full = at == len(path) - 1 and "No rows here" not in tmux("capture-pane", "-p", "-t", name)
        for level in reversed(path[:at]):
            key_to(name, "Escape", HEADERS[level])
        if full:
            return
        tmux("send-keys", "-t", name, "j")
        time.sleep(0.3)
    raise RuntimeError("no run with steps, pages, entities and calls among the first 30")


def bench_walk(db: str) -> tuple[list[float], list[float], list[float], float]:
    """Drill Runs > Steps > Pages > Entities > API calls and back up, three times; then page
    100 times. Returns the drill and back times and the console's RSS (MB) at the end."""
    name = "benchw"
    start_session(name, db)
    time.sleep(1.0)
    drill, back = [], []
    path = ["runs", "steps", "instances", "entities", "calls"]
    key_to(name, "v", HEADERS["runs"])
    time.sleep(0.3)
    find_full_path(name, path)
    key_to(name, "v", HEADERS["logs"])
    back_esc: list[float] = []
    for lap in range(4):
        key_to(name, "v", HEADERS["runs"])
        time.sleep(0.3)
        for level in path[1:]:
            drill.append(key_to(name, "Enter", HEADERS[level]))
            time.sleep(0.3)
        for i, level in reversed(list(enumerate(path[:-1]))):
            if lap == 0:  # escape: Textual waits ESCDELAY (100 ms) to tell it from a sequence
                back_esc.append(key_to(name, "Escape", HEADERS[level]))
            else:  # the parent's crumb number: the same navigation without that wait
                back.append(key_to(name, str(i + 1), HEADERS[level]))
            time.sleep(0.3)
        key_to(name, "v", HEADERS["logs"])
        time.sleep(0.3)
    for i in range(100):
        key_to(name, "n" if i % 4 < 2 else "b", PAGES[i % 4])
    pid = tmux("display", "-p", "-t", name, "#{pane_pid}").strip()
    rss = max(_rss(p) for p in [pid, *_children(pid)])
    tmux("kill-session", "-t", name)
    return drill, back, back_esc, rss


def _children(pid: str) -> list[str]:
    out = subprocess.run(["pgrep", "-P", pid], capture_output=True, text=True).stdout.split()
    return out + [c for p in out for c in _children(p)]


def _rss(pid: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def bench_bytes(db: str, keys: list[str]) -> tuple[int, int]:
    from tui_fixture import add_log

    name = "benchb"
    start_session(name, db)
    time.sleep(1.0)
    for key in keys:
        tmux("send-keys", "-t", name, key)
        time.sleep(0.2)
    time.sleep(5.5)  # let the tick after the keys pass
    log = Path(tempfile.mkdtemp()) / "pane.out"
    tmux("pipe-pane", "-o", "-t", name, f"cat >> {log}")
    time.sleep(0.3)

    def size() -> int:
        return log.stat().st_size if log.exists() else 0

    before = size()
    time.sleep(5.5)  # at least one idle tick
    idle = size() - before
    before = size()
    asyncio.run(add_log(db, time.time(), "bench: one more row"))
    time.sleep(5.5)
    one = size() - before
    tmux("kill-session", "-t", name)
    return idle, one


def bench_search(db: str, ident: str, times: int = 6) -> list[float]:
    """On Runs: `/`, the id, then Enter -> "runs touched it" on screen (the query, the grid and
    the footer), `times` times; escape clears the search in between."""
    name = "benchs"
    start_session(name, db)
    time.sleep(1.0)
    key_to(name, "v", HEADERS["runs"])
    time.sleep(0.5)
    out = []
    for _ in range(times):
        tmux("send-keys", "-t", name, "/")
        time.sleep(0.3)
        tmux("send-keys", "-t", name, "-l", ident)
        time.sleep(0.3)
        out.append(key_to(name, "Enter", "touched it"))
        time.sleep(0.3)
        tmux("send-keys", "-t", name, "Escape")
        wait_for(name, "Trigger", time.perf_counter())
        time.sleep(0.5)
    tmux("kill-session", "-t", name)
    return out


def bench_floor(db: str) -> tuple[list[float], list[float]]:
    """What any key costs here: `cat` echoing a key (tmux and this polling alone), and `p`
    (pause/live: one word of the top bar repainted, no query on screen)."""
    name = "benchf"
    tmux("kill-session", "-t", name)
    tmux("new", "-d", "-s", name, "-x", "120", "-y", "40", "cat")
    time.sleep(0.5)
    echo = [key_to(name, f"z{i}q", f"z{i}q") for i in range(12)]
    tmux("kill-session", "-t", name)
    start_session(name, db)
    time.sleep(1.0)
    pause = []
    for i in range(12):
        pause.append(key_to(name, "p", "paused" if i % 2 == 0 else "live 5s"))
        time.sleep(0.3)
    tmux("kill-session", "-t", name)
    return echo, pause


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db")
    parser.add_argument("--id", default="4711", help="the external id searched (search bench)")
    parser.add_argument("--only", help="start,walk,search,bytes,floor (default all)")
    args = parser.parse_args()
    only = set((args.only or "start,walk,search,bytes,floor").split(","))
    db = args.db
    if db is None:
        from tui_fixture import build_store

        db = str(Path(tempfile.mkdtemp()) / "bench.db")
        asyncio.run(build_store(db, now=time.time(), runs=40, logs=2000))
    print(f"store: {db} ({Path(db).stat().st_size / 1e6:.1f} MB)")
    if "search" in only:
        found = bench_search(db, args.id)
        print(
            f"search by id on Runs (enter -> result on screen): median "
            f"{statistics.median(found) * 1000:.0f} ms  all {[round(f * 1000) for f in found]}"
        )
    if "start" in only:
        bench_start_figures(db)
    if "walk" in only:
        bench_walk_figures(db)
    if "bytes" in only:
        bench_bytes_figures(db)
    if "floor" in only:
        echo, pause = bench_floor(db)
        print(
            f"floor: a key echoed by cat {statistics.median(echo) * 1000:.0f} ms, `p` in the "
            f"console {statistics.median(pause) * 1000:.0f} ms (medians of 12)"
        )


def bench_start_figures(db: str) -> None:
    starts = bench_start(db)
    print(f"start to logs painted (tmux 120x40): median {statistics.median(starts) * 1000:.0f} ms"
          f"  all {[round(s * 1000) for s in starts]}")  # fmt: skip


def bench_walk_figures(db: str) -> None:
    drill, back, back_esc, rss = bench_walk(db)
    print(f"drill-down (key -> level on screen): median {statistics.median(drill) * 1000:.0f} ms,"
          f" max {max(drill) * 1000:.0f} ms  all {[round(d * 1000) for d in drill]}")  # fmt: skip
    print(f"back: median {statistics.median(back) * 1000:.0f} ms, max {max(back) * 1000:.0f} ms"
          f"  all {[round(b * 1000) for b in back]}")  # fmt: skip
    print(f"back by escape (+ ESCDELAY): median {statistics.median(back_esc) * 1000:.0f} ms"
          f"  all {[round(b * 1000) for b in back_esc]}")  # fmt: skip
    print(f"RSS after five levels x4 and 100 pages: {rss:.0f} MB")


def bench_bytes_figures(db: str) -> None:
    idle, one = bench_bytes(db, [])
    print(f"bytes at the live edge: idle tick {idle} B, tick adding one log row {one} B")
    idle, one = bench_bytes(db, ["j"] * 12)
    print(f"bytes away from the edge (cursor 12 rows down): idle {idle} B, one row {one} B")


if __name__ == "__main__":
    main()

"""`syncdeck demo` as a newcomer runs it: in a terminal (tmux, 120x40), with its own store.

Within 10 s of the start a live run of demo-crm-to-erp is visibly running; it finishes with
created/updated/skipped/failed counts; the four demo APIs (CRM, ERP, Xero and QuickBooks
sandboxes) listen; q leaves no process and no listening port behind.
SIGHUP (the SSH session dropped) does the same.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import time
from pathlib import Path

from termkit import SYNCDECK, private_env

SERVICE = "demo-crm-to-er"  # the Service column is 14 wide


def _live_pid(data: Path) -> int | None:
    """The live child's pid: the process whose command line names the demo store."""
    store = str(data / "syncdeck" / "demo.db")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            cmd = Path(f"/proc/{entry}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"core.demo.live" in cmd and store.encode() in cmd:
            return int(entry)
    return None


def _ports(data: Path) -> list[int]:
    log = (data / "syncdeck" / "demo-live.log").read_text()
    return [int(p) for p in re.findall(r"http://127\.0\.0\.1:(\d+)", log)]


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _gone(pid: int | None, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while pid is not None and time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return pid is None


def _start(tmux, tmp_path: Path):
    term = tmux(120, 40)
    t0 = time.monotonic()
    term.start([*SYNCDECK, "demo", "--scale", "0.2"], private_env(tmp_path))
    term.wait_for(lambda s: "Total logs" in s, 30, "the console")
    term.keys("v")  # the Runs list
    return term, t0


def test_demo_runs_live_and_quits_clean(tmux, tmp_path: Path) -> None:
    term, t0 = _start(tmux, tmp_path)
    running = term.wait_for(
        lambda s: re.search(rf"running\s+#\d+\s+{SERVICE}", s) is not None, 15, "a live run"
    )
    in_progress = time.monotonic() - t0
    run_id = re.search(rf"running\s+#(\d+)\s+{SERVICE}", running).group(1)
    print(f"\nlive run #{run_id} visibly running {in_progress:.1f}s after `syncdeck demo`")
    assert in_progress < 10.0
    assert Path(tmp_path / "data" / "syncdeck" / "demo.db").exists()  # its own store
    done = term.wait_for(
        lambda s: re.search(rf"(success|partial)\s+#{run_id}\s", s) is not None, 40,
        f"run #{run_id} finished",
    )  # fmt: skip
    print(f"finished {time.monotonic() - t0:.1f}s after start")
    assert re.search(rf"(success|partial)\s+#{run_id}\s+{SERVICE}", done)
    # the detail pane of the selected (newest) run: its counts
    detail = term.wait_for(lambda s: "Created / updated / skipped / failed" in s, 10, "the counts")
    counts = re.search(
        r"Created / updated / skipped / failed: (\d+) / (\d+) / (\d+) / (\d+)", detail
    )
    assert counts, detail
    created, _updated, skipped, _failed = map(int, counts.groups())
    print(f"counts: {counts.group(0)}")
    assert created > 0 and skipped > 0  # new records, and records lacking an email

    child, ports = _live_pid(tmp_path / "data"), _ports(tmp_path / "data")
    assert child is not None and len(ports) == 4  # CRM, ERP, Xero and QuickBooks sandboxes
    assert all(_listening(p) for p in ports)
    # the sandboxes' OAuth secrets: in the demo's own folder, never the user's secrets file
    assert (tmp_path / "data" / "syncdeck" / "demo-secrets" / "secrets.toml").exists()
    assert not (tmp_path / "config" / "syncdeck" / "secrets.toml").exists()
    term.keys("q")
    seconds, status = term.wait_exit(10)
    print(f"quit took {seconds:.2f}s")
    assert status == 0
    assert _gone(child, 5), "the live demo process outlived the console"
    assert not any(_listening(p) for p in ports)


def test_demo_sighup_leaves_nothing_behind(tmux, tmp_path: Path) -> None:
    term, _ = _start(tmux, tmp_path)
    term.wait_for(lambda s: SERVICE in s, 15, "a live run")
    child, ports = _live_pid(tmp_path / "data"), _ports(tmp_path / "data")
    assert child is not None and all(_listening(p) for p in ports)
    os.kill(term.pid, signal.SIGHUP)
    seconds, status = term.wait_exit(5)
    print(f"\nSIGHUP: demo console exited after {seconds:.2f}s")
    assert seconds < 2.0 and status == 129
    assert _gone(child, 5)
    assert not any(_listening(p) for p in ports)

"""A full disk under a run (issue 10, item 4), for real: the store lives on a small tmpfs
(`mount -t tmpfs -o size=4m`) that the test fills with a filler file mid-run.

- The run stops sending at once: no request reaches the destination after the first failed
  write (give or take the requests already on the wire).
- Reads work while the disk is full: `syncdeck runs` (and --read-only) list the runs.
- When space returns the run records everything it did and ends "failed" with the reason:
  every create the destination stored is recorded, nothing is left pending (ambiguous).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from ops_helpers import ROOT, config_text, make_store, query, sandbox, syncdeck

from core.sandbox import Faults


@pytest.fixture
def small_disk(tmp_path: Path):
    mnt = tmp_path / "disk"
    mnt.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mnt)],
                          capture_output=True, text=True)  # fmt: skip
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=True)


def _fill(mnt: Path) -> Path:
    filler = mnt / "filler"
    subprocess.run(["dd", "if=/dev/zero", f"of={filler}", "bs=4k"], capture_output=True)
    return filler


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "core.cli", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)  # fmt: skip


def _wait(pred, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not pred():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_full_disk_stops_the_run_and_records_it_when_space_returns(small_disk: Path) -> None:
    with sandbox(400, Faults(latency_ms=30)) as sb:
        db = make_store(small_disk, config_text(sb, per_page=10))
        proc = syncdeck("run", "customers", "--db", str(db))
        _wait(lambda: query(db, "SELECT COUNT(*) FROM entities")[0][0] >= 30)
        filler = _fill(small_disk)
        sent_at_full = sb.erp.faults.count
        time.sleep(3)
        sent_later = sb.erp.faults.count
        assert proc.poll() is None  # waits to record what it did, does not die
        reads = _cli("runs", "--db", str(db))
        read_only = _cli("--read-only", "runs", "--db", str(db), "--json")
        filler.unlink()  # space returns
        out, err = proc.communicate(timeout=60)
        accounts = len(sb.erp.accounts)
    print(f"\nfull disk: {sent_at_full} requests to the destination when the disk filled, "
          f"{sent_later} three seconds later; run exit {proc.returncode}")  # fmt: skip
    assert sent_later - sent_at_full <= 10  # at most the page on the wire, then nothing
    assert reads.returncode == 0, reads.stderr
    assert "customers" in reads.stdout
    assert read_only.returncode == 0, read_only.stderr
    assert "disk" in err and "full" in err and "Traceback" not in err
    assert proc.returncode == 1
    status, message = query(db, "SELECT status, message FROM runs WHERE id = 1")[0]
    assert status == "failed" and "full" in message
    assert query(db, "SELECT COUNT(*) FROM steps WHERE status = 'running'")[0][0] == 0
    created = query(db, "SELECT COUNT(*) FROM entities WHERE action = 'create' "
                        "AND status = 'success'")[0][0]  # fmt: skip
    assert created == accounts  # every create the destination stored is recorded
    assert query(db, "SELECT COUNT(*) FROM id_map WHERE pending = 1")[0][0] == 0
    pulled = query(db, "SELECT pulled FROM runs WHERE id = 1")[0][0]
    assert query(db, "SELECT COUNT(*) FROM entities")[0][0] == pulled  # each accounted once


def test_reads_work_on_a_full_disk_with_a_dead_run_to_mark(small_disk: Path) -> None:
    """A run left "running" by a dead process: opening the store would mark it interrupted,
    which cannot be written: the read still answers."""
    with sandbox(200, Faults(latency_ms=30)) as sb:
        db = make_store(small_disk, config_text(sb, per_page=10))
        proc = syncdeck("run", "customers", "--db", str(db))
        _wait(lambda: query(db, "SELECT COUNT(*) FROM entities")[0][0] >= 10)
        proc.kill()
        proc.wait(timeout=10)
    _fill(small_disk)
    out = _cli("runs", "--db", str(db))
    assert out.returncode == 0, out.stderr
    assert "stale" in out.stdout

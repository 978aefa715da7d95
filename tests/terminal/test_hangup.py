"""The console leaves when its terminal goes away (SSH dropped), and never spins.

Real processes: SIGHUP / SIGTERM to a console in tmux; a pty closed under a console (end of
file on stdin, no signal); stdin that is not a terminal, or closed, at start.
"""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pytest
from termkit import ROOT, SYNCDECK, Pty, base_env, private_env

SHOWN = "Total logs"


@pytest.mark.parametrize("sig, code", [(signal.SIGHUP, 129), (signal.SIGTERM, 143)])
def test_signal_ends_the_console_within_2s(tmux, small_store: Path, tmp_path, sig, code) -> None:
    term = tmux(120, 40)
    pid = term.start([*SYNCDECK, "--db", str(small_store)], private_env(tmp_path))
    term.wait_for(lambda s: SHOWN in s, 15, "the log view")
    os.kill(pid, sig)
    seconds, status = term.wait_exit(5)
    print(f"\n{sig.name}: console exited after {seconds:.2f}s with {status}")
    assert seconds < 2.0
    assert status == code


def test_terminal_closed_under_the_console_ends_it(small_store: Path, tmp_path) -> None:
    """No SIGHUP here (the pty is not the controlling terminal): only end of file on stdin.
    Textual's own input loop would spin on it forever."""
    term = Pty([*SYNCDECK, "--db", str(small_store)], private_env(tmp_path))
    try:
        assert SHOWN.encode() in term.read_until(SHOWN.encode(), 15)
        term.close_terminal()
        seconds, code = term.wait(5)
        print(f"\nterminal closed: console exited after {seconds:.2f}s with {code}")
        assert seconds < 2.0
        assert code == 129
    finally:
        term.kill()


def _run(cmd: list[str], tmp: Path, **kw) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cmd, cwd=ROOT, env=base_env(private_env(tmp)), capture_output=True, text=True,
        timeout=30, **kw,
    )  # fmt: skip


def test_stdin_not_a_terminal_is_one_line_and_exit_2(small_store: Path, tmp_path) -> None:
    out = _run([*SYNCDECK, "--db", str(small_store)], tmp_path, stdin=subprocess.DEVNULL)
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "needs a terminal" in lines[0] and "stdin" in lines[0]
    assert "Traceback" not in out.stderr


def test_stdin_closed_is_one_line_and_exit_2(small_store: Path, tmp_path) -> None:
    import shlex

    cmd = f"exec {shlex.join([*SYNCDECK, '--db', str(small_store)])} <&-"
    out = _run(["sh", "-c", cmd], tmp_path)
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "needs a terminal" in out.stderr

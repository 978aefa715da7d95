"""Drive the real `syncdeck` in a real terminal: tmux on a private socket, or a bare pty."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import shlex
import shutil
import signal
import struct
import subprocess
import sys
import termios
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UNSET = ("SYNCDECK_DB", "SYNCDECK_CONFIG", "NO_COLOR", "COLORTERM", "COLUMNS", "LINES")


def base_env(env: dict[str, str]) -> dict[str, str]:
    """This process's environment without the user's syncdeck variables, plus `env`."""
    return {**{k: v for k, v in os.environ.items() if k not in UNSET}, **env}


SYNCDECK = [sys.executable, "-m", "core.cli"]


def have_tmux() -> bool:
    return shutil.which("tmux") is not None


def private_env(tmp: Path, **extra: str) -> dict[str, str]:
    """Data and config folders inside tmp: a test never touches the user's store or settings."""
    env = {
        "XDG_DATA_HOME": str(tmp / "data"),
        "XDG_CONFIG_HOME": str(tmp / "config"),
        "TERM": "xterm-256color",
    }
    env.update(extra)
    return env


class Tmux:
    """One tmux server on its own socket; the pane runs `exec <command>` (pane pid = syncdeck)."""

    def __init__(self, tmp: Path, width: int = 120, height: int = 40) -> None:
        self.socket = f"sdtest-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.width, self.height = width, height
        self.conf = tmp / "tmux.conf"
        self.conf.write_text("set -g remain-on-exit on\nset -g history-limit 0\n")

    def tmux(self, *args: str) -> str:
        out = subprocess.run(
            ["tmux", "-L", self.socket, "-f", str(self.conf), *args],
            capture_output=True, text=True, timeout=10,
        )  # fmt: skip
        return out.stdout

    def start(self, argv: list[str], env: dict[str, str]) -> int:
        assigns = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        unset = " ".join(f"-u {k}" for k in UNSET)
        command = f"cd {shlex.quote(str(ROOT))} && exec env {unset} {assigns} {shlex.join(argv)}"
        self.tmux("new-session", "-d", "-x", str(self.width), "-y", str(self.height), command)
        return self.pid

    @property
    def pid(self) -> int:
        return int(self.tmux("display", "-p", "#{pane_pid}").strip() or 0)

    def screen(self, escapes: bool = False) -> str:
        return self.tmux("capture-pane", "-p", *(["-e"] if escapes else []))

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", *keys)

    def dead(self) -> tuple[bool, int | None]:
        out = self.tmux("display", "-p", "#{pane_dead} #{pane_dead_status}").split()
        if out and out[0] == "1":
            if len(out) > 1:
                return True, int(out[1])
            found = re.search(r"Pane is dead \((status|signal) (\d+)", self.screen())
            if found is None:
                return True, None
            value = int(found.group(2))  # killed by a signal: its number, negated
            return True, value if found.group(1) == "status" else -value
        return False, None

    def wait_for(self, test: Callable[[str], bool], timeout: float, what: str = "") -> str:
        deadline = time.monotonic() + timeout
        text = ""
        while time.monotonic() < deadline:
            text = self.screen()
            if test(text):
                return text
            time.sleep(0.2)
        raise AssertionError(f"not on screen within {timeout}s: {what}\n{text}")

    def wait_exit(self, timeout: float) -> tuple[float, int | None]:
        """Seconds until the pane's process ended, and its exit status."""
        t0 = time.monotonic()
        while time.monotonic() - t0 < timeout:
            dead, status = self.dead()
            if dead:
                seconds = time.monotonic() - t0
                # tmux marks the pane dead when its pty closes; the exit status comes when
                # the process has been reaped, a moment later
                for _ in range(100):
                    if status is not None:
                        break
                    time.sleep(0.02)
                    status = self.dead()[1]
                return seconds, status
            time.sleep(0.02)
        raise AssertionError(f"still running after {timeout}s:\n{self.screen()}")

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


class Pty:
    """syncdeck on a bare pseudo-terminal (not its controlling tty: closing it sends no
    SIGHUP, so only end of file on stdin tells the console that the terminal went away)."""

    def __init__(self, argv: list[str], env: dict[str, str], cols: int = 80, rows: int = 24):
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.proc = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, cwd=ROOT,
            env=base_env(env), close_fds=True,
        )  # fmt: skip
        os.close(slave)
        self.output = b""

    def read_until(self, needle: bytes, timeout: float) -> bytes:
        deadline = time.monotonic() + timeout
        while needle not in self.output and time.monotonic() < deadline:
            ready, _, _ = select.select([self.master], [], [], 0.1)
            if ready:
                try:
                    self.output += os.read(self.master, 65536)
                except OSError:
                    break
        return self.output

    def close_terminal(self) -> None:
        os.close(self.master)
        self.master = -1

    def wait(self, timeout: float) -> tuple[float, int]:
        t0 = time.monotonic()
        code = self.proc.wait(timeout)
        return time.monotonic() - t0, code

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()
        if self.master >= 0:
            os.close(self.master)
            self.master = -1


def seed_store(path: Path, env: dict[str, str], scale: str = "0.1") -> None:
    """A small demo history (seconds, not minutes) for console tests."""
    out = subprocess.run(
        [*SYNCDECK, "demo", "--seed-only", "--scale", scale, "--db", str(path)],
        cwd=ROOT, env=base_env(env), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr


@pytest.fixture
def tmux(tmp_path: Path):
    """tmux(width, height) -> a Tmux on a private socket; every server is killed afterwards."""
    if not have_tmux():
        pytest.skip("tmux is not installed")
    made: list[Tmux] = []

    def make(width: int = 120, height: int = 40) -> Tmux:
        t = Tmux(tmp_path, width, height)
        made.append(t)
        return t

    yield make
    for t in made:
        t.close()

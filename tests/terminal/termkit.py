"""Drive the real `syncdeck` in a real terminal: tmux on a private socket, or a bare pty."""

from __future__ import annotations

import fcntl
import os
import pty
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
        """Run argv in the pane under a tiny Python wrapper that writes its exit status to a
        file (negative: killed by that signal). Returns the pid of argv's process."""
        self.status_file = self.conf.with_name(f"status-{uuid.uuid4().hex[:8]}")
        self.pid_file = self.status_file.with_suffix(".pid")
        wrapper = (
            "import subprocess, sys; p = subprocess.Popen(sys.argv[3:]); "
            "open(sys.argv[2], 'w').write(str(p.pid)); code = p.wait(); "
            "open(sys.argv[1], 'w').write(str(code))"
        )
        unset = " ".join(f"-u {k}" for k in UNSET)
        assigns = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        run = shlex.join([sys.executable, "-c", wrapper, str(self.status_file),
                          str(self.pid_file), *argv])  # fmt: skip
        command = f"cd {shlex.quote(str(ROOT))} && exec env {unset} {assigns} {run}"
        self.tmux("new-session", "-d", "-x", str(self.width), "-y", str(self.height), command)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            text = self.pid_file.read_text() if self.pid_file.exists() else ""
            if text:
                self._pid = int(text)
                return self._pid
            time.sleep(0.02)
        raise AssertionError("the command did not start in tmux")

    @property
    def pid(self) -> int:
        return self._pid

    def screen(self, escapes: bool = False) -> str:
        return self.tmux("capture-pane", "-p", *(["-e"] if escapes else []))

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", *keys)

    def status(self) -> int | None:
        """The exit status once the process has ended (negative: killed by that signal)."""
        text = self.status_file.read_text() if self.status_file.exists() else ""
        return int(text) if text else None

    def wait_for(self, test: Callable[[str], bool], timeout: float, what: str = "") -> str:
        deadline = time.monotonic() + timeout
        text = ""
        while time.monotonic() < deadline:
            text = self.screen()
            if test(text):
                return text
            time.sleep(0.2)
        raise AssertionError(f"not on screen within {timeout}s: {what}\n{text}")

    def wait_exit(self, timeout: float) -> tuple[float, int]:
        """Seconds until the process ended, and its exit status."""
        t0 = time.monotonic()
        while time.monotonic() - t0 < timeout:
            try:
                os.kill(self._pid, 0)
            except ProcessLookupError:
                seconds = time.monotonic() - t0
                for _ in range(250):
                    status = self.status()
                    if status is not None:
                        return seconds, status
                    time.sleep(0.02)
                raise AssertionError("the wrapper wrote no exit status") from None
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

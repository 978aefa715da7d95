"""Start `syncdeck serve` as a real process on 127.0.0.1 and look at what it did."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Served:
    url: str
    proc: subprocess.Popen
    log_path: Path
    token: str

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def consoles(self) -> list[int]:
        """Console processes this server started (descendants running core.cli)."""
        found = []
        for pid in _descendants(self.proc.pid):
            try:
                cmd = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"core.cli" in cmd and b"serve" not in cmd:
                found.append(pid)
        return found

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)


def _descendants(root: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        kids = parents.get(todo.pop(), [])
        out += kids
        todo += kids
    return out


def start(db: Path, tmp: Path, *extra: str, token: bool = True) -> Served:
    port = free_port()
    secret = secrets.token_urlsafe(24)
    args = [sys.executable, "-m", "core.cli", "serve", "--db", str(db), "--port", str(port)]
    if token:
        (tmp / "token").write_text(secret + "\n")
        args += ["--token-file", str(tmp / "token")]
    log_path = tmp / f"serve-{port}.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(args + list(extra), stdout=log, stderr=subprocess.STDOUT,
                                cwd=tmp)  # fmt: skip
    served = Served(f"http://127.0.0.1:{port}", proc, log_path, secret)
    deadline = time.monotonic() + 20
    while "serve: http://" not in served.log():
        if proc.poll() is not None or time.monotonic() > deadline:
            served.stop()
            raise AssertionError(f"syncdeck serve did not start:\n{served.log()}")
        time.sleep(0.05)
    return served

"""--no-mouse and the settings' `mouse = false` keep mouse reporting off (a jump host's
terminal then selects text as usual); `read_only = true` in the settings opens a read-only
console."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from termkit import SYNCDECK, Pty, private_env

MOUSE_ON = (b"\x1b[?1000h", b"\x1b[?1003h")


def _startup(args: list[str], tmp: Path) -> bytes:
    term = Pty([*SYNCDECK, *args], private_env(tmp), cols=100, rows=30)
    try:
        out = term.read_until(b"Total logs", 15)
        assert b"Total logs" in out
        term.read_until(b"\x00never", 0.5)  # what follows the first paint
        os.write(term.master, b"q")
        _, code = term.wait(5)
        assert code == 0
        return term.output
    finally:
        term.kill()


@pytest.mark.parametrize("how", ["default", "--no-mouse", "settings"])
def test_mouse_reporting(small_store: Path, tmp_path: Path, how: str) -> None:
    args = ["--db", str(small_store)]
    if how == "--no-mouse":
        args.append("--no-mouse")
    if how == "settings":
        cfg = tmp_path / "s.toml"
        cfg.write_text("[console]\nmouse = false\n")
        args += ["--config", str(cfg)]
    out = _startup(args, tmp_path)
    enabled = any(seq in out for seq in MOUSE_ON)
    assert enabled is (how == "default")


def test_read_only_setting_opens_a_read_only_console(tmux, small_store, tmp_path) -> None:
    cfg = tmp_path / "s.toml"
    cfg.write_text("[console]\nread_only = true\n")
    term = tmux(100, 30)
    term.start([*SYNCDECK, "--db", str(small_store), "--config", str(cfg)], private_env(tmp_path))
    term.wait_for(lambda s: "Total logs" in s, 20, "the console")
    term.keys("S")
    term.wait_for(lambda s: "› Services" in s and "read-only" in s and "hubspot-to-con" in s,
                  20, "read-only in the title, and the services")  # fmt: skip
    for _ in range(3):  # run now: refused (retry the key if it came before the focus did)
        term.keys("g")
        try:
            term.wait_for(lambda s: "Read-only mode" in s, 5, "the refusal")
            return
        except AssertionError:
            continue
    raise AssertionError(f"run now was not refused:\n{term.screen()}")

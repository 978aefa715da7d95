"""Fixtures for tests that run the real console in a real terminal (tmux or a pty)."""

from __future__ import annotations

from pathlib import Path

import pytest
from termkit import Tmux, have_tmux, private_env, seed_store


@pytest.fixture(scope="session")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo history, seeded once for every terminal test."""
    tmp = tmp_path_factory.mktemp("terminal-store")
    path = tmp / "demo-small.db"
    seed_store(path, private_env(tmp))
    return path


@pytest.fixture
def tmux(tmp_path: Path):
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

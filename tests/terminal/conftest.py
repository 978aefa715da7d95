"""Fixtures for tests that run the real console in a real terminal (tmux or a pty)."""

from __future__ import annotations

from pathlib import Path

import pytest
from termkit import private_env, seed_store, tmux  # noqa: F401  (tmux: a fixture)


@pytest.fixture(scope="session")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo history, seeded once for every terminal test."""
    tmp = tmp_path_factory.mktemp("terminal-store")
    path = tmp / "demo-small.db"
    seed_store(path, private_env(tmp))
    return path

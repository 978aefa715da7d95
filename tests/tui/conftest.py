"""Fixtures of the console tests: a fixed clock, UTC, and a small deterministic store."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ["TZ"] = "UTC"
time.tzset()

from tui_fixture import FIXED_NOW, build_store  # noqa: E402


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[float]:
    """The store's 30-day windows and "3 min ago" read this clock, not the wall clock."""
    import core.store.sqlite.log_reads
    import core.timeutil

    monkeypatch.setattr(core.store.sqlite.log_reads, "now", lambda: FIXED_NOW)
    monkeypatch.setattr(core.timeutil, "now", lambda: FIXED_NOW)
    yield FIXED_NOW


@pytest.fixture(autouse=True)
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user data folder (exports/ by default) inside the test's tmp folder."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))
    return tmp_path / "data-home"


@pytest.fixture
async def demo_db(tmp_path: Path) -> str:
    path = tmp_path / "demo.db"
    await build_store(path)
    return str(path)


@pytest.fixture
async def evil_db(tmp_path: Path) -> str:
    path = tmp_path / "evil.db"
    await build_store(path, evil=True)
    return str(path)

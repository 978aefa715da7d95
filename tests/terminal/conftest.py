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


@pytest.fixture(scope="session")
def live_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small history plus one real run of the live demo service (entities, API calls,
    a valid mapping grid), written by the engine against loopback APIs."""
    import asyncio

    from core.demo.live import live_loop
    from core.demo.live_api import LiveOptions

    tmp = tmp_path_factory.mktemp("terminal-live-store")
    path = tmp / "demo-live.db"
    seed_store(path, private_env(tmp))
    fast = LiveOptions(customers=40, per_page=10, source_latency_ms=2, dest_latency_ms=1,
                       rate_limit_every=3, retry_after="0")  # fmt: skip
    asyncio.run(live_loop(path, interval=0, stop=asyncio.Event(), runs=1, say=lambda _: None,
                          options=fast))  # fmt: skip
    return path

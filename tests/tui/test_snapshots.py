"""Snapshot tests: the tiles and log grid, and each of the five drill-down levels.

Deterministic: fixed data, fixed clock (conftest), TZ=UTC. Update with `--snapshot-update`.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from tui_fixture import build_store
from tui_helpers import make_app, settle

LEVEL_KEYS = {
    "logs": [],
    "runs": ["v"],
    "steps": ["v", "enter"],
    "instances": ["v", "enter", "enter"],
    "entities": ["v", "enter", "enter", "enter"],
    "calls": ["v", "enter", "enter", "enter", "j", "j", "enter"],
}


@pytest.fixture
def snap_db(tmp_path: Path) -> str:
    path = tmp_path / "snap.db"
    asyncio.run(build_store(path))
    return str(path)


def keys_then_settle(keys: list[str]):  # noqa: ANN201
    async def run_before(pilot) -> None:  # noqa: ANN001
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run_before


@pytest.mark.parametrize("level", list(LEVEL_KEYS))
def test_level_snapshot(snap_compare, snap_db: str, level: str) -> None:  # noqa: ANN001
    app = make_app(snap_db)
    assert snap_compare(
        app, terminal_size=(120, 40), run_before=keys_then_settle(LEVEL_KEYS[level])
    )


def test_log_grid_at_80x24(snap_compare, snap_db: str) -> None:  # noqa: ANN001
    app = make_app(snap_db)
    assert snap_compare(app, terminal_size=(80, 24), run_before=keys_then_settle([]))

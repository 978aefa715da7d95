"""Helpers of the admin screens' Pilot tests: an isolated config dir, the admin store (from
tests/admin), a loopback sandbox, and waiting for workers."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "admin"))

from admin_helpers import SAMPLES, add_history, build_admin_store, config_text  # noqa: E402

import core.actions  # noqa: E402,F401 - imported at collection, before tests/tui's clock patch
import core.engine.recorder  # noqa: E402,F401 (else `from timeutil import now` binds the patch)
from tui.app import SyncdeckApp  # noqa: E402

__all__ = [
    "SAMPLES",
    "add_history",
    "build_admin_store",
    "config_text",
    "isolated_config",
    "settle",
    "app_on",
]


@pytest.fixture(autouse=True)
def isolated_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    d = tmp_path / "config"
    monkeypatch.setenv("SYNCDECK_CONFIG_DIR", str(d))
    yield d


async def settle(pilot, rounds: int = 4) -> None:  # noqa: ANN001
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def app_on(db: str | Path, **kwargs: object) -> SyncdeckApp:
    return SyncdeckApp(str(db), **kwargs)  # type: ignore[arg-type]


def notes(app: SyncdeckApp) -> str:
    return "\n".join(str(n.message) for n in app._notifications)

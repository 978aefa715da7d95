"""Full garbage collections run between keys, not during them (tui/heap.py).

A full collection walked every object of the console (80-95 ms on a loaded machine) whenever
the allocation count tipped it, often in the middle of a key's repaint. The console freezes
what start-up built and runs full collections itself once no key has come for a while."""

from __future__ import annotations

import gc

import pytest
from tui_helpers import make_app, settle

from tui import heap


@pytest.fixture
def collector_state():
    saved = gc.get_threshold()
    yield
    gc.set_threshold(*saved)
    gc.unfreeze()


def promote(times: int) -> None:
    """Make `times` generation-1 collections (each counts towards a full one)."""
    for _ in range(times):
        gc.collect(1)


def test_a_full_collection_waits_for_a_quiet_moment(collector_state) -> None:
    now = [100.0]
    collector = heap.IdleCollector(clock=lambda: now[0])
    collector.start()
    assert gc.get_freeze_count() > 0  # start-up's objects are never walked again
    assert gc.get_threshold()[2] == heap.NEVER  # no automatic full collection
    promote(heap.FULL_AFTER)
    collector.key()
    now[0] += heap.QUIET / 2
    assert not collector.tick()  # a key just came: not now
    assert gc.get_count()[2] >= heap.FULL_AFTER
    now[0] += heap.QUIET
    assert collector.tick()
    assert gc.get_count()[2] == 0 and collector.full == 1
    assert not collector.tick()  # nothing due any more
    collector.stop()
    assert gc.get_threshold()[2] != heap.NEVER


def test_an_overdue_collection_runs_even_while_keys_come(collector_state) -> None:
    now = [0.0]
    collector = heap.IdleCollector(clock=lambda: now[0])
    collector.start()
    promote(heap.FULL_LIMIT)
    collector.key()
    assert collector.tick()


async def test_the_console_feeds_the_collector_its_keys(
    demo_db: str, collector_state, monkeypatch
) -> None:
    monkeypatch.setattr(heap, "START_AFTER", 0.01)
    now = [50.0]
    app = make_app(demo_db)
    app.collector = heap.IdleCollector(clock=lambda: now[0])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.pause(0.05)
        assert gc.get_threshold()[2] == heap.NEVER
        now[0] = 60.0
        await pilot.press("j")
        assert app.collector.last_key == 60.0
    assert gc.get_threshold()[2] != heap.NEVER  # the app gave the interpreter its settings back


def test_run_console_installs_the_collector(monkeypatch) -> None:
    from tui import app as app_module

    seen = {}

    def fake_run(self, **_: object) -> int:
        seen["collector"] = self.collector
        return 0

    monkeypatch.setattr(app_module.SyncdeckApp, "run", fake_run)
    import tui.terminal

    monkeypatch.setattr(tui.terminal, "check_terminal", lambda: None)
    monkeypatch.setattr(tui.terminal, "install", lambda app: None)
    assert app_module.run_console(":memory:") == 0
    assert isinstance(seen["collector"], heap.IdleCollector)

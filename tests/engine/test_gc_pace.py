"""The collector's pace during a run: raised while runs go on, put back after the last one."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from core.config_io import import_file
from core.engine import gc_pace
from core.engine.runner import run_service
from core.models import RunStatus
from core.sandbox import CrmState, ErpState, Faults, crm_app, erp_app, make_customers, serve
from core.store import open_store

EXAMPLE = Path(__file__).parents[2] / "examples" / "customers.toml"
ENV = {"CRM_TOKEN": "gc-pace-token"}


@pytest.fixture
def default_threshold():
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield
    gc.set_threshold(*before)


def test_raised_while_runs_overlap_and_put_back_after_the_last(default_threshold) -> None:
    with gc_pace.roomy():
        assert gc.get_threshold() == (gc_pace.RUN_THRESHOLD, 10, 10)
        with gc_pace.roomy():
            assert gc.get_threshold()[0] == gc_pace.RUN_THRESHOLD
        assert gc.get_threshold()[0] == gc_pace.RUN_THRESHOLD  # the first run goes on
    assert gc.get_threshold() == (700, 10, 10)


def test_put_back_after_a_failed_run_and_a_change_by_someone_else_is_kept(
    default_threshold,
) -> None:
    with pytest.raises(RuntimeError), gc_pace.roomy():
        raise RuntimeError("the run failed")
    assert gc.get_threshold() == (700, 10, 10)
    with gc_pace.roomy():
        gc.set_threshold(123, 10, 10)  # the application chose its own meanwhile
    assert gc.get_threshold() == (123, 10, 10)
    gc.set_threshold(50_000, 10, 10)  # already roomier: left alone
    with gc_pace.roomy():
        assert gc.get_threshold()[0] == 50_000
    assert gc.get_threshold()[0] == 50_000


async def test_a_run_goes_at_the_roomy_pace_and_puts_it_back(tmp_path, default_threshold):
    crm = CrmState(make_customers(30), Faults(token=ENV["CRM_TOKEN"]))
    with serve(crm_app(crm)) as a, serve(erp_app(ErpState())) as b:
        text = EXAMPLE.read_text().replace("http://127.0.0.1:3000", a.url)
        cfg = tmp_path / "customers.toml"
        cfg.write_text(text.replace("http://127.0.0.1:3001", b.url))
        store = await open_store(tmp_path / "store.db")
        try:
            await import_file(store, cfg, ENV)
            seen: list[int] = []
            r = await run_service(
                store,
                "customers",
                environ=ENV,
                progress=lambda p: seen.append(gc.get_threshold()[0]),
            )
        finally:
            await store.close()
    assert r.status == RunStatus.SUCCESS and r.created
    assert seen and set(seen) == {gc_pace.RUN_THRESHOLD}
    assert gc.get_threshold() == (700, 10, 10)

"""Failed only in a big step: 11-12 failed records among 2,000 and 50,000 (the console's `f`, the
CLI's --failed): median and p95 of the failed-entity page, 200 samples, SQLite.

    .venv/bin/python tests/bench/bench_failed_only.py [DIR]
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from core.store import Batch, Counts, EntityRow, open_store


async def build(path: Path, n: int, fails: set[int]) -> int:
    store = await open_store(path, create=True)
    try:
        crm = await store.upsert_connector("crm", base_url="https://crm.example.com")
        erp = await store.upsert_connector("erp", base_url="https://erp.example.com")
        sid = await store.upsert_service("s", source_id=crm, destination_id=erp)
        run = await store.start_run(sid, sync_type="full", trigger="manual")
        step = await store.start_step(run, "contacts")
        for page in range(n // 100):
            inst = await store.add_instance(step, run, page=page + 1, method="GET", url="/c")
            batch = Batch(run_id=run, step_id=step, step_counts=Counts(processed=100))
            for i in range(page * 100, page * 100 + 100):
                failed = i in fails
                batch.entities.append(EntityRow(
                    step_id=step, run_id=run, instance_id=inst, external_id=str(i),
                    internal_id=None, action="create", status="failed" if failed else "success",
                    reason="422" if failed else "", created_at=time.time(), calls=[],
                ))  # fmt: skip
            await store.write_batch(batch)
        return step
    finally:
        await store.close()


async def main() -> None:
    where = Path(sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp())
    for n in (2_000, 50_000):
        path = where / f"failed-only-{n}.db"
        for old in where.glob(path.name + "*"):
            old.unlink()
        step = await build(path, n, set(range(7, n, n // 11)))
        store = await open_store(path)
        try:
            times = []
            for _ in range(200):
                t0 = time.perf_counter()
                page = await store.list_entities(step, status="failed", limit=20)
                times.append((time.perf_counter() - t0) * 1000)
        finally:
            await store.close()
        times.sort()
        print(f"{n:,} entities, {page.total} failed on one page of {len(page.items)}: "
              f"median {statistics.median(times):.2f} ms, p95 {times[189]:.2f} ms")  # fmt: skip


if __name__ == "__main__":
    asyncio.run(main())

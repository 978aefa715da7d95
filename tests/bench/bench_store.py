"""Store benchmark: a store of 10M API calls and 1M entities, every figure the issue asks for.

    .venv/bin/python tests/bench/bench_store.py [--calls 10000000] [--db PATH] [--seed-only]

The seeded file is cached under /tmp and reused when it holds enough calls. Prints a table of
figures against their targets. Not collected by pytest (tests/bench is excluded).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from core.demo import seed_history  # noqa: E402
from core.store import Store, open_store  # noqa: E402

CALLS_PER_SCALE = 87_000  # API calls one unit of --scale writes with 10 calls per entity


async def ensure_seeded(path: Path, calls: int) -> Store:
    if path.exists():
        store = await open_store(path, create=False)
        have = int(await store._scalar("SELECT COUNT(*) FROM api_calls"))
        if have >= calls * 0.9:
            print(f"reusing {path} ({have:,} API calls)")
            return store
        await store.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    store = await open_store(path)
    scale = calls / CALLS_PER_SCALE
    began = time.perf_counter()
    last = [began]

    def progress(totals: dict[str, int]) -> None:
        if time.perf_counter() - last[0] > 10:
            last[0] = time.perf_counter()
            rate = sum(totals.values()) / (last[0] - began)
            print(f"  seeding: {totals['calls']:,} calls, {totals['entities']:,} entities, "
                  f"{rate:,.0f} rows/s", flush=True)  # fmt: skip

    counts = await seed_history(store, scale=scale, calls_per_entity=10.0, progress=progress)
    rows = sum(counts[k] for k in ("runs", "steps", "instances", "entities", "calls", "payloads",
                                   "logs"))  # fmt: skip
    print(f"seeded {path} at scale {scale:.1f} in {counts['seconds']:.0f} s "
          f"({rows / counts['seconds']:,.0f} rows/s): {counts}")  # fmt: skip
    await store.wconn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    await store.wconn.execute("ANALYZE")
    return store


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--calls", type=int, default=10_000_000)
    ap.add_argument("--db", type=Path, default=None)
    ap.add_argument("--seed-only", action="store_true")
    args = ap.parse_args()
    path = args.db or Path(f"/tmp/syncdeck-bench-{args.calls}.db")

    async def go() -> None:
        store = await ensure_seeded(path, args.calls)
        try:
            if not args.seed_only:
                from store_measure import measure

                await measure(store, path)
        finally:
            await store.close()

    asyncio.run(go())


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()

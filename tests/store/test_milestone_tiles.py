"""Milestones counted per connector next to total / errors / warnings (Levelup's cards), from
the daily counters and the first partial day alike, on both backends."""

from __future__ import annotations

import pytest

from core.store import LogRow
from core.timeutil import now


async def test_milestones_per_connector(store) -> None:
    crm = await store.upsert_connector("crm", base_url="https://crm.example.com")
    erp = await store.upsert_connector("erp", base_url="https://erp.example.com")
    t = now()
    rows = [
        LogRow(ts=t - 60, level="INFO", kind="milestone", title="sync started", connector_id=crm),
        LogRow(ts=t - 50, level="INFO", kind="milestone", title="sync done", connector_id=crm),
        LogRow(ts=t - 40, level="ERROR", kind="event", title="401", connector_id=crm),
        LogRow(ts=t - 29.5 * 86400, level="WARNING", kind="milestone", title="old",
               connector_id=crm),  # the first, partial day of the window
        LogRow(ts=t - 31 * 86400, level="INFO", kind="milestone", title="too old",
               connector_id=crm),
        LogRow(ts=t - 30, level="INFO", kind="event", title="page", connector_id=erp),
    ]  # fmt: skip
    for r in rows:
        await store.add_log(r)
    tiles = {x.connector: x for x in await store.connector_tiles()}
    c = tiles["crm"]
    assert (c.total, c.errors, c.warnings, c.milestones) == (4, 1, 1, 3)
    assert (tiles["erp"].total, tiles["erp"].milestones) == (1, 0)
    overall = await store.tiles()
    assert (overall.total, overall.milestones) == (5, 3)
    assert (await store.tiles(connector="erp")).milestones == 0


async def test_reconnected_at(store) -> None:
    crm = await store.upsert_connector("crm", base_url="https://crm.example.com")
    erp = await store.upsert_connector("erp", base_url="https://erp.example.com")
    t = now()
    for ts, title, cid in [(t - 300, "Connector crm reconnected", crm),
                           (t - 100, "Connector crm reconnected", crm),
                           (t - 50, "Connector erp added", erp),
                           (t - 40, "Connector crm reconnected", erp)]:  # fmt: skip
        await store.add_log(LogRow(ts=ts, level="INFO", kind="milestone", title=title,
                                   connector_id=cid))  # fmt: skip
    assert await store.reconnected_at() == {"crm": pytest.approx(t - 100)}

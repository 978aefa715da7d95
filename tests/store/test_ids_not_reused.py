"""A deleted service's id is never given to a new one: its runs must not change owner."""

from __future__ import annotations

from core.store import Store


async def test_new_service_does_not_inherit_a_deleted_services_runs(store: Store) -> None:
    c = await store.upsert_connector("crm", base_url="http://127.0.0.1:1")
    old = await store.upsert_service("old", source_id=c, destination_id=c)
    await store.start_run(old, sync_type="full", trigger="manual")
    async with store.transaction() as conn:
        await conn.execute("DELETE FROM services WHERE id = ?", (old,))
    new = await store.upsert_service("new", source_id=c, destination_id=c)
    assert new != old
    assert (await store.list_runs(service="new")).total == 0

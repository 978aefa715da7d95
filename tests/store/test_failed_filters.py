"""failed= on list_runs / list_steps / list_instances / list_calls, and status="failed" on
list_entities, on both backends: what the console's `f` and the CLI's --failed read."""

from __future__ import annotations


async def test_failed_filters(seeded_store, seeded_db) -> None:
    store = seeded_store
    runs = await store.list_runs(failed=True, limit=100)
    assert runs.total == 18 and {r.status.value for r in runs.items} == {"failed", "partial"}
    first = await store.list_runs(failed=True, limit=5)
    nxt = await store.list_runs(failed=True, limit=5, after=first.items[-1].id)
    assert first.has_next and nxt.has_prev and nxt.items[0].id < first.items[-1].id
    assert (await store.list_steps(seeded_db.big_run, failed=True)).total == 0
    pages = await store.list_instances(seeded_db.big_step, failed=True)
    assert pages.total == seeded_db.instances  # each page holds a failed entity
    ents = await store.list_entities(seeded_db.big_step, status="failed", limit=100)
    assert ents.total == seeded_db.entity_actions["fail"]
    calls = await store.list_calls(entity_id=ents.items[0].id)
    assert calls.total == 2  # two attempts, both 201
    assert (await store.list_calls(entity_id=ents.items[0].id, failed=True)).total == 0
    pulls = await store.list_calls(instance_id=seeded_db.big_instance, failed=True)
    assert pulls.total == 0


async def test_account_filter_of_logs(seeded_store, seeded_db) -> None:
    store = seeded_store
    ent = (await store.list_entities(seeded_db.big_step, limit=1)).items[0]
    from core.store import LogRow
    from core.timeutil import now

    for i in range(2):
        await store.add_log(LogRow(ts=now() - 10 + i, level="ERROR", kind="event",
                                   title=f"about {ent.external_id}", entity_id=ent.id))  # fmt: skip
    page = await store.list_logs(account=ent.external_id)
    assert page.total == 2 and {e.entity_id for e in page.items} == {ent.id}
    assert (await store.list_logs(account=ent.internal_id)).total == 2
    assert (await store.list_logs(account=ent.external_id, text="about")).total == 2
    assert (await store.list_logs(account="nobody")).total == 0

"""End to end: the example config between two real HTTP servers on 127.0.0.1 (uvicorn)."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.config_io import import_file
from core.engine.runner import run_service
from core.models import RunStatus
from core.sandbox import CrmState, ErpState, Faults, crm_app, erp_app, make_customers, serve
from core.store import open_store

EXAMPLE = Path(__file__).parents[2] / "examples" / "customers.toml"
TOKEN = "e2e-secret-token-value"
ENV = {"CRM_TOKEN": TOKEN}


@pytest.fixture
def servers():
    crm = CrmState(make_customers(120), Faults(token=TOKEN))
    erp = ErpState()
    with serve(crm_app(crm)) as a, serve(erp_app(erp)) as b:
        yield crm, erp, a.url, b.url


async def _setup(tmp_path, location, crm_url, erp_url, text_edit=lambda t: t):
    text = EXAMPLE.read_text().replace("http://127.0.0.1:3000", crm_url)
    text = text_edit(text.replace("http://127.0.0.1:3001", erp_url))
    cfg = tmp_path / "customers.toml"
    cfg.write_text(text)
    store = await open_store(location)
    await import_file(store, cfg, ENV)
    return store


async def _everything_stored(location: str) -> bytes:
    """Every byte the store holds: the SQLite files, or every row and body in PostgreSQL."""
    if not location.startswith("postgresql://"):
        return b"".join(p.read_bytes() for p in Path(location).parent.glob("store.db*"))
    import asyncpg

    conn = await asyncpg.connect(location)
    try:
        tables = [r[0] for r in await conn.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]  # fmt: skip
        out = [str(await conn.fetchval(f"SELECT string_agg(t::text, '|') FROM {t} t")).encode()
               for t in tables]  # fmt: skip
        out += [b or b"" for r in await conn.fetch(
            "SELECT request_body, response_body FROM payloads") for b in r]  # fmt: skip
        return b"".join(out)
    finally:
        await conn.close()


async def test_create_then_skip_then_update_exactly_the_changed(tmp_path, store_location, servers):
    crm, erp, crm_url, erp_url = servers
    store = await _setup(tmp_path, store_location, crm_url, erp_url)
    seen = []
    try:
        r1 = await run_service(store, "customers", environ=ENV, progress=seen.append)
        # every 10th record has no email: skipped with the reason in words
        assert (r1.status, r1.created, r1.updated, r1.skipped, r1.failed) == (
            RunStatus.SUCCESS, 108, 0, 12, 0)  # fmt: skip
        assert erp.creates == 108 and len(erp.accounts) == 108
        assert [p.page for p in seen if not p.done] == [1, 2, 3]
        acc = next(a for a in erp.accounts.values() if a["source_id"] == "1")
        assert acc == {"id": acc["id"], "name": "Company 00001", "email": "contact1@example.com",
                       "tier": "premium", "source_id": "1"}  # fmt: skip
        bronze = next(a for a in erp.accounts.values() if a["source_id"] == "5")
        assert bronze["tier"] == "standard"  # unmapped plan falls back to the default

        r2 = await run_service(store, "customers", environ=ENV)
        assert (r2.created, r2.updated, r2.skipped) == (0, 0, 120)
        assert erp.creates == 108 and erp.updates == 0

        crm.update(3, email="New3@Example.com")
        crm.update(4, company={"name": "Renamed"})
        crm.update(10, email="now@has.one")  # was skipped: now created
        r3 = await run_service(store, "customers", environ=ENV)
        assert (r3.created, r3.updated, r3.skipped, r3.failed) == (1, 2, 117, 0)
        assert erp.updates == 2 and erp.creates == 109

        run = await store.get_run(r1.run_id)
        assert run.pulled == run.created + run.updated + run.skipped + run.failed == 120
        steps = (await store.list_steps(r1.run_id)).items
        assert steps[0].processed == 120 and steps[0].status.value == "success"
        inst = (await store.list_instances(steps[0].id)).items
        assert sorted(i.records for i in inst) == [20, 50, 50]
        ents = (await store.list_entities(steps[0].id, limit=200)).items
        reasons = {e.reason for e in ents if e.action.value == "skip"}
        assert reasons == {"required field email is empty"}
        logs = (await store.list_logs(run_id=r1.run_id)).items
        titles = [entry.details for entry in logs]
        done = "Customers sync completed: 108 created, 0 updated, 0 failed. Duration: "
        assert any(t.startswith(done) and t.endswith("ms.") for t in titles)
        assert any(t.startswith("Customers sync started") for t in titles)
        unmapped = await store.list_value_mappings(1, "plans", status="unmapped")
        assert [v.source_value for v in unmapped] == ["bronze"]
        # the token never reaches the store file
        await store.close()
        store = None
        raw = await _everything_stored(store_location)
        assert TOKEN.encode() not in raw and b"env:CRM_TOKEN" in raw
    finally:
        if store is not None:
            await store.close()


async def test_entity_4xx_fails_that_entity_and_run_goes_on(tmp_path, store_location, servers):
    crm, erp, crm_url, erp_url = servers
    crm.update(2, email="reject@example.com")
    store = await _setup(tmp_path, store_location, crm_url, erp_url)
    try:
        r = await run_service(store, "customers", environ=ENV)
        assert r.status == RunStatus.PARTIAL and r.exit_code == 3
        assert (r.created, r.failed) == (107, 1)
        logs = (await store.list_logs(run_id=r.run_id, level="ERROR")).items
        assert any("HTTP 422" in entry.details for entry in logs)
        # the failed create is tried again next run (and still fails), nothing duplicated
        r2 = await run_service(store, "customers", environ=ENV)
        assert (r2.created, r2.failed, r2.skipped) == (0, 1, 119)
    finally:
        await store.close()


async def test_retries_429_and_500_then_succeeds(tmp_path, store_location, servers):
    crm, erp, crm_url, erp_url = servers
    crm.faults.fail_next = [429, 500]
    crm.faults.retry_after = "0"
    store = await _setup(tmp_path, store_location, crm_url, erp_url)
    try:
        r = await run_service(store, "customers", environ=ENV)
        assert r.status == RunStatus.SUCCESS and r.created == 108
        step = (await store.list_steps(r.run_id)).items[0]
        assert step.rate_limited
        first = (await store.list_instances(step.id)).items
        page1 = next(i for i in first if i.page == 1)
        assert page1.retries == 2
        calls = (await store.list_calls(instance_id=page1.id)).items
        assert sorted(c.attempt for c in calls if c.method == "GET") == [1, 2, 3]
    finally:
        await store.close()


async def test_wrong_token_fails_run_at_once_with_cause(tmp_path, store_location, servers):
    crm, erp, crm_url, erp_url = servers
    store = await _setup(tmp_path, store_location, crm_url, erp_url)
    try:
        r = await run_service(store, "customers", environ={"CRM_TOKEN": "wrong"})
        assert r.status == RunStatus.FAILED and r.exit_code == 1
        assert "401" in r.message and "credentials" in r.message
        logs = (await store.list_logs(run_id=r.run_id, level="ERROR")).items
        assert {entry.code for entry in logs} >= {"http_401"}
        assert erp.creates == 0
    finally:
        await store.close()


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (lambda t: t.replace('path = "/customers"', 'path = "/broken/html"'), "is not JSON"),
        (lambda t: t.replace('path = "/customers"', 'path = "/broken/nodata"'), "has no 'data'"),
    ],
)
async def test_bad_responses_fail_the_step_in_words(tmp_path, store_location, servers, edit, words):
    crm, erp, crm_url, erp_url = servers
    crm.faults.token = None
    store = await _setup(tmp_path, store_location, crm_url, erp_url, edit)
    try:
        r = await run_service(store, "customers", environ=ENV)
        assert r.status == RunStatus.FAILED and words in r.message
        step = (await store.list_steps(r.run_id)).items[0]
        assert step.status.value == "failed" and words in step.message
    finally:
        await store.close()


async def test_unreachable_host_fails_without_crashing(tmp_path, store_location, servers):
    crm, erp, crm_url, erp_url = servers
    from core.sandbox import free_port

    dead = f"http://127.0.0.1:{free_port()}"
    store = await _setup(tmp_path, store_location, dead, erp_url,
        lambda t: t.replace("rate_limit = {", "retry = { attempts = 2 }\nrate_limit = {"),
    )  # fmt: skip
    try:
        r = await run_service(store, "customers", environ=ENV)
        assert r.status == RunStatus.FAILED and "could not connect" in r.message
    finally:
        await store.close()


async def test_dry_run_sends_nothing(tmp_path, store_location, servers):
    crm, erp, crm_url, erp_url = servers
    store = await _setup(tmp_path, store_location, crm_url, erp_url)
    try:
        r = await run_service(store, "customers", environ=ENV, dry_run=True)
        assert r.created == 108 and erp.creates == 0 and r.dry_run
        r2 = await run_service(store, "customers", environ=ENV)
        assert r2.created == 108 and erp.creates == 108
    finally:
        await store.close()


async def test_cancel_between_pages(tmp_path, store_location, servers):
    crm, erp, crm_url, erp_url = servers
    store = await _setup(tmp_path, store_location, crm_url, erp_url)

    async def cancel(p):
        if not p.done and p.page == 1:
            await store.request_cancel(p.run_id)

    try:
        r = await run_service(store, "customers", environ=ENV, progress=cancel)
        assert r.status == RunStatus.CANCELLED and r.pulled == 50
    finally:
        await store.close()


async def test_each_page_records_its_own_request_url(tmp_path, store_location, servers):
    """Pages list: page 2 shows the URL that asked for page 2, not the stream's base URL."""
    _, _, crm_url, erp_url = servers
    store = await _setup(tmp_path, store_location, crm_url, erp_url)
    try:
        r = await run_service(store, "customers", environ=ENV)
        step = (await store.list_steps(r.run_id)).items[0]
        pages = sorted((await store.list_instances(step.id)).items, key=lambda i: i.page)
        urls = [i.url for i in pages]
        assert urls == [f"{crm_url}/customers?_per_page=50&_page={n}" for n in (1, 2, 3)]
        for page in pages:  # the page's pull asked for that same URL (then come the pushes)
            calls = (await store.list_calls(instance_id=page.id, limit=200)).items
            assert [c.url for c in calls if c.url.startswith(crm_url)] == [page.url]
    finally:
        await store.close()

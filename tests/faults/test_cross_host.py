"""SECURITY 7: a next link or a redirect to a host other than the connector's gets none of its
credentials (bearer, secret and static headers, an API key in the query), with a WARNING log
event, unless the connector lists that host in allowed_hosts. 127.0.0.2 plays the other host."""

from __future__ import annotations

import pytest
from fault_api import OTHER_HOST, FaultState, fault_api
from fault_config import TENANT, TOKEN, config_text, run

ITEMS = [{"id": i, "name": f"n{i}"} for i in range(1, 13)]
API_KEY = (
    'auth = { type = "api_key", name = "api_key", api_key = "env:FAULT_TOKEN", location = "query" }'
)


@pytest.fixture
def api():
    with fault_api(FaultState(items=list(ITEMS), per_page=5, mode="elsewhere")) as state:
        yield state


def _leaks(seen) -> list[str]:
    out = []
    for s in seen:
        text = " ".join([s.query, *s.headers.values(), *s.headers.keys()]).lower()
        for secret in (TOKEN, TENANT, "authorization", "x-tenant-key", "x-client", "api_key"):
            if secret.lower() in text:
                out.append(f"{s.method} {s.raw_path}?{s.query}: {secret}")
    return out


async def _warnings(store, run_id):
    return [e for e in (await store.list_logs(run_id=run_id, level="warning")).items]


@pytest.mark.parametrize("kind", ["json_link", "header_link"])
async def test_a_next_link_to_another_host_gets_no_credentials(stores, api, kind):
    store = await stores.make(config_text(api, kind=kind))
    r = await run(store)
    own, other = api.sent_to("127.0.0.1"), api.sent_to(OTHER_HOST)
    assert other and r.pulled == 12  # the other host answered without credentials
    assert not _leaks(other)
    first = own[0].headers
    assert first["authorization"] == f"Bearer {TOKEN}" and first["x-tenant-key"] == TENANT
    warns = await _warnings(store, r.run_id)
    assert [w.title for w in warns] == [
        f"Credentials withheld from {OTHER_HOST}:{api.urls['other'].rsplit(':', 1)[1]}"
    ]
    assert "allowed_hosts" in warns[0].details


async def test_an_api_key_in_the_query_is_not_sent_to_another_host(stores, api):
    store = await stores.make(config_text(api, kind="json_link", src_extra=API_KEY).replace(
        'auth = { type = "bearer", token = "env:FAULT_TOKEN" }\n', ""))  # fmt: skip
    r = await run(store)

    assert r.pulled == 12
    assert f"api_key={TOKEN}" in api.sent_to("127.0.0.1")[0].query
    assert api.sent_to(OTHER_HOST) and not _leaks(api.sent_to(OTHER_HOST))


async def test_a_redirect_to_another_host_gets_no_credentials(stores, api):
    api.mode = "normal"
    store = await stores.make(config_text(api, kind="single_page", path="/src/redirect"))
    r = await run(store)
    assert r.pulled == 5 and len(api.sent_to(OTHER_HOST)) == 1
    assert not _leaks(api.sent_to(OTHER_HOST))
    assert [w.code for w in await _warnings(store, r.run_id)] == ["credentials_withheld"]
    step = (await store.list_steps(r.run_id)).items[0]
    inst = (await store.list_instances(step.id)).items[0]
    calls = [c for c in (await store.list_calls(instance_id=inst.id)).items if c.method == "GET"]
    assert len(calls) == 1 and calls[0].url.startswith(api.urls["other"])
    assert calls[0].request_headers == {}  # what reached the other host: none of ours


async def test_a_listed_host_gets_the_credentials(stores, api):
    port = api.urls["other"].rsplit(":", 1)[1]
    store = await stores.make(
        config_text(api, kind="json_link", src_extra=f'allowed_hosts = ["{OTHER_HOST}:{port}"]')
    )
    r = await run(store)
    other = api.sent_to(OTHER_HOST)
    assert other and all(s.headers.get("authorization") == f"Bearer {TOKEN}" for s in other)
    assert all(s.headers.get("x-tenant-key") == TENANT for s in other)
    assert await _warnings(store, r.run_id) == []


async def test_an_echoing_401_keeps_the_credentials_out_of_the_store(sqlite_stores, api, tmp_path):
    api.mode = "normal"
    store = await sqlite_stores.make(config_text(api, kind="single_page", path="/src/echo401"))
    r = await run(store)
    assert r.status.value == "failed"
    await sqlite_stores.close()
    stored = b"".join(f.read_bytes() for f in tmp_path.glob("s.db*"))
    assert TOKEN.encode() not in stored and TENANT.encode() not in stored


def test_allowed_hosts_must_be_host_names():
    from core.config import ConnectorConfig

    with pytest.raises(ValueError, match="not a host name"):
        ConnectorConfig.model_validate(
            {"base_url": "https://a.test", "allowed_hosts": ["https://b.test/x"]}
        )


async def test_a_create_redirected_to_another_host_is_not_sent_there(stores, api):
    api.mode = "normal"
    push = 'push = { create = "POST /dst/redirect", id_path = "id" }'
    store = await stores.make(config_text(api, kind="single_page", push=push))
    r = await run(store)
    assert (r.created, r.failed) == (0, 5) and api.records == {}
    assert [s for s in api.sent_to(OTHER_HOST) if s.method == "POST"] == []
    steps = (await store.list_steps(r.run_id)).items
    reasons = {e.reason for e in (await store.list_entities(steps[0].id)).items}
    assert len(reasons) == 1 and "a body to 127.0.0.2" in reasons.pop()

"""The push vocabulary against a real server on 127.0.0.1: envelopes, arrays in destination
paths, JSON Patch, form bodies, read-before-write (SyncToken and ETag), batches, id from any path
of the answer and record selectors that unwrap entries."""

from __future__ import annotations

import pytest

from core.config import parse_config
from core.config_io import apply
from core.engine.runner import run_service
from core.errors import UserError
from core.sandbox import serve
from core.store import open_store

from .vendor_app import VendorState, make_people, vendor_app


@pytest.fixture
def api():
    state = VendorState(people=make_people(5))
    with serve(vendor_app(state)) as server:
        yield state, server.url


@pytest.fixture
async def opened():
    stores = []
    yield stores
    for s in stores:
        await s.close()


def toml(url: str, push: str, fields: str, *, key: str = "id") -> str:
    return f"""
[connectors.src]
base_url = "{url}"
[connectors.dst]
base_url = "{url}"
[services.svc]
source = "src"
destination = "dst"
cooldown_minutes = 0
[[services.svc.streams]]
name = "people"
key = "{key}"
pull = {{ path = "/src/people", data_selector = "list[*].person" }}
push = {push}
[services.svc.streams.fields]
{fields}
"""


async def run(tmp_path, text: str, opened: list):
    store = await open_store(tmp_path / "s.db")
    opened.append(store)
    await apply(store, parse_config(text, "t.toml"), text)
    return store


async def sync(store):
    return await run_service(store, "svc", environ={})


def counts(r) -> tuple[int, int, int, int]:
    return (r.created, r.updated, r.skipped, r.failed)


async def entity_reasons(store, run_id: int) -> dict[str, str]:
    steps = (await store.list_steps(run_id)).items
    ents = (await store.list_entities(steps[0].id, limit=500)).items
    return {e.external_id: e.reason for e in ents}


XERO_FIELDS = """
Name = { from = "name" }
EmailAddress = { from = "email" }
"Phones.0.PhoneType" = { value = "DEFAULT" }
"Phones.0.PhoneNumber" = { from = "phone" }
"""


async def test_xero_envelope_array_path_and_id_from_answer(tmp_path, api, opened):
    state, url = api
    push = ('{ create = "PUT /xero/Contacts", update = "POST /xero/Contacts", '
            'id_path = "Contacts.0.ContactID", id_field = "ContactID", '
            'body = { wrap = "Contacts", as_list = true } }')  # fmt: skip
    store = await run(tmp_path, toml(url, push, XERO_FIELDS), opened)
    r = await sync(store)
    assert counts(r) == (5, 0, 0, 0)
    phone = {"PhoneType": "DEFAULT", "PhoneNumber": "+44 20 7946 0001"}
    one = {"Name": "Person 1", "EmailAddress": "p1@example.com", "Phones": [phone]}
    assert {"Contacts": [one]} in state.bodies
    state.people[0]["person"]["name"] = "Renamed"
    r = await sync(store)
    assert counts(r) == (0, 1, 4, 0)
    sent = state.bodies[-1]["Contacts"][0]
    (internal, _, _) = (await store.get_id_map(1, "people", ["p1"]))["p1"]
    assert sent["ContactID"] == internal and state.store[internal]["Name"] == "Renamed"
    assert len(state.store) == 5  # updated in place, nothing duplicated


async def test_xero_batch_matches_results_back_and_fails_only_the_bad_item(tmp_path, api, opened):
    state, url = api
    state.people[2]["person"]["name"] = ""  # Xero answers a ValidationError for this one
    state.reverse_batches = True  # results come back in another order: matched by AccountNumber
    push = (
        '{ create = "PUT /xero/Contacts", update = "POST /xero/Contacts", '
        'id_path = "Contacts.0.ContactID", body = { wrap = "Contacts", as_list = true }, '
        'batch = { size = 2, create = "PUT /xero/Contacts", update = "POST /xero/Contacts", '
        'items = "Contacts", results = "Contacts", result_id = "ContactID", '
        'match = "AccountNumber", id_field = "ContactID", error_path = "ValidationErrors" } }'
    )
    fields = XERO_FIELDS + 'AccountNumber = { from = "id" }\n'
    store = await run(tmp_path, toml(url, push, fields), opened)
    r = await sync(store)
    assert counts(r) == (4, 0, 0, 1)
    assert [c for c in state.calls if c[0] == "PUT"] == [("PUT", "/xero/Contacts")] * 3
    reasons = await entity_reasons(store, r.run_id)
    assert reasons["p3"] == "the destination refused it: Name is required"
    ids = await store.get_id_map(1, "people", ["p1", "p2", "p4", "p5"])
    for ext, (internal, _, pending) in ids.items():
        assert state.store[internal]["AccountNumber"] == ext and not pending
    # the refused one was not created: the next run creates it, nothing is duplicated
    state.people[2]["person"]["name"] = "Now named"
    state.people[0]["person"]["city"] = "York"  # not mapped: unchanged payload, skipped
    state.people[1]["person"]["email"] = "new@example.com"
    r = await sync(store)
    assert counts(r) == (1, 1, 3, 0)
    assert len(state.store) == 5


async def test_hubspot_batch_of_100_and_unmatchable_answer_fails_without_duplicates(
    tmp_path, api, opened
):
    state, url = api
    state.people = make_people(250)
    push = ('{ create = "POST /hs/objects", update = "PATCH /hs/objects/{id}", '
            'batch = { size = 100, create = "POST /hs/batch/create", '
            'update = "POST /hs/batch/update" } }')  # fmt: skip
    fields = '"properties.email" = { from = "email" }\n"properties.name" = { from = "name" }\n'
    store = await run(tmp_path, toml(url, push, fields), opened)
    r = await sync(store)
    assert counts(r) == (250, 0, 0, 0)
    sizes = [len(b["inputs"]) for b in state.bodies if isinstance(b, dict) and "inputs" in b]
    assert sorted(sizes) == [50, 100, 100]
    # an update batch whose answer lacks one record's result: that record fails, the rest hold
    for p in state.people[:3]:
        p["person"]["name"] += " v2"
    state.drop_last_result = True
    r = await sync(store)
    assert counts(r) == (0, 2, 247, 1)
    assert len(state.store) == 250


async def test_batch_create_answer_unmatched_stays_pending_never_resent(tmp_path, api, opened):
    state, url = api
    state.drop_last_result = True  # by position: 2 sent, 1 answered -> neither can be trusted
    push = ('{ create = "POST /hs/objects", '
            'batch = { size = 2, create = "POST /hs/batch/create" } }')  # fmt: skip
    store = await run(tmp_path, toml(url, push, '"properties.name" = { from = "name" }'), opened)
    r = await sync(store)
    assert r.failed == 5 and r.created == 0
    reasons = await entity_reasons(store, r.run_id)
    assert "cannot be matched" in reasons["p1"] or "matches this record" in reasons["p1"]
    created_before = len(state.store)
    state.drop_last_result = False
    r = await sync(store)  # no push.find: the ambiguous creates fail again instead of doubling
    assert r.created == 0 and len(state.store) == created_before


async def test_connectwise_json_patch_from_the_changed_fields(tmp_path, api, opened):
    state, url = api
    push = (
        '{ create = "POST /cw/companies", update = "PATCH /cw/companies/{id}", '
        'update_as = "json_patch", read = { path = "GET /cw/companies/{id}" } }'
    )
    fields = 'name = { from = "name" }\n"site.city" = { from = "city" }\n'
    store = await run(tmp_path, toml(url, push, fields), opened)
    assert counts(await sync(store)) == (5, 0, 0, 0)
    state.people[0]["person"]["name"] = "Renamed Ltd"
    r = await sync(store)
    assert counts(r) == (0, 1, 4, 0)
    assert state.bodies[-1] == [{"op": "replace", "path": "/name", "value": "Renamed Ltd"}]
    p1 = state.store[(await store.get_id_map(1, "people", ["p1"]))["p1"][0]]
    assert p1["name"] == "Renamed Ltd" and p1["site"]["city"] == "Leeds"


async def test_json_patch_for_a_path_the_record_lacks_fails_that_entity_only(tmp_path, api, opened):
    state, url = api
    push = (
        '{ create = "POST /cw/companies", update = "PATCH /cw/companies/{id}", '
        'update_as = "json_patch", read = { path = "GET /cw/companies/{id}" } }'
    )
    fields = 'name = { from = "name" }\n"site.city" = { from = "city" }\n'
    store = await run(tmp_path, toml(url, push, fields), opened)
    await sync(store)
    p1 = (await store.get_id_map(1, "people", ["p1"]))["p1"][0]
    state.store[p1]["site"] = "not a table"  # someone replaced it at the destination
    state.people[0]["person"]["city"] = "York"
    state.people[1]["person"]["city"] = "York"
    r = await sync(store)
    assert counts(r) == (0, 1, 3, 1)
    reasons = await entity_reasons(store, r.run_id)
    assert reasons["p1"].startswith("cannot patch /site/city: the destination's record has no site")
    assert [m for m, _ in state.calls].count("PATCH") == 1


async def test_json_patch_without_read_replaces_every_mapped_field(tmp_path, api, opened):
    state, url = api
    push = (
        '{ create = "POST /cw/companies", update = "PATCH /cw/companies/{id}", '
        'update_as = "json_patch" }'
    )
    store = await run(tmp_path, toml(url, push, 'name = { from = "name" }'), opened)
    await sync(store)
    state.people[3]["person"]["name"] = "X"
    await sync(store)
    assert state.bodies[-1] == [{"op": "replace", "path": "/name", "value": "X"}]


async def test_chargebee_form_encoded_create_and_update(tmp_path, api, opened):
    state, url = api
    push = (
        '{ create = "POST /cb/customers", update = "POST /cb/customers/{id}", '
        'encoding = "form", id_path = "customer.id" }'
    )
    fields = ('company = { from = "name" }\nemail = { from = "email" }\n'
              '"billing_address.city" = { from = "city" }\n')  # fmt: skip
    store = await run(tmp_path, toml(url, push, fields), opened)
    r = await sync(store)
    assert counts(r) == (5, 0, 0, 0)
    one = {"company": "Person 1", "email": "p1@example.com", "billing_address[city]": "Leeds"}
    assert one in state.bodies
    state.people[4]["person"]["email"] = "five@example.com"
    r = await sync(store)
    assert counts(r) == (0, 1, 4, 0)
    p5 = (await store.get_id_map(1, "people", ["p5"]))["p5"][0]
    assert state.calls[-1] == ("POST", f"/cb/customers/{p5}")
    assert state.store[p5]["email"] == "five@example.com"


def test_envelope_on_a_form_body_is_a_config_error(api):
    _, url = api
    push = '{ create = "POST /cb/customers", encoding = "form", body = { wrap = "customer" } }'
    with pytest.raises(UserError) as err:
        parse_config(toml(url, push, 'company = { from = "name" }'), "t.toml")
    assert "form-encoded body has no envelope" in str(err.value)


async def test_quickbooks_sync_token_read_before_write_and_conflicts(tmp_path, api, opened):
    state, url = api
    push = (
        '{ create = "POST /qbo/customer", update = "POST /qbo/customer?operation=update", '
        'id_path = "Customer.Id", id_field = "Id", '
        'read = { path = "GET /qbo/customer/{id}", token_path = "Customer.SyncToken", '
        'token_field = "SyncToken" } }'
    )
    fields = 'DisplayName = { from = "name" }\n"PrimaryEmailAddr.Address" = { from = "email" }\n'
    store = await run(tmp_path, toml(url, push, fields), opened)
    assert counts(await sync(store)) == (5, 0, 0, 0)
    state.people[0]["person"]["name"] = "One"
    p1 = (await store.get_id_map(1, "people", ["p1"]))["p1"][0]
    state.conflicts[p1] = 1  # someone saves it between our read and our write: re-read once
    r = await sync(store)
    assert counts(r) == (0, 1, 4, 0)
    sent = state.bodies[-1]
    assert sent["Id"] == p1 and sent["SyncToken"] == "1" and sent["DisplayName"] == "One"
    assert state.store[p1]["DisplayName"] == "One"
    state.people[0]["person"]["name"] = "Two"
    state.conflicts[p1] = 2  # it keeps changing: the entity fails with the reason, the run goes on
    state.people[1]["person"]["name"] = "Other"
    r = await sync(store)
    assert counts(r) == (0, 1, 3, 1)
    reason = (await entity_reasons(store, r.run_id))["p1"]
    assert reason.startswith("the record changed at the destination while syncdeck updated it")
    assert "HTTP 409" in reason and len(state.store) == 5


async def test_etag_if_match_and_412(tmp_path, api, opened):
    state, url = api
    push = (
        '{ create = "POST /etag/items", update = "PUT /etag/items/{id}", '
        'read = { path = "GET /etag/items/{id}", etag = true } }'
    )
    store = await run(tmp_path, toml(url, push, 'name = { from = "name" }'), opened)
    await sync(store)
    state.people[2]["person"]["name"] = "Three"
    p3 = (await store.get_id_map(1, "people", ["p3"]))["p3"][0]
    state.conflicts[p3] = 1
    r = await sync(store)
    assert counts(r) == (0, 1, 4, 0)
    one = f"/etag/items/{p3}"
    assert state.calls[-4:] == [("GET", one), ("PUT", one), ("GET", one), ("PUT", one)]
    assert state.store[p3]["name"] == "Three"


async def test_autotask_item_id_and_collection_patch_with_id_in_body(tmp_path, api, opened):
    state, url = api
    push = (
        '{ create = "POST /at/Products", update = "PATCH /at/Products", id_path = "itemId", '
        'id_field = "id", id_type = "integer" }'
    )
    store = await run(tmp_path, toml(url, push, 'name = { from = "name" }'), opened)
    assert counts(await sync(store)) == (5, 0, 0, 0)
    state.people[1]["person"]["name"] = "Two"
    r = await sync(store)
    assert counts(r) == (0, 1, 4, 0)
    p2 = (await store.get_id_map(1, "people", ["p2"]))["p2"][0]
    assert state.bodies[-1] == {"name": "Two", "id": int(p2)}
    assert state.store[p2]["name"] == "Two"


def test_batch_size_over_the_limit_is_a_config_error(api):
    _, url = api
    push = '{ create = "POST /x", batch = { size = 5000, create = "POST /x/batch" } }'
    with pytest.raises(UserError) as err:
        parse_config(toml(url, push, 'name = { from = "name" }'), "t.toml")
    assert "batch.size" in str(err.value) and "1000" in str(err.value)

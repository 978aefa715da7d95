"""Every preset's requests against its vendor's OpenAPI document: its test connection GET, a
pull with the preset's paging and parameters, and creates then updates (one call per record and,
where the API takes them, batches) with the preset's push defaults. A refused request fails."""

from __future__ import annotations

import warnings
from itertools import count

import httpx
import pytest

from core.config import parse_config
from core.config_io import apply
from core.connectors.client import Client
from core.connectors.presets import test_path as path_for_test
from core.engine.runner import run_service
from core.store import open_store

from .contract_kit import SpecTransport, Vendor
from .vendors import World, vendors

NEUTRAL = "https://neutral.example"
ENV = {"T": "token-1", "S": "secret-1", "R": "refresh-1"}

CONNECTORS = {
    "hubspot": 'preset = "hubspot"\ncredentials = { token = "env:T" }',
    "connectwise": ('preset = "connectwise"\ncredentials = { site = "api-na.myconnectwise.net", '
                    'company = "acme", public_key = "pub", private_key = "env:S", '
                    'client_id = "cid" }'),
    "autotask": ('preset = "autotask"\ncredentials = { zone = "5", username = "u", '
                 'secret = "env:S", integration_code = "env:T" }'),
    "chargebee": 'preset = "chargebee"\ncredentials = { site = "acme", api_key = "env:T" }',
    "shopify": 'preset = "shopify"\ncredentials = { shop = "acme", access_token = "env:T" }',
    "xero": ('preset = "xero"\ncredentials = { tenant_id = "t-1", client_id = "cid", '
             'client_secret = "env:S", refresh_token = "env:R" }'),
    "quickbooks": ('preset = "quickbooks"\ncredentials = { realm_id = "9130", client_id = "cid", '
                   'client_secret = "env:S", refresh_token = "env:R" }'),
}  # fmt: skip

# preset -> (create, update, fields) for a stream writing to it
WRITES = {
    "hubspot": ("POST /crm/v3/objects/contacts", "PATCH /crm/v3/objects/contacts/{id}",
                {"properties.email": "email", "properties.firstname": "name",
                 "associations": []}),
    "connectwise": ("POST /company/companies", "PATCH /company/companies/{id}",
                    {"identifier": "id", "name": "name"}),
    "autotask": ("POST /Products", "PATCH /Products",
                 {"name": "name", "isActive": True, "isSerialized": False,
                  "productBillingCodeID": 29682801}),
    "chargebee": ("POST /customers", "POST /customers/{id}",
                  {"first_name": "name", "email": "email", "billing_address.city": "city"}),
    "shopify": ("POST /draft_orders.json", "PUT /draft_orders/{id}.json",
                {"draft_order.line_items.0.title": "name", "draft_order.line_items.0.quantity": 1,
                 "draft_order.email": "email"}),
    "xero": ("PUT /Contacts", "POST /Contacts/{id}",
             {"Name": "name", "EmailAddress": "email", "Phones.0.PhoneType": "DEFAULT",
              "Phones.0.PhoneNumber": "phone"}),
    "quickbooks": ("POST /customer", "POST /customer?operation=update",
                   {"DisplayName": "name", "PrimaryEmailAddr.Address": "email"}),
}  # fmt: skip

BATCHES = {  # preset -> batch table (TOML) for APIs that take many records a call
    "hubspot": ('{ size = 100, create = "POST /crm/v3/objects/contacts/batch/create", '
                'update = "POST /crm/v3/objects/contacts/batch/update", '
                'match = "properties.email" }'),
    "xero": ('{ size = 50, create = "PUT /Contacts", update = "POST /Contacts", '
             'items = "Contacts", results = "Contacts", result_id = "ContactID", '
             'id_field = "ContactID", error_path = "ValidationErrors" }'),
}  # fmt: skip

PULLS = {  # preset -> a stream's pull table
    "hubspot": '{ path = "/crm/v3/objects/contacts", params = { properties = "email" } }',
    "connectwise": '{ path = "/company/companies", params = { conditions = "deletedFlag=false" } }',
    "autotask": '{ path = "/Companies/query" }',
    "chargebee": '{ path = "/customers" }',
    "shopify": '{ path = "/customers.json" }',
    "xero": '{ path = "/Contacts" }',
    "quickbooks": (
        '{ path = "/query", params = { query = "select * from Customer" }, '
        'data_selector = "QueryResponse.Customer" }'
    ),
}


class Neutral:
    """The other end of each service: an API no spec governs."""

    def __init__(self, n: int = 3) -> None:
        self.version = 1
        self.n = n
        self.ids = count(1)

    def answer(self, req: httpx.Request) -> httpx.Response:
        if req.method == "GET":
            rows = [
                {
                    "id": f"n{i}",
                    "name": f"Name {i} v{self.version}",
                    "phone": "+44 1",
                    "email": f"n{i}@example.com",
                    "city": "Leeds",
                }
                for i in range(1, self.n + 1)
            ]
            return httpx.Response(200, json={"list": rows})
        return httpx.Response(201, json={"id": next(self.ids)})


def _value(v: object) -> str:
    if isinstance(v, str) and v in ("id", "name", "email", "city", "phone"):
        return f'{{ from = "{v}" }}'
    if isinstance(v, bool):
        return f"{{ value = {'true' if v else 'false'} }}"
    if isinstance(v, list):
        return "{ value = [] }"
    return f"{{ value = {v!r} }}".replace("'", '"')


def _toml(preset: str, *, push: str | None = None, pull: str | None = None,
          fields: dict | None = None) -> str:  # fmt: skip
    lines = [f"[connectors.p]\n{CONNECTORS[preset]}", f'[connectors.n]\nbase_url = "{NEUTRAL}"']
    src, dst = ("n", "p") if push else ("p", "n")
    lines.append(f'[services.s]\nsource = "{src}"\ndestination = "{dst}"\ncooldown_minutes = 0')
    lines.append('[[services.s.streams]]\nname = "things"')
    if push:
        lines.append('pull = { path = "/people", data_selector = "list" }')
        lines.append(f"push = {push}")
        lines.append("[services.s.streams.fields]")
        lines += [f'"{k}" = {_value(v)}' for k, v in (fields or {}).items()]
    else:
        lines.append(f"pull = {pull}")
        lines.append('push = { create = "POST /things" }')
    return "\n".join(lines) + "\n"


async def _run_twice(tmp_path, text: str, neutral: Neutral, world: World, bases: dict[str, str]):
    warnings.filterwarnings("ignore", "Unsupported scheme type")
    cfg = parse_config(text, "t.toml")
    bases = {**bases, "p": cfg.connectors["p"].base_url}
    transport = SpecTransport([*vendors(world, bases), Vendor(None, NEUTRAL, neutral.answer)])
    store = await open_store(tmp_path / "s.db")
    try:
        await apply(store, cfg, text)
        first = await run_service(store, "s", environ=ENV, transport=transport)
        neutral.version = world.version = 2
        second = await run_service(store, "s", environ=ENV, transport=transport)
    finally:
        await store.close()
    return transport, first, second


def _bases(preset: str) -> dict[str, str]:
    cfg = parse_config(_toml(preset, pull=PULLS[preset]), "t.toml")
    return {preset: cfg.connectors["p"].base_url}


@pytest.mark.parametrize("preset", sorted(WRITES))
async def test_preset_writes_are_valid(tmp_path, preset):
    create, update, fields = WRITES[preset]
    push = f'{{ create = "{create}", update = "{update}" }}'
    text = _toml(preset, push=push, fields=fields)
    transport, first, second = await _run_twice(tmp_path, text, Neutral(), World(), _bases(preset))
    assert transport.refused == [], "\n".join(transport.refused)
    assert (first.created, first.failed) == (3, 0), first.message
    assert (second.updated, second.failed) == (3, 0), second.message


@pytest.mark.parametrize("preset", sorted(BATCHES))
async def test_preset_batch_writes_are_valid(tmp_path, preset):
    create, update, fields = WRITES[preset]
    push = f'{{ create = "{create}", update = "{update}", batch = {BATCHES[preset]} }}'
    text = _toml(preset, push=push, fields=fields)
    transport, first, second = await _run_twice(tmp_path, text, Neutral(), World(), _bases(preset))
    assert transport.refused == [], "\n".join(transport.refused)
    assert (first.created, second.updated) == (3, 3), (first.message, second.message)
    writes = [s for s in transport.seen if not s.startswith("GET") and "/token" not in s]
    assert len(writes) == 2  # one call per batch


@pytest.mark.parametrize("preset", sorted(PULLS))
async def test_preset_pull_and_test_connection_are_valid(tmp_path, preset):
    text = _toml(preset, pull=PULLS[preset])
    transport, first, _ = await _run_twice(tmp_path, text, Neutral(), World(), _bases(preset))
    assert transport.refused == [], "\n".join(transport.refused)
    assert first.status.value in ("success", "partial"), first.message
    cfg = parse_config(text, "t.toml").connectors["p"]
    client = Client("p", cfg, environ=ENV, transport=transport)
    try:
        ex = await client.request("GET", path_for_test(cfg) or "/")
    finally:
        await client.aclose()
    assert transport.refused == [], "\n".join(transport.refused)
    assert ex.status is not None and ex.status < 400


def test_a_batch_over_the_api_limit_is_a_config_error():
    from core.errors import UserError

    push = (
        '{ create = "POST /crm/v3/objects/contacts", '
        'batch = { size = 250, create = "POST /crm/v3/objects/contacts/batch/create" } }'
    )
    with pytest.raises(UserError) as err:
        parse_config(_toml("hubspot", push=push, fields={"properties.email": "email"}), "t.toml")
    assert "over what the HubSpot CRM v3 API takes in one call (100)" in str(err.value)


def test_xero_creates_carry_an_idempotency_key():
    text = _toml("xero", push='{ create = "PUT /Contacts" }', fields={"Name": "name"})
    push = parse_config(text, "t.toml").services["s"].streams[0].push
    assert push.idempotency_header == "Idempotency-Key"
    assert push.body is not None and push.body.wrap == "Contacts"

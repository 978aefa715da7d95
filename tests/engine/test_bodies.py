"""Request bodies and endpoints built from a mapped record (unit level; the loopback tests in
test_push_vocabulary_e2e.py send them to a real server)."""

from __future__ import annotations

import pytest

from core.config_push import BodyEnvelope
from core.connectors.templates import BadValue
from core.engine.push import _endpoint
from core.mapping.bodies import BodyError, form_fields, json_patch, wrap
from core.mapping.paths import set_path


def test_form_arrays_rails_style_and_chargebee_style():
    p = {"plan": "a", "items": [{"id": "x", "qty": 2}], "tags": ["t"], "addr": {"city": "L"},
         "gone": None, "on": True}  # fmt: skip
    assert form_fields(p) == [("plan", "a"), ("items[0][id]", "x"), ("items[0][qty]", "2"),
                              ("tags[0]", "t"), ("addr[city]", "L"), ("on", "true")]  # fmt: skip
    assert ("items[id][0]", "x") in form_fields(p, index_last=True)


def test_json_patch_with_and_without_the_current_record():
    payload = {"name": "B", "site": {"city": "York"}, "phone": "1"}
    assert json_patch(payload) == [
        {"op": "replace", "path": "/name", "value": "B"},
        {"op": "replace", "path": "/site/city", "value": "York"},
        {"op": "replace", "path": "/phone", "value": "1"},
    ]
    current = {"id": 1, "name": "A", "site": {"city": "York"}}
    assert json_patch(payload, current) == [
        {"op": "replace", "path": "/name", "value": "B"},
        {"op": "add", "path": "/phone", "value": "1"},
    ]
    with pytest.raises(BodyError, match="has no site"):
        json_patch(payload, {"name": "A", "site": None})


def test_envelopes_and_array_paths():
    body = BodyEnvelope(wrap="Contacts", as_list=True)
    assert wrap([{"a": 1}], body) == {"Contacts": [{"a": 1}]}
    assert wrap([{"a": 1}], BodyEnvelope(wrap="Customer")) == {"Customer": {"a": 1}}
    out: dict = {}
    set_path(out, "Line.0.SalesItemLineDetail.ItemRef.value", "1")
    set_path(out, "Line.0.Amount", 5)
    assert out == {"Line": [{"SalesItemLineDetail": {"ItemRef": {"value": "1"}}, "Amount": 5}]}


def test_endpoint_placeholders_are_percent_encoded():
    method, path = _endpoint('GET /c?conditions=identifier="{key}"', key='a&b "c"/d')
    assert (method, path) == ("GET", '/c?conditions=identifier="a%26b%20%22c%22%2Fd"')
    _, path = _endpoint("POST /agreements/{agreementId}/additions", payload={"agreementId": 7})
    assert path == "/agreements/7/additions"
    with pytest.raises(BadValue, match="needs agreementId"):
        _endpoint("POST /agreements/{agreementId}/additions", payload={})

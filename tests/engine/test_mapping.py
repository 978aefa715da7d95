from __future__ import annotations

from core.config import StreamConfig
from core.mapping.fields import Mapper, payload_hash

STREAM = StreamConfig.model_validate({
    "name": "customers", "key": "id", "pull": {"path": "/c"},
    "fields": {
        "name": {"from": "company.name", "transforms": ["trim"]},
        "email": {"from": "email", "transforms": ["lower"], "required": True},
        "tier": {"from": "plan", "lookup": "plans", "default": "standard"},
        "region": {"from": "region", "lookup": "regions"},
        "full": {"from": ["first", "last"], "transforms": [{"join": " "}]},
        "address.city": {"from": "city"},
        "source_id": {"from": "id", "transforms": ["string"]},
    },
})  # fmt: skip
LOOKUPS = {"plans": {"gold": "premium"}, "regions": {"eu": "EMEA"}}


def rec(**kw):
    base = {"id": 7, "company": {"name": " Acme "}, "email": "A@B.C", "plan": "gold",
            "region": "eu", "first": "Ada", "last": "L", "city": "Berlin"}  # fmt: skip
    base.update(kw)
    return base


def test_maps_a_full_record():
    res = Mapper(STREAM, LOOKUPS).map(rec())
    assert res.payload == {
        "name": "Acme", "email": "a@b.c", "tier": "premium", "region": "EMEA",
        "full": "Ada L", "address": {"city": "Berlin"}, "source_id": "7",
    }  # fmt: skip


def test_required_empty_skips_with_words():
    res = Mapper(STREAM, LOOKUPS).map(rec(email=""))
    assert res.payload is None and res.skip_reason == "required field email is empty"


def test_unmapped_lookup_with_default_uses_it_and_notes_value():
    res = Mapper(STREAM, LOOKUPS).map(rec(plan="bronze"))
    assert res.payload["tier"] == "standard" and res.unmapped == [("plans", "bronze")]


def test_unmapped_lookup_without_default_skips():
    res = Mapper(STREAM, LOOKUPS).map(rec(region="apac"))
    assert res.skip_reason == "region 'apac' has no mapping in lookup regions"


def test_issue_wording_for_plan():
    stream = StreamConfig.model_validate({"name": "c", "pull": {"path": "/"},
        "fields": {"tier": {"from": "plan", "lookup": "plans"}}})  # fmt: skip
    res = Mapper(stream, {"plans": {}}).map({"id": 1, "plan": "bronze"})
    assert res.skip_reason == "plan 'bronze' has no mapping in lookup plans"


def test_bad_value_fails_with_reason():
    stream = StreamConfig.model_validate({"name": "c", "pull": {"path": "/"},
        "fields": {"n": {"from": "n", "transforms": ["int"]}}})  # fmt: skip
    res = Mapper(stream, {}).map({"id": 1, "n": "abc"})
    assert res.fail_reason == "field n: 'abc' is not a whole number"


def test_hash_is_stable_and_sensitive():
    assert payload_hash({"a": 1, "b": 2}) == payload_hash({"b": 2, "a": 1})
    assert payload_hash({"a": 1}) != payload_hash({"a": 2})

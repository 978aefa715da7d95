"""The mapping's compiled fast paths do exactly what the general code does."""

from __future__ import annotations

import copy
import hashlib
import json
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from core.mapping.fields import payload_hash
from core.mapping.paths import compile_set, set_path

names = st.sampled_from(["a", "b", "c", "0", "1", "x.y"])
paths = st.lists(names, min_size=1, max_size=4).map(".".join)
leaf = st.one_of(st.none(), st.integers(), st.text(max_size=3), st.just([]), st.just({}))
objects = st.recursive(
    leaf,
    lambda kids: st.one_of(
        st.lists(kids, max_size=3), st.dictionaries(st.sampled_from("abc01"), kids, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from("abc01"), objects, max_size=4), paths, leaf)
def test_compiled_setter_matches_set_path(start: dict, path: str, value: object) -> None:
    want, got = copy.deepcopy(start), copy.deepcopy(start)
    set_path(want, path, value)
    compile_set(path)(got, value)
    assert got == want


def test_compiled_setter_builds_nested_tables_and_replaces_non_tables() -> None:
    out: dict = {"properties": "scalar"}
    put = compile_set("properties.email")
    put(out, "a@example.com")
    compile_set("properties.name")(out, "A")
    assert out == {"properties": {"email": "a@example.com", "name": "A"}}


def _reference_hash(payload: dict) -> str:
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


json_values = st.recursive(
    st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(), st.text(),
        st.decimals(allow_nan=False).map(Decimal), st.datetimes(),
    ),
    lambda kids: st.one_of(
        st.lists(kids, max_size=3), st.dictionaries(st.text(), kids, max_size=3)
    ),
    max_leaves=12,
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.text(), json_values, max_size=5))
def test_payload_hash_is_the_stored_definition(payload: dict) -> None:
    # every hash in a store was made this way: a different byte would turn unchanged records
    # into updates
    assert payload_hash(payload) == _reference_hash(payload)

"""JSON on the wire: orjson where it says the same thing, the standard library where it would
not (NaN refused, integers beyond 64 bits kept whole)."""

from __future__ import annotations

import json
import math
from datetime import datetime

import httpx
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from core.connectors import wire_json

values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text()),
    lambda kids: st.one_of(
        st.lists(kids, max_size=3), st.dictionaries(st.text(), kids, max_size=3)
    ),
    max_leaves=12,
)  # fmt: skip


def _httpx_body(value: object) -> bytes:
    return httpx.Request("POST", "http://h/", json=value).read()


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


@settings(max_examples=400, deadline=None)
@given(values)
def test_a_body_says_what_httpx_json_says_or_is_refused_as_it_was(value: object) -> None:
    assume(value is not None)  # json=None: no body at all
    try:
        want = json.loads(_httpx_body(value))
    except ValueError:  # NaN / infinity: httpx refuses it
        with pytest.raises(ValueError):
            wire_json.dumps(value)
        return
    assert _same(json.loads(wire_json.dumps(value)), want)


@settings(max_examples=400, deadline=None)
@given(values)
def test_an_answer_reads_as_the_standard_library_reads_it(value: object) -> None:
    raw = json.dumps(value).encode()  # NaN and Infinity included, as a lax server writes them
    assert _same(wire_json.loads(raw), json.loads(raw))


def test_long_ids_keep_every_digit_and_nan_is_refused() -> None:
    assert wire_json.loads(b'{"id": 12345678901234567890123}') == {"id": 12345678901234567890123}
    assert wire_json.loads(b"[18446744073709551616]") == [18446744073709551616]
    with pytest.raises(ValueError):
        wire_json.dumps({"amount": float("nan"), "name": "x"})
    with pytest.raises(TypeError):  # no JSON word for it: refused, as httpx's json= did
        wire_json.dumps({"at": datetime(2026, 1, 1)})
    assert wire_json.dumps({"name": "Zoë", "n": 2**70}) == _httpx_body({"name": "Zoë", "n": 2**70})
    with pytest.raises(ValueError):
        wire_json.loads(b"not json")

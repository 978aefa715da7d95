"""Property: any id a template puts in a URL comes back, decoded, as exactly that one path
segment or query value; the URL keeps the template's host, path depth and query keys. An id no
URL can hold is refused with BadValue, never sent and never a crash."""

from __future__ import annotations

from urllib.parse import unquote

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.connectors.templates import BadValue, fill

TEMPLATE = "/v1/things/{id}/sub/{key}?source_id={key}&kind=x"
IDS = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40)


@settings(max_examples=300, deadline=None, database=None)
@given(internal=IDS, key=IDS)
def test_an_id_is_one_segment_whatever_it_holds(internal, key):
    url = httpx.URL("https://api.test" + fill(TEMPLATE, {"id": internal, "key": key}))
    assert url.host == "api.test"
    segments = url.raw_path.decode().split("?")[0].split("/")
    assert len(segments) == 6 and segments[:3] == ["", "v1", "things"] and segments[4] == "sub"
    assert unquote(segments[3]) == internal and unquote(segments[5]) == key
    assert url.params.multi_items() == [("source_id", key), ("kind", "x")]


@settings(max_examples=100, deadline=None, database=None)
@given(before=st.text(max_size=5), control=st.characters(categories=("Cc",)),
       after=st.text(max_size=5))  # fmt: skip
def test_a_control_character_is_refused(before, control, after):
    with pytest.raises(BadValue, match="control character"):
        fill(TEMPLATE, {"id": "1", "key": before + control + after})


def test_empty_is_refused_and_unknown_placeholders_stay():
    with pytest.raises(BadValue, match="empty"):
        fill("/a/{id}", {"id": ""})
    assert fill("/a/{other}/{id}", {"id": "x/y"}) == "/a/{other}/x%2Fy"

"""Property: whatever cursors or next links an API sends, paging ends, never asks for the same
page twice, and makes at most one request per distinct cursor (plus the first)."""

from __future__ import annotations

import httpx
from hypothesis import given, settings
from hypothesis import strategies as st

from core.config import Pull
from core.connectors.paginators import make_paginator

TOKENS = st.lists(st.one_of(st.none(), st.sampled_from(["a", "b", "c", "d", "%2F", "é", ""])),
                  min_size=1, max_size=40)  # fmt: skip
HERE = "https://api.test/items"
KINDS = {
    "cursor": {"type": "cursor", "cursor_path": "next"},
    "json_link": {"type": "json_link", "next_url_path": "next"},
    "header_link": {"type": "header_link"},
}


def _drive(kind: str, tokens: list[str | None], max_pages: int) -> list[str]:
    paginator = {**KINDS[kind], "max_pages": max_pages}
    cfg = Pull.model_validate({"path": "/items", "paginator": paginator})
    pag = make_paginator(cfg.paginator, cfg.path, {})
    req = pag.first()
    asked = []
    i = 0
    while req is not None:
        asked.append((req.path_or_url, sorted(req.params.items())))
        tok = tokens[min(i, len(tokens) - 1)]  # the API's answer; the last one forever after
        url = None if tok is None else f"https://api.test/items?c={tok}"
        body = {"next": url if kind == "json_link" else tok}
        link = f'<{url}>; rel="next"'.encode()
        headers = {"Link": link} if kind == "header_link" and url else {}
        resp = httpx.Response(200, headers=headers, request=httpx.Request("GET", HERE))
        records = [{"id": i}]  # new records on every page
        req = pag.next(body, resp, records)
        i += 1
        assert i <= max_pages + 1
    return [repr(a) for a in asked]


@settings(max_examples=150, deadline=None, database=None)
@given(kind=st.sampled_from(sorted(KINDS)), tokens=TOKENS, max_pages=st.integers(1, 60))
def test_paging_ends_and_never_asks_twice(kind, tokens, max_pages):
    asked = _drive(kind, tokens, max_pages)
    assert len(asked) == len(set(asked))
    assert len(asked) <= min(max_pages, len({t for t in tokens if t is not None}) + 1)

"""Paginators: which request comes next, and when to stop.

Every paginator stops on its own signal (total pages or records, a missing next cursor / URL /
Link), on a has-more flag that is false, on an empty page, on a page identical to the previous
one (json-server clamps a page past the end to the last page), on a request it already made (a
cursor or next link that does not advance, even with new records on each page), and after
`max_pages`. The last two are `warning` stops: the API misbehaved and records may be missing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

import httpx

from ..config import (
    Cursor,
    HeaderLink,
    JsonLink,
    Offset,
    PageNumber,
    PaginatorConfig,
    SinglePage,
)
from ..mapping.paths import get_path


@dataclass(slots=True)
class PageRequest:
    path_or_url: str
    params: dict[str, Any] = field(default_factory=dict)
    label: str = ""  # what the instance row shows as its page / cursor
    number: int = 1


def _signature(records: list[Any]) -> str:
    if not records:
        return "empty"
    ends = json.dumps([len(records), records[0], records[-1]], sort_keys=True, default=str)
    return hashlib.blake2b(ends.encode(), digest_size=12).hexdigest()


def _request_key(req: PageRequest) -> str:
    return json.dumps([req.path_or_url, sorted(req.params.items())], default=str)


class Paginator:
    def __init__(self, cfg: PaginatorConfig, path: str, params: dict[str, Any]) -> None:
        self.cfg = cfg
        self.path = path
        self.params = dict(params)
        self.pages = 0
        self.stop_reason = ""
        self._last_sig: str | None = None
        self._asked: set[str] = set()  # every request made, to stop on one asked again
        self.warning = False  # stopped because the API misbehaved, not because it said "done"
        self.current: PageRequest | None = None

    def first(self) -> PageRequest:
        self.current = self._first()
        self._asked.add(_request_key(self.current))
        return self.current

    def _first(self) -> PageRequest:
        return PageRequest(self.path, dict(self.params), "1", 1)

    def is_repeat(self, records: list[Any]) -> bool:
        """True when this page repeats the previous one (its records must be dropped)."""
        sig = _signature(records)
        repeat = bool(records) and sig == self._last_sig
        self._last_sig = sig
        if repeat:
            self.stop_reason = "the page repeated the previous one"
        return repeat

    def next(
        self, body: Any, response: httpx.Response | None, records: list[Any]
    ) -> PageRequest | None:
        """The request after the current page, or None (with `stop_reason`)."""
        self.pages += 1
        c = self.cfg
        if self.stop_reason:
            return None
        if not records and c.stop_on_empty:
            self.stop_reason = "empty page"
            return None
        if c.has_more_path is not None and not get_path(body, c.has_more_path):
            self.stop_reason = f"{c.has_more_path} is false"
            return None
        nxt = self._next(body, response, records)
        if nxt is None:
            return None
        key = _request_key(nxt)
        if key in self._asked:
            self.warning = True
            self.stop_reason = (
                f"the API asked for a page already read again ({nxt.label[:200]}): its cursor "
                "or next link does not advance, so paging stopped there"
            )
            return None
        if self.pages >= c.max_pages:
            self.warning = True
            self.stop_reason = f"stopped at the max_pages guard ({c.max_pages} pages)"
            return None
        self._asked.add(key)
        nxt.number = self.pages + 1
        self.current = nxt
        return nxt

    def _next(self, body: Any, response: Any, records: list[Any]) -> PageRequest | None:
        self.stop_reason = "single page"
        return None

    def rest(self, body: Any) -> list[PageRequest] | None:
        """All remaining requests when the first page tells how many there are (else None)."""
        return None


class PageNumberPaginator(Paginator):
    cfg: PageNumber

    def _first(self) -> PageRequest:
        p = self.cfg.base_page
        return PageRequest(self.path, {**self.params, self.cfg.page_param: p}, str(p), 1)

    def _total(self, body: Any) -> int | None:
        if not self.cfg.total_path:
            return None
        try:
            return int(get_path(body, self.cfg.total_path))
        except (TypeError, ValueError):
            return None

    def _next(self, body: Any, response: Any, records: list[Any]) -> PageRequest | None:
        page = self.cfg.base_page + self.pages  # pages already read
        total = self._total(body)
        if total is not None and page - self.cfg.base_page >= total:
            self.stop_reason = f"last page ({total} pages)"
            return None
        return PageRequest(self.path, {**self.params, self.cfg.page_param: page}, str(page))

    def rest(self, body: Any) -> list[PageRequest] | None:
        total = self._total(body)
        if total is None:
            return None
        total = min(total, self.cfg.max_pages)
        b = self.cfg.base_page
        return [
            PageRequest(self.path, {**self.params, self.cfg.page_param: b + i}, str(b + i), i + 1)
            for i in range(1, total)
        ]


class OffsetPaginator(Paginator):
    cfg: Offset

    def _req(self, offset: int, number: int = 1) -> PageRequest:
        c = self.cfg
        params = {**self.params, c.offset_param: offset, c.limit_param: c.limit}
        return PageRequest(self.path, params, str(offset), number)

    def _first(self) -> PageRequest:
        return self._req(0)

    def _total(self, body: Any) -> int | None:
        if not self.cfg.total_path:
            return None
        try:
            return int(get_path(body, self.cfg.total_path))
        except (TypeError, ValueError):
            return None

    def _next(self, body: Any, response: Any, records: list[Any]) -> PageRequest | None:
        offset = self.pages * self.cfg.limit
        total = self._total(body)
        if total is not None and offset >= total:
            self.stop_reason = f"all {total} records read"
            return None
        if total is None and len(records) < self.cfg.limit:
            self.stop_reason = "short page"
            return None
        return self._req(offset)

    def rest(self, body: Any) -> list[PageRequest] | None:
        total = self._total(body)
        if total is None:
            return None
        n = min(-(-total // self.cfg.limit), self.cfg.max_pages)
        return [self._req(i * self.cfg.limit, i + 1) for i in range(1, n)]


class CursorPaginator(Paginator):
    cfg: Cursor

    def _next(self, body: Any, response: Any, records: list[Any]) -> PageRequest | None:
        token = get_path(body, self.cfg.cursor_path)
        if token in (None, ""):
            self.stop_reason = f"no {self.cfg.cursor_path} in the response"
            return None
        return PageRequest(self.path, {**self.params, self.cfg.cursor_param: token}, str(token))


class JsonLinkPaginator(Paginator):
    cfg: JsonLink

    def _next(self, body: Any, response: Any, records: list[Any]) -> PageRequest | None:
        nxt = get_path(body, self.cfg.next_url_path)
        if not nxt or not isinstance(nxt, str):
            self.stop_reason = f"no {self.cfg.next_url_path} in the response"
            return None
        if response is not None:
            nxt = urljoin(str(response.url), nxt)
        return PageRequest(nxt, {}, nxt)


class HeaderLinkPaginator(Paginator):
    cfg: HeaderLink

    def _next(self, body: Any, response: Any, records: list[Any]) -> PageRequest | None:
        link = response.links.get(self.cfg.rel) if response is not None else None
        if not link or not link.get("url"):
            self.stop_reason = f'no Link rel="{self.cfg.rel}" header'
            return None
        nxt = urljoin(str(response.url), link["url"])
        return PageRequest(nxt, {}, nxt)


_KINDS: dict[type, type[Paginator]] = {
    SinglePage: Paginator,
    PageNumber: PageNumberPaginator,
    Offset: OffsetPaginator,
    Cursor: CursorPaginator,
    JsonLink: JsonLinkPaginator,
    HeaderLink: HeaderLinkPaginator,
}


def make_paginator(cfg: PaginatorConfig, path: str, params: dict[str, Any]) -> Paginator:
    return _KINDS[type(cfg)](cfg, path, params)

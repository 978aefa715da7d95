"""json-server for local trials: v1 (`?_page=&_per_page=`, envelope {first, prev, next, last,
pages, items, data}) and 0.17 (`?_page=&_limit=`, a bare array and a Link header)."""

from __future__ import annotations

from ..auth import Auth
from .base import Preset


def _none(c: dict[str, str]) -> Auth:
    return Auth()


V1 = Preset(
    name="json_server",
    title="json-server v1",
    base_url="http://localhost:3000",
    credentials=(),
    auth=_none,
    paginator={
        "type": "page_number",
        "page_param": "_page",
        "base_page": 1,
        "total_path": "pages",
    },  # fmt: skip
    data_selector="data",
    params={"_per_page": 50},
    test_path="/",  # v1 (1.0.0-beta.15) dropped /db; its home page lists the resources
)

V017 = Preset(
    name="json_server_0_17",
    title="json-server 0.17",
    base_url="http://localhost:3000",
    credentials=(),
    auth=_none,
    paginator={"type": "header_link"},
    data_selector=None,
    params={"_page": 1, "_limit": 50},
    test_path="/db",
)

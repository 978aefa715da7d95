"""Chargebee API v2: basic auth with the API key as user name, offset / next_offset paging,
records under `list`, each wrapped ({"customer": {...}}): the selector unwraps them
(`list[*].customer` for /customers). Writes are form-encoded, the answer wraps the record."""

from __future__ import annotations

from typing import Any

from .base import Cred, Preset, basic, entity, singular


def selector(path: str) -> str | None:
    name = singular(entity(path))
    return f"list[*].{name}" if name else "list"


def push_defaults(create: str, update: str | None) -> dict[str, Any]:
    name = singular(entity(create))
    out: dict[str, Any] = {"encoding": "form", "form_arrays": "index_last"}  # items[id][0]
    return {**out, "id_path": f"{name}.id"} if name else out


PRESET = Preset(
    name="chargebee",
    title="Chargebee",
    base_url="https://{site}.chargebee.com/api/v2",
    credentials=(
        Cred("site", False, "the site name (acme for acme.chargebee.com)"),
        Cred("api_key", True, "a full-access or read-only API key"),
    ),
    auth=basic("api_key", None),
    paginator={"type": "cursor", "cursor_path": "next_offset", "cursor_param": "offset"},
    data_selector=selector,
    params={"limit": 100},
    requests_per_second=2.5,  # 150 requests per minute on a live site
    concurrency=2,
    test_path="/customers?limit=1",
    docs="https://apidocs.chargebee.com/docs/api#pagination_and_filtering",
    push_defaults=push_defaults,
)

"""Autotask PSA REST: ApiIntegrationCode / UserName / Secret headers, POST {entity}/query with
a filter body, `items`, the next page at pageDetails.nextPageUrl."""

from __future__ import annotations

from typing import Any

from .base import Cred, HeaderAuth, Preset


def push_defaults(create: str, update: str | None) -> dict[str, Any]:
    """POST answers {"itemId": N}; PATCH /{Entity} is collection-level with the id in the body."""
    out: dict[str, Any] = {"id_path": "itemId"}
    if update and "{id}" not in update:
        out.update(id_field="id", id_type="integer")
    return out


PRESET = Preset(
    name="autotask",
    title="Autotask PSA REST",
    base_url="https://webservices{zone}.autotask.net/ATServicesRest/V1.0",
    credentials=(
        Cred("zone", False, "the number of your API zone (5 for webservices5.autotask.net)"),
        Cred("username", False, "the API-only user's user name"),
        Cred("secret", True, "the API user's secret"),
        Cred("integration_code", True, "the tracking identifier (ApiIntegrationCode)"),
    ),
    auth=lambda c: HeaderAuth(
        {
            "ApiIntegrationCode": c["integration_code"],
            "UserName": c["username"],
            "Secret": c["secret"],
        },
        [c["secret"], c["integration_code"]],
    ),  # fmt: skip
    paginator={"type": "json_link", "next_url_path": "pageDetails.nextPageUrl"},
    data_selector="items",
    method="POST",
    json_body={"MaxRecords": 500, "filter": [{"op": "gte", "field": "id", "value": 0}]},
    requests_per_second=2.5,  # 10,000 requests per hour per database
    concurrency=3,  # three threads per object per integration
    test_path="/Companies/entityInformation",
    push_defaults=push_defaults,
    docs="https://autotask.net/help/developerhelp/content/apis/REST/API_Calls/"
    "REST_Advanced_Query_Features.htm",
)

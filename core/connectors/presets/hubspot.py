"""HubSpot CRM v3: bearer private-app token, `after` cursor at paging.next.after, `results`,
X-HubSpot-RateLimit-* headers (per 10-second interval, per second and per day)."""

from __future__ import annotations

from collections.abc import Mapping

from .base import Cred, Preset, bearer, fraction


def headroom(headers: Mapping[str, str]) -> float | None:
    pairs = (("remaining", "max"), ("secondly-remaining", "secondly"),
             ("daily-remaining", "daily"))  # fmt: skip
    shares = [
        fraction(headers.get(f"x-hubspot-ratelimit-{r}"), headers.get(f"x-hubspot-ratelimit-{m}"))
        for r, m in pairs
    ]
    known = [s for s in shares if s is not None]
    return min(known) if known else None


PRESET = Preset(
    name="hubspot",
    title="HubSpot CRM v3",
    base_url="https://api.hubapi.com",
    credentials=(Cred("token", True, "a private app access token"),),
    auth=bearer("token"),
    paginator={"type": "cursor", "cursor_path": "paging.next.after", "cursor_param": "after"},
    data_selector="results",
    params={"limit": 100},
    requests_per_second=9,  # private apps: 100 requests per 10 seconds
    concurrency=4,
    headroom=headroom,
    test_path="/crm/v3/objects/contacts?limit=1",
    docs="https://developers.hubspot.com/docs/api/usage-details",
    batch_limit=100,  # batch create / update / upsert take at most 100 inputs
)

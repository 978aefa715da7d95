"""What a preset is: the auth, base URL, paging, record selector and rate-limit headers of one
real API, so that `preset = "hubspot"` plus credentials is all a connector needs.

Credentials are a connector's `credentials = { ... }` table. Secret ones must be `env:NAME`
references (resolved at run time only); settings such as a shop or a site name are plain text
and may be used in the base URL template.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..auth import Auth, Basic, Bearer


@dataclass(frozen=True)
class Cred:
    key: str
    secret: bool
    help: str
    required: bool = True


def fraction(remaining: str | None, limit: str | None) -> float | None:
    """remaining / limit as 0..1, or None when either is missing or not a number."""
    try:
        r, lim = float(remaining or ""), float(limit or "")
    except ValueError:
        return None
    if lim <= 0:
        return None
    return max(0.0, min(1.0, r / lim))


def generic_headroom(headers: Mapping[str, str]) -> float | None:
    """The common rate-limit headers: X-RateLimit-Remaining / -Limit and the IETF draft's
    RateLimit-Remaining / -Limit."""
    for prefix in ("x-ratelimit-", "ratelimit-"):
        got = fraction(headers.get(prefix + "remaining"), headers.get(prefix + "limit"))
        if got is not None:
            return got
    return None


class HeaderAuth(Auth):
    """Several headers, some of them secret (Autotask's ApiIntegrationCode / UserName / Secret)."""

    def __init__(self, headers: dict[str, str], secrets: list[str]) -> None:
        super().__init__()
        self.headers.update(headers)
        self.secrets.extend(s for s in secrets if s)


def bearer(token_key: str) -> Callable[[dict[str, str]], Auth]:
    return lambda c: Bearer(c[token_key])


def basic(user_key: str, password_key: str | None) -> Callable[[dict[str, str]], Auth]:
    def make(c: dict[str, str]) -> Auth:
        auth = Basic(c[user_key], c[password_key] if password_key else "")
        if not password_key:  # the user name is the secret (Chargebee's API key)
            auth.secrets.append(c[user_key])
        return auth

    return make


def entity(path: str) -> str:
    """The last path segment without an extension or an {id}: '/Contacts/{id}' -> 'Contacts'."""
    parts = [p for p in path.split("?", 1)[0].split("/") if p and not p.startswith("{")]
    return parts[-1].removesuffix(".json") if parts else ""


def singular(name: str) -> str:
    """'customers' -> 'customer', 'draft_orders' -> 'draft_order', 'addresses' -> 'address'."""
    if name.endswith("sses") or name.endswith("xes"):
        return name[:-2]
    return name[:-1] if name.endswith("s") else name


def basic_token(user: str, password: str) -> str:
    return base64.b64encode(f"{user}:{password}".encode()).decode()


@dataclass(frozen=True)
class Preset:
    name: str
    title: str
    base_url: str  # may hold {setting} placeholders filled from plain credentials
    credentials: tuple[Cred, ...]
    auth: Callable[[dict[str, str]], Auth]
    paginator: dict[str, Any]
    data_selector: str | None | Callable[[str], str | None] = None
    params: dict[str, Any] = field(default_factory=dict)
    method: str = "GET"
    json_body: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)  # static, non-secret
    requests_per_second: float | None = None
    concurrency: int = 4
    headroom: Callable[[Mapping[str, str]], float | None] = generic_headroom
    test_path: str = "/"  # one cheap authenticated GET for `syncdeck connectors test`
    docs: str = ""
    batch_limit: int | None = None  # the most records one batch call may carry
    # push settings a stream writing to this API gets unless it sets them: (create path,
    # update endpoint or None) -> {push key: value}
    push_defaults: Callable[[str, str | None], dict[str, Any]] | None = None

    def selector_for(self, path: str) -> str | None:
        if callable(self.data_selector):
            return self.data_selector(path)
        return self.data_selector

    def needed(self, has_base_url: bool) -> list[Cred]:
        """The credentials that must be given (URL settings only when base_url is not set)."""
        in_url = {c.key for c in self.credentials if "{" + c.key + "}" in self.base_url}
        return [
            c for c in self.credentials if c.required and not (has_base_url and c.key in in_url)
        ]

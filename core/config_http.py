"""URL and header checks the config models share: what the validator accepts, httpx can send."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import httpx

_HEADER_NAME = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")


def http_url(v: str) -> str:
    """An http(s) URL the engine can request: checked here with httpx's own parser, so a URL the
    validator accepts never fails every run later. Raises ValueError in words."""
    if any(ch.isspace() for ch in v):
        raise ValueError(f"'{v.strip()}' holds a space; remove it or write it as %20")
    if any(ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F for ch in v):
        raise ValueError("the URL holds a control character; remove it")
    if not re.match(r"^https?://", v, re.IGNORECASE):
        raise ValueError("the URL must start with http:// or https://")
    try:
        parts = urlsplit(v)
    except ValueError as exc:
        raise ValueError(f"'{v}' is not a valid URL ({exc})") from None
    try:
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        raise ValueError(f"the port in '{v}' is not a number from 1 to 65535") from None
    if not parts.hostname:
        raise ValueError(f"'{v}' has no host; write it as https://api.example.com")
    try:
        httpx.URL(v)
    except httpx.InvalidURL as exc:
        raise ValueError(f"'{v}' is not a valid URL ({exc})") from None
    return v


def http_headers(v: dict[str, str]) -> dict[str, str]:
    """Header names and values httpx can send (ASCII, one line). Raises ValueError in words."""
    for name, value in v.items():
        if not _HEADER_NAME.match(name):
            raise ValueError(f"'{name}' is not a header name (letters, digits and - only)")
        if not value.isascii() or any(
            ord(ch) < 0x20 and ch != "\t" or ch == "\x7f" for ch in value
        ):
            raise ValueError(f"the value of header {name} must be plain ASCII on one line")
    return v

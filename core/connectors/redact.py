"""Redaction: secrets are replaced by value everywhere before anything is stored or shown.

Like dlt's sanitize_url, credentials in a URL's user info and the values of query parameters
with secret-sounding names are masked too, even when their value is not a known secret.
"""

from __future__ import annotations

import base64
import re
from typing import Any
from urllib.parse import parse_qsl, quote, quote_plus, urlencode, urlsplit, urlunsplit

MASK = "***"
_SECRET_NAME = re.compile(
    r"(^|[-_])(token|secret|password|passwd|pwd|api[-_]?key|apikey|key|auth|authorization|"
    r"signature|sig|session|cookie|credential|access[-_]?token|refresh[-_]?token|client[-_]?secret"
    r"|integrationcode)($|[-_])",
    re.IGNORECASE,
)
_SECRET_HEADERS = {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"}


def secret_name(name: str) -> bool:
    return name.lower() in _SECRET_HEADERS or bool(_SECRET_NAME.search(name))


class Redactor:
    """Knows the secret values of one run; masks them in text, URLs, params, headers, bodies."""

    def __init__(self, secrets: list[str] | None = None) -> None:
        self._values: list[str] = []
        self._pattern: re.Pattern[str] | None = None
        for s in secrets or []:
            self.add(s)

    def add(self, secret: str | None) -> None:
        if not secret or len(secret) < 3:
            return
        forms = {secret, quote(secret, safe=""), quote_plus(secret)}
        self._values = sorted(set(self._values) | forms, key=len, reverse=True)
        self._pattern = re.compile("|".join(re.escape(v) for v in self._values))

    def add_basic(self, username: str, password: str) -> None:
        token = base64.b64encode(f"{username}:{password}".encode()).decode()
        self.add(token)
        self.add(password)

    def text(self, value: str | None) -> str | None:
        if not value or self._pattern is None:
            return value
        return self._pattern.sub(MASK, value)

    def url(self, url: str) -> str:
        parts = urlsplit(url)
        netloc = parts.netloc
        if "@" in netloc:
            netloc = f"{MASK}@{netloc.rsplit('@', 1)[1]}"
        query = parts.query
        if query:
            pairs = parse_qsl(query, keep_blank_values=True)
            query = urlencode([(k, MASK if secret_name(k) else v) for k, v in pairs], safe="*")
        return self.text(urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment)))

    def params(self, params: dict[str, Any] | None) -> dict[str, Any]:
        if not params:
            return {}
        out: dict[str, Any] = {}
        for k, v in params.items():
            if secret_name(str(k)):
                out[k] = MASK
            elif isinstance(v, str):
                out[k] = self.text(v)
            else:
                out[k] = v
        return out

    def headers(self, headers: Any) -> dict[str, str]:
        if not headers:
            return {}
        items = headers.items() if hasattr(headers, "items") else headers
        return {
            str(k): MASK if secret_name(str(k)) else (self.text(str(v)) or "") for k, v in items
        }

"""Redaction: secrets are replaced by value everywhere before anything is stored or shown.

Like dlt's sanitize_url, credentials in a URL's user info and the values of query parameters
with secret-sounding names are masked too, even when their value is not a known secret.
"""

from __future__ import annotations

import base64
import re
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

MASK = "***"
_SECRET_NAME = re.compile(
    r"(^|[-_])(token|secret|password|passwd|pwd|api[-_]?key|apikey|key|auth|authorization|"
    r"signature|sig|session|cookie|credential|access[-_]?token|refresh[-_]?token|client[-_]?secret"
    r"|integrationcode)($|[-_])",
    re.IGNORECASE,
)
_SECRET_HEADERS = {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"}


@lru_cache(maxsize=4096)  # header and parameter names repeat on every call
def secret_name(name: str) -> bool:
    return name.lower() in _SECRET_HEADERS or bool(_SECRET_NAME.search(name))


def _char_forms(ch: str) -> str:
    """A regex matching one character of a secret in any encoding it may come back in: as is,
    percent-encoded (either hex case; '+' for a space), or JSON-escaped (\\uXXXX, \\" \\/ ...)."""
    forms = [re.escape(ch), "".join(_hex("%", f"{b:02X}") for b in ch.encode("utf-8"))]
    units = ch.encode("utf-16-be")  # JSON: one \\uXXXX, or a surrogate pair beyond the BMP
    forms.append(
        "".join(_hex(r"\\u", units[i : i + 2].hex().upper()) for i in range(0, len(units), 2))
    )
    short = {" ": "+", '"': '\\"', "\\": "\\\\", "/": "\\/", "\n": "\\n", "\t": "\\t",
             "\r": "\\r", "\b": "\\b", "\f": "\\f"}.get(ch)  # fmt: skip
    if short:
        forms.append(re.escape(short))
    return "(?:" + "|".join(forms) + ")"


def _hex(prefix: str, digits: str) -> str:
    """`prefix` then `digits` in either case: %2F or %2f, \\u00FC or \\u00fc."""
    return prefix + "".join(f"[{c}{c.lower()}]" if c.isalpha() else c for c in digits)


def secret_pattern(secret: str) -> str:
    """A regex matching `secret` raw, URL-encoded (%20 or +, any hex case), JSON-escaped, or
    base64-encoded whole."""
    each = "".join(_char_forms(ch) for ch in secret)
    b64 = base64.b64encode(secret.encode()).decode()
    return each + "|" + re.escape(b64)


class Redactor:
    """Knows the secret values of one run; masks them in text, URLs, params, headers, bodies,
    in every encoding they may come back in (see `secret_pattern`)."""

    def __init__(self, secrets: list[str] | None = None) -> None:
        self._values: list[str] = []
        self._pattern: re.Pattern[str] | None = None  # every encoding (slower: ~9 MB/s)
        self._plain: re.Pattern[str] | None = None  # as is and base64 only (~100 MB/s)
        self._escapes = "%\\"  # a text without these can hold no other encoding
        for s in secrets or []:
            self.add(s)

    def add(self, secret: str | None) -> None:
        if not secret or len(secret) < 3 or secret in self._values:
            return
        self._values = sorted({*self._values, secret}, key=len, reverse=True)
        self._pattern = re.compile("|".join(secret_pattern(v) for v in self._values))
        plain = {*self._values, *(base64.b64encode(v.encode()).decode() for v in self._values)}
        self._plain = re.compile("|".join(map(re.escape, sorted(plain, key=len, reverse=True))))
        if " " in secret:
            self._escapes = "%\\+"  # '+' stands for a space in a form or a query

    def add_basic(self, username: str, password: str) -> None:
        """HTTP basic credentials: the password and the base64 of `username:password`."""
        token = base64.b64encode(f"{username}:{password}".encode()).decode()
        self.add(token)
        self.add(password)

    @property
    def reach(self) -> int:
        """The longest text a secret can take in any of its encodings."""
        return 12 * len(self._values[0]) + 12 if self._values else 0

    @property
    def empty(self) -> bool:
        return self._pattern is None

    def data(self, value: Any) -> Any:
        """A JSON-like value (a pulled record) with its secrets masked in every string."""
        if self._pattern is None:
            return value
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {k: self.data(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.data(v) for v in value]
        return value

    def text(self, value: str | None) -> str | None:
        if not value or self._pattern is None or self._plain is None:
            return value
        if not any(ch in value for ch in self._escapes):
            return self._plain.sub(MASK, value)
        if len(value) < 4096:
            return self._pattern.sub(MASK, value)
        return self._plain.sub(MASK, self._near_escapes(value))

    def _near_escapes(self, value: str) -> str:
        """The every-encoding pattern applied only around '%', backslash (and '+'): an encoded
        secret holds one of them and is at most 12 characters per secret character long, so
        it lies inside such a window; the literal pass over the whole text does the rest."""
        assert self._pattern is not None
        reach = self.reach
        spans: list[list[int]] = []
        for m in re.finditer("[" + re.escape(self._escapes) + "]", value):
            lo, hi = max(0, m.start() - reach), m.end() + reach
            if spans and lo <= spans[-1][1]:
                spans[-1][1] = hi
            else:
                spans.append([lo, hi])
        out, at = [], 0
        for lo, hi in spans:
            out += [value[at:lo], self._pattern.sub(MASK, value[lo:hi])]
            at = hi
        out.append(value[at:])
        return "".join(out)

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

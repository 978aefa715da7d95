"""Endpoint templates ('PATCH /accounts/{id}', 'GET /accounts?source_id={key}'): every value put
in one is percent-encoded as a whole path segment or query value, so an id such as
`../../_admin/wipe` or `q?force=true&all=1` stays one id and cannot steer the request elsewhere.
A value that cannot be put in a URL (empty, or with a control character) is refused in words;
the caller fails that one record, never the run.
"""

from __future__ import annotations

import re
from urllib.parse import quote

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


class BadValue(ValueError):
    """A value that cannot be put in a URL; the message says which and why."""


def encode_value(name: str, value: str) -> str:
    """`value` as one percent-encoded path segment or query value."""
    if value == "":
        raise BadValue(f"the {name} is empty, so it cannot be put in the URL")
    if _CONTROL.search(value):
        raise BadValue(
            f"the {name} {value!r} contains a control character, so it cannot be put in the URL"
        )
    encoded = quote(value, safe="")
    if set(encoded) == {"."}:  # '.' and '..' are dot segments: the URL would climb
        encoded = encoded.replace(".", "%2E")
    return encoded


def fill(template: str, values: dict[str, str], names: dict[str, str] | None = None) -> str:
    """The template with each {placeholder} it holds replaced by its encoded value; unknown
    placeholders are left as written. `names` words a placeholder for a message ('source id')."""
    names = names or {}

    def one(m: re.Match[str]) -> str:
        key = m.group(1)
        if key not in values:
            return m.group(0)
        return encode_value(names.get(key, key), values[key])

    return _PLACEHOLDER.sub(one, template)

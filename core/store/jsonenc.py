"""JSON for the hot path (params, headers, configs), shared by both backends."""

from __future__ import annotations

import json
from typing import Any

# One encoder for the hot path: json.dumps with options builds a new encoder on every call, and
# JSONEncoder.encode still builds a C iterencoder per call. The C iterencoder built once (no
# circular-reference markers: params and headers are plain dicts) is ~3x faster per dict.
_ENCODE = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, default=str).encode
_C_ENCODER = getattr(json.encoder, "c_make_encoder", None)
_ITERENCODE = (
    _C_ENCODER(None, str, json.encoder.encode_basestring, None, ":", ",", False, False, True)
    if _C_ENCODER is not None
    else None
)


def _dumps(value: Any) -> str:
    if not value:
        return "{}"
    if _ITERENCODE is not None and type(value) is dict:
        return "".join(_ITERENCODE(value, 0))
    return _ENCODE(value)


# Request params and headers repeat from call to call (the engine builds them from one config);
# their JSON is remembered by content. Response headers carry per-response values: not cached.
_SEEN: dict[tuple, str] = {}


def _dumps_repeated(value: Any) -> str:
    if not value:
        return "{}"
    try:
        key = tuple(value.items())
        found = _SEEN.get(key)
    except (AttributeError, TypeError):  # not a dict, or unhashable values (lists)
        return _dumps(value)
    if found is None:
        found = _dumps(value)
        # Only all-str entries: a str equals no other type, so a hit is the same JSON (1, 1.0
        # and True are equal as keys but encode differently).
        if all(type(k) is str and type(v) is str for k, v in key):
            if len(_SEEN) >= 1024:
                _SEEN.clear()
            _SEEN[key] = found
    return found

"""Request bodies for a destination: a mapped payload as the API wants it.

- envelopes: {"Contacts": [payload]} (Xero), {"Customer": payload};
- form encoding: nested tables flattened as Chargebee and Stripe read them (a[b][0]=v);
- JSON Patch (RFC 6902, built with the `jsonpatch` library): the changed fields as operations;
- the destination id put into an update body (Autotask's collection-level PATCH, QuickBooks' Id).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import jsonpatch
import jsonpointer

from ..config_push import BodyEnvelope, Push
from .paths import MISSING, get_path, set_path


class BodyError(Exception):
    """The body cannot be built for this record; the message says why, in words."""


@dataclass(slots=True)
class Body:
    json: Any = None
    data: list[tuple[str, str]] | None = None  # form fields
    headers: dict[str, str] = field(default_factory=dict)


def wrap(payloads: list[Any], body: BodyEnvelope | None, single: bool = True) -> Any:
    """One payload (or a batch of them) in its envelope."""
    if body is None:
        return payloads[0] if single else payloads
    inner: Any = payloads if (body.as_list or not single) else payloads[0]
    out: dict[str, Any] = {}
    set_path(out, body.wrap, inner)
    return out


def _scalar(v: Any) -> str:
    if v is True:
        return "true"
    if v is False:
        return "false"
    return str(v)


def form_fields(payload: Any, prefix: str = "", index_last: bool = False) -> list[tuple[str, str]]:
    """{"name": "A", "billing_address": {"city": "B"}, "tags": ["x"]} ->
    [("name", "A"), ("billing_address[city]", "B"), ("tags[0]", "x")]; None is left out.

    A list of tables is `items[0][id]` (Rails, PHP, Stripe) or, with index_last, Chargebee's
    `items[id][0]`."""
    out: list[tuple[str, str]] = []
    items = payload.items() if isinstance(payload, dict) else enumerate(payload)
    for k, v in items:
        key = f"{prefix}[{k}]" if prefix else str(k)
        if index_last and isinstance(v, list) and any(isinstance(x, dict) for x in v):
            for i, row in enumerate(v):
                for field_name, x in row.items() if isinstance(row, dict) else []:
                    sub = f"{key}[{field_name}][{i}]"
                    if isinstance(x, dict | list):
                        out.extend(form_fields(x, sub, index_last))
                    elif x is not None:
                        out.append((sub, _scalar(x)))
        elif isinstance(v, dict | list):
            out.extend(form_fields(v, key, index_last))
        elif v is not None:
            out.append((key, _scalar(v)))
    return out


def leaves(payload: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """('/company/name', value) for every leaf of a payload, as JSON Pointers."""
    if isinstance(payload, dict) and payload:
        items: Any = payload.items()
    elif isinstance(payload, list) and payload:
        items = enumerate(payload)
    else:
        return [(prefix, payload)]
    out: list[tuple[str, Any]] = []
    for k, v in items:
        token = str(k).replace("~", "~0").replace("/", "~1")
        out.extend(leaves(v, f"{prefix}/{token}"))
    return out


def json_patch(payload: dict[str, Any], current: Any = None) -> list[dict[str, Any]]:
    """RFC 6902 operations that make the destination record hold the payload.

    Without the current record: one `replace` per mapped field (every field may have changed).
    With it (push.read): only the fields whose value differs, `add` for a field the record lacks
    under a table it has; a field under a table the record lacks cannot be patched (BodyError).
    """
    if current is None:
        return [{"op": "replace", "path": p, "value": v} for p, v in leaves(payload)]
    if not isinstance(current, dict):
        raise BodyError("the destination's record is not an object, so it cannot be patched")
    ops: list[dict[str, Any]] = []
    for pointer, value in leaves(payload):
        ptr = jsonpointer.JsonPointer(pointer)
        try:
            parent = ptr.to_last(current)[0] if len(ptr.parts) > 1 else current
        except jsonpointer.JsonPointerException:
            parent = None
        if parent is None or not isinstance(parent, dict | list):
            where = "/".join(ptr.parts[:-1])
            raise BodyError(
                f"cannot patch {pointer}: the destination's record has no {where}; map the whole "
                f"{ptr.parts[0]} object or create it first"
            )
        old = ptr.resolve(current, MISSING)
        if old is MISSING:
            ops.append({"op": "add", "path": pointer, "value": value})
        elif old != value:
            ops.append({"op": "replace", "path": pointer, "value": value})
    try:  # the library checks the patch applies to the record as it is
        jsonpatch.apply_patch(current, ops)
    except (jsonpatch.JsonPatchException, jsonpointer.JsonPointerException) as exc:
        raise BodyError(f"the JSON Patch does not apply to the record there: {exc}") from None
    return ops


def build(
    push: Push,
    payload: dict[str, Any],
    *,
    update: bool,
    internal_id: str | None = None,
    current: Any = None,
    token: Any = None,
) -> Body:
    """The body of one create or update. Raises BodyError in words."""
    out = Body()
    rd = push.read
    if update and rd is not None and rd.etag and token is not None:
        out.headers["If-Match"] = str(token)
    if update and push.update_as == "json_patch":
        out.json = json_patch(payload, current)
        return out
    payload = dict(payload)
    if update and push.id_field and internal_id is not None:
        set_path(payload, push.id_field, typed_id(internal_id, push.id_type))
    if update and rd is not None and rd.token_path and token is not None:
        set_path(payload, rd.token_field or rd.token_path.rsplit(".", 1)[-1], token)
    if push.encoding == "form":
        out.data = form_fields(payload, index_last=push.form_arrays == "index_last")
    else:
        out.json = wrap([payload], push.body)
    return out


def typed_id(internal_id: str, kind: str) -> Any:
    """Ids are kept as text; an API whose ids are numbers (Autotask) wants a number back."""
    if kind == "integer":
        try:
            return int(internal_id)
        except ValueError:
            raise BodyError(f"the destination id '{internal_id}' is not a number") from None
    return internal_id


def record_of(answer: Any, push: Push) -> Any:
    """The record inside a read answer (read.record_path), for update_as = "json_patch"."""
    rd = push.read
    return get_path(answer, rd.record_path) if rd is not None and rd.record_path else answer

"""Fields that take the destination id another stream of the service gave a record (`id_of`):
the mapper leaves an IdRef, and before a page is pushed each one is replaced by the id from the
id map (one query per referenced stream). A record whose referenced record has no destination id
yet fails with that reason, so an incremental run pulls it again once the other one is there."""

from __future__ import annotations

from typing import Any

from ..mapping.bodies import BodyError, typed_id
from ..mapping.fields import IdRef
from ..store import Store


def refs_in(payload: Any, out: list[IdRef]) -> list[IdRef]:
    if isinstance(payload, IdRef):
        out.append(payload)
    elif isinstance(payload, dict):
        for v in payload.values():
            refs_in(v, out)
    elif isinstance(payload, list):
        for v in payload:
            refs_in(v, out)
    return out


def _replace(payload: Any, ids: dict[tuple[str, str], Any]) -> Any:
    if isinstance(payload, IdRef):
        return ids[(payload.stream, payload.external_id)]
    if isinstance(payload, dict):
        return {k: _replace(v, ids) for k, v in payload.items()}
    if isinstance(payload, list):
        return [_replace(v, ids) for v in payload]
    return payload


async def resolve(
    store: Store, service_id: int, payloads: list[dict[str, Any] | None]
) -> list[tuple[dict[str, Any] | None, str]]:
    """(payload with ids, '') or (None, reason) for each payload, in order."""
    wanted: dict[str, set[str]] = {}
    found = [refs_in(p, []) if p is not None else [] for p in payloads]
    for refs in found:
        for r in refs:
            wanted.setdefault(r.stream, set()).add(r.external_id)
    known: dict[tuple[str, str], str] = {}
    for stream, ext_ids in wanted.items():
        got = await store.get_id_map(service_id, stream, sorted(ext_ids))
        for ext, (internal, _hash, pending) in got.items():
            if internal and not pending:
                known[(stream, ext)] = internal
    out: list[tuple[dict[str, Any] | None, str]] = []
    for payload, refs in zip(payloads, found, strict=True):
        if not refs:
            out.append((payload, ""))
            continue
        missing = [r for r in refs if (r.stream, r.external_id) not in known]
        if missing:
            r = missing[0]
            out.append(
                (
                    None,
                    f"its {r.stream} record {r.external_id} has no id at the destination "
                    f"yet (stream {r.stream} creates it); it is pushed once that exists",
                )
            )
            continue
        try:
            ids = {(r.stream, r.external_id): typed_id(known[(r.stream, r.external_id)], r.kind)
                   for r in refs}  # fmt: skip
        except BodyError as exc:
            out.append((None, str(exc)))
            continue
        out.append((_replace(payload, ids), ""))
    return out

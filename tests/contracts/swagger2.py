"""Read a Swagger 2.0 document (Autotask serves one) as OpenAPI 3.0 for openapi-core, which
reads only 3.x. The conversion is mechanical and keeps the vendor's schemas as they are:
body parameters become request bodies (one per type in `consumes`), the other parameters get
their type under `schema`, definitions become components. A `$ref` to a definition the
document does not hold is read as "any value" and listed in `x-open-refs`, so a test can pin
exactly which parts of a request the vendor's document leaves unchecked."""

from __future__ import annotations

from typing import Any

_DEF = "#/definitions/"
_PARAM_KEYS = ("type", "format", "items", "enum", "default", "minimum", "maximum", "pattern")


def _rewrite(node: Any, known: set[str], open_refs: set[str]) -> Any:
    if isinstance(node, list):
        return [_rewrite(v, known, open_refs) for v in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith(_DEF):
        name = ref[len(_DEF) :]
        if name not in known:
            open_refs.add(name)
            return {}
        return {"$ref": "#/components/schemas/" + name}
    return {k: _rewrite(v, known, open_refs) for k, v in node.items()}


def _parameter(p: dict[str, Any]) -> dict[str, Any]:
    out = {k: p[k] for k in ("name", "in", "description", "required") if k in p}
    out["schema"] = {k: p[k] for k in _PARAM_KEYS if k in p}
    return out


def _operation(op: dict[str, Any], consumes: list[str]) -> dict[str, Any]:
    dropped = ("parameters", "responses", "consumes", "produces")
    out = {k: v for k, v in op.items() if k not in dropped}
    params = op.get("parameters", [])
    out["parameters"] = [_parameter(p) for p in params if p.get("in") not in ("body", "formData")]
    for p in params:
        if p.get("in") == "body":
            types = op.get("consumes") or consumes or ["application/json"]
            out["requestBody"] = {
                "required": bool(p.get("required")),
                "content": {t: {"schema": p["schema"]} for t in types},
            }
    responses = op.get("responses", {})
    out["responses"] = {
        code: {"description": r.get("description", "")} for code, r in responses.items()
    }
    return out


def to_openapi3(doc: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI 3.0 reading of a Swagger 2.0 `doc` (see the module's note)."""
    consumes = doc.get("consumes", [])
    paths = {
        path: {
            method: _operation(op, consumes)
            for method, op in item.items()
            if method in ("get", "put", "post", "delete", "patch", "head", "options")
        }
        for path, item in doc.get("paths", {}).items()
    }
    definitions = doc.get("definitions", {})
    open_refs: set[str] = set()
    known = set(definitions)
    return {
        "openapi": "3.0.3",
        "info": doc.get("info", {}),
        "x-base-path": doc.get("basePath", ""),
        "paths": _rewrite(paths, known, open_refs),
        "components": {"schemas": _rewrite(definitions, known, open_refs)},
        "x-open-refs": sorted(open_refs),
    }

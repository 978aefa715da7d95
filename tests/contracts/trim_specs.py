"""Trim a vendor's OpenAPI document to the operations syncdeck's presets use (run by hand).

`python tests/contracts/trim_specs.py SOURCE OUT 'GET /Contacts' 'PUT /Contacts' ...` keeps those
operations, the path-level parameters, and every component they reference (transitively), and
writes compact JSON. The result is data: the vendor's text, cut, never edited by hand. The one
rewrite: `--alias 0-3=deals` renames a path segment (HubSpot's spec spells the deals object
type by its id, 0-3; the API takes both, the presets write `deals`).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import yaml


def _refs(node: Any, out: set[str]) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/"):
            out.add(ref)
        for v in node.values():
            _refs(v, out)
    elif isinstance(node, list):
        for v in node:
            _refs(v, out)


def _resolve(spec: dict[str, Any], ref: str) -> Any:
    node: Any = spec
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def trim(spec: dict[str, Any], operations: list[str]) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for op in operations:
        method, path = op.split(None, 1)
        item = spec["paths"][path]
        kept = paths.setdefault(path, {k: v for k, v in item.items() if k == "parameters"})
        kept[method.lower()] = item[method.lower()]
    out = {k: v for k, v in spec.items() if k not in ("paths", "components", "tags", "x-tagGroups")}
    out["paths"] = paths
    seen: set[str] = set()
    todo: set[str] = set()
    _refs(paths, todo)
    for key in ("securitySchemes",):
        if key in spec.get("components", {}):
            out.setdefault("components", {})[key] = spec["components"][key]
    while todo:
        ref = todo.pop()
        if ref in seen:
            continue
        seen.add(ref)
        node = _resolve(spec, ref)
        _, _, kind, name = ref.split("/", 3)
        out.setdefault("components", {}).setdefault(kind, {})[name] = node
        more: set[str] = set()
        _refs(node, more)
        todo |= more - seen
    return out


def main(argv: list[str]) -> None:
    aliases = [a.removeprefix("--alias=").split("=", 1) for a in argv if a.startswith("--alias=")]
    argv = [a for a in argv if not a.startswith("--alias=")]
    src, dst, *ops = argv
    text = Path(src).read_text(encoding="utf-8")
    spec = json.loads(text) if src.endswith(".json") else yaml.safe_load(text)
    for old, new in aliases:
        spec["paths"] = {k.replace(f"/{old}", f"/{new}"): v for k, v in spec["paths"].items()}
    Path(dst).write_text(json.dumps(trim(spec, ops), sort_keys=False, default=str) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])

"""The mapping grid's core: field rows with a preview of the last pulled record before and after
the transforms (core/mapping's transforms), field edits validated by ServiceConfig, value
mappings (lookups) with unmapped values seen in pulled records, bulk update and its undo."""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from .config import FieldSpec, ServiceConfig
from .errors import UserError
from .mapping.paths import get_path
from .mapping.transforms import TransformError, chain
from .models import MappingStatus, ValueMapping
from .store import Store
from .text import plural

# ---- transform chains as one line of text --------------------------------------------------


def chain_text(specs: list[Any]) -> str:
    """['trim', {'date': '%Y'}, {'replace': {'old': '-'}}] -> 'trim | date:%Y | replace {...}'."""
    out = []
    for spec in specs:
        if isinstance(spec, str):
            out.append(spec)
            continue
        ((name, opts),) = spec.items()
        if isinstance(opts, dict):
            inner = ", ".join(f"{k} = {json.dumps(v)}" for k, v in opts.items())
            out.append(f"{name} {{ {inner} }}")
        else:
            out.append(f"{name}:{opts}")
    return " | ".join(out)


def parse_chain(text: str) -> list[Any]:
    """The inverse of chain_text. Raises ValueError in words."""
    specs: list[Any] = []
    for raw in _split_top(text):
        item = raw.strip()
        if not item:
            continue
        brace = item.find("{")
        colon = item.find(":")
        if brace > 0 and (colon < 0 or brace < colon):
            name = item[:brace].strip()
            try:
                opts = tomllib.loads(f"x = {item[brace:]}")["x"]
            except tomllib.TOMLDecodeError:
                msg = f"'{item}': options are an inline table {{ key = \"value\" }}"
                raise ValueError(msg) from None
            specs.append({name: opts})
        elif colon > 0:
            specs.append({item[:colon].strip(): item[colon + 1 :]})
        else:
            specs.append(item)
    return specs


def _split_top(text: str) -> list[str]:
    parts, depth, cur = [], 0, ""
    for ch in text:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        if ch == "|" and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return parts


# ---- preview -------------------------------------------------------------------------------


@dataclass
class FieldRow:
    dest: str
    source: str
    transforms: str
    default: str
    required: bool
    lookup: str
    before: Any = None
    after: Any = None
    problem: str = ""


def source_text(spec: FieldSpec) -> str:
    if spec.from_ is None:
        return f"= {json.dumps(spec.value)}" if spec.value is not None else ""
    if isinstance(spec.from_, list):
        return " + ".join(spec.from_)
    return spec.from_


def preview(spec: FieldSpec, record: dict[str, Any] | None, lookups: dict[str, dict[str, str]]):
    """(value in the record, value after transforms / lookup / default, problem)."""
    if record is None:
        return None, None, "no pulled record yet"
    if spec.from_ is None:
        before: Any = spec.value
    elif isinstance(spec.from_, list):
        before = [get_path(record, p) for p in spec.from_]
    else:
        before = get_path(record, spec.from_)
    value = before
    try:
        fn = chain(spec.transforms)
        if fn is not None:
            value = fn(value)
    except (TransformError, ValueError) as exc:
        return before, None, str(exc)
    problem = ""
    if spec.lookup and value not in (None, "", []):
        table = lookups.get(spec.lookup, {})
        if str(value) in table:
            value = table[str(value)]
        else:
            problem = f"'{value}' unmapped in {spec.lookup}"
            value = None
    if value in (None, "", []) and spec.default is not None:
        value = spec.default
    if spec.required and value in (None, "", []):
        problem = problem or "required and empty: the record would be skipped"
    return before, value, problem


def field_rows(
    stream: Any, record: dict[str, Any] | None, lookups: dict[str, dict[str, str]]
) -> list[FieldRow]:
    rows = []
    for dest, spec in stream.fields.items():
        before, after, problem = preview(spec, record, lookups)
        rows.append(
            FieldRow(
                dest,
                source_text(spec),
                chain_text(spec.transforms),
                "" if spec.default is None else str(spec.default),
                spec.required,
                spec.lookup or "",
                before,
                after,
                problem,
            )  # fmt: skip
        )
    return rows


def paths_of(records: list[dict[str, Any]], limit: int = 500) -> list[str]:
    """Every dotted path seen in the records (nested tables; lists by their first item)."""
    seen: dict[str, None] = {}

    def walk(obj: Any, prefix: str) -> None:
        if len(seen) >= limit:
            return
        if isinstance(obj, dict):
            for k, v in obj.items():
                path = f"{prefix}.{k}" if prefix else str(k)
                seen.setdefault(path, None)
                walk(v, path)
        elif isinstance(obj, list) and obj:
            walk(obj[0], f"{prefix}.0")

    for r in records:
        walk(r, "")
    return sorted(seen)


# ---- the mapping of one service / stream ---------------------------------------------------


@dataclass
class MappingView:
    service: str
    service_id: int
    destination: str
    streams: list[str]
    stream: str
    rows: list[FieldRow]
    samples: list[dict[str, Any]]
    paths: list[str]
    lookups: list[str]
    lookup_tables: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def record(self) -> dict[str, Any] | None:
        return self.samples[0] if self.samples else None


def _service_cfg(data: dict[str, Any], name: str) -> ServiceConfig:
    try:
        return ServiceConfig.model_validate(data)
    except ValidationError as exc:
        raise UserError(
            f"The stored configuration of service {name} is not valid: {exc.errors()[0]['msg']}.",
            "Re-import it with `syncdeck config import FILE`.",
        ) from None


async def lookup_tables(store: Store, sid: int, cfg: ServiceConfig) -> dict[str, dict[str, str]]:
    tables = {k: dict(v) for k, v in cfg.lookups.items()}
    for name in tables:
        for vm in await store.list_value_mappings(sid, name, status="mapped"):
            if vm.destination_value is not None:
                tables[name][vm.source_value] = vm.destination_value
    return tables


async def mapping_view(store: Store, service: str, stream: str | None = None) -> MappingView:
    svc = await store.get_service(service)
    cfg = _service_cfg(await store.service_config(service), service)
    names = [s.name for s in cfg.streams]
    chosen = stream if stream in names else names[0]
    st = next(s for s in cfg.streams if s.name == chosen)
    samples = await store.list_samples(svc.id, chosen)
    tables = await lookup_tables(store, svc.id, cfg)
    rows = field_rows(st, samples[0] if samples else None, tables)
    return MappingView(
        service, svc.id, svc.destination, names, chosen, rows, samples, paths_of(samples),
        sorted(cfg.lookups), tables,
    )  # fmt: skip


def field_spec(values: dict[str, str]) -> dict[str, Any]:
    """Form values (source, transforms, default, required, lookup) -> a [fields] entry."""
    spec: dict[str, Any] = {}
    src = values.get("source", "").strip()
    if src.startswith("="):
        raw = src[1:].strip()
        try:
            spec["value"] = json.loads(raw)
        except ValueError:
            spec["value"] = raw
    elif "+" in src:
        spec["from"] = [p.strip() for p in src.split("+") if p.strip()]
    elif src:
        spec["from"] = src
    transforms = parse_chain(values.get("transforms", ""))
    if transforms:
        spec["transforms"] = transforms
    if values.get("lookup", "").strip():
        spec["lookup"] = values["lookup"].strip()
    if values.get("default", "") != "":
        spec["default"] = values["default"]
    if values.get("required", "").strip().lower() in ("yes", "true", "1", "on", "y"):
        spec["required"] = True
    return spec


def check_field(
    data: dict[str, Any], stream: str, old_dest: str | None, values: dict[str, str]
) -> tuple[dict[str, Any] | None, FieldSpec | None, dict[str, str]]:
    """Validate one field edit against the whole service. Returns (new service config dict,
    the field's spec, {form key: message})."""
    errors: dict[str, str] = {}
    dest = values.get("dest", "").strip()
    if not dest:
        errors["dest"] = "required"
    try:
        spec = field_spec(values)
    except ValueError as exc:
        return None, None, {"transforms": str(exc)}
    new = json.loads(json.dumps(data))
    streams = new.get("streams", [])
    target = next((s for s in streams if s.get("name") == stream), None)
    if target is None:
        return None, None, {"_": f"no stream {stream}"}
    fields = target.setdefault("fields", {})
    if dest and dest != old_dest and dest in fields:
        errors["dest"] = f"stream {stream} already maps {dest}"
    if errors:
        return None, None, errors
    if old_dest and old_dest in fields:
        fields = {(dest if k == old_dest else k): (spec if k == old_dest else v)
                  for k, v in fields.items()}  # fmt: skip
    else:
        fields[dest] = spec
    target["fields"] = fields
    try:
        cfg = ServiceConfig.model_validate(new)
    except ValidationError as exc:
        for err in exc.errors():
            msg = str(err["msg"]).removeprefix("Value error, ")
            key = "transforms" if "transform" in msg else ("lookup" if "lookup" in msg else "_")
            errors.setdefault(key, msg)
        return None, None, errors
    st = next(s for s in cfg.streams if s.name == stream)
    return new, st.fields[dest], {}


async def set_field(
    store: Store, service: str, stream: str, old_dest: str | None, values: dict[str, str]
) -> str:
    from .admin import save_service, service_row_state

    before = await service_row_state(store, service)
    new, _, errors = check_field(before["config"], stream, old_dest, values)
    if new is None:
        key, msg = next(iter(errors.items()))
        raise UserError(f"{key}: {msg}.", "Correct the field; nothing was saved.")
    sid = await save_service(store, service, {**before, "config": new})
    dest = values["dest"].strip()
    await store.push_undo(f"edit field {dest} of {service}/{stream}",
                          {"kind": "service", "name": service, "before": before}, sid)  # fmt: skip
    return dest


# ---- value mappings ------------------------------------------------------------------------


async def value_rows(
    store: Store, service: str, lookup: str, *, status: str | None = None
) -> list[ValueMapping]:
    """Unmapped first; source values seen in the samples with no row appear as unmapped."""
    svc = await store.get_service(service)
    cfg = _service_cfg(await store.service_config(service), service)
    if lookup not in cfg.lookups:
        known = ", ".join(sorted(cfg.lookups)) or "none"
        raise UserError(f"Service {service} has no lookup '{lookup}'.", f"Its lookups: {known}.")
    stored = await store.list_value_mappings(svc.id, lookup)
    static = cfg.lookups[lookup]
    have = {v.source_value for v in stored}
    rows = list(stored)
    for src, dst in sorted(static.items()):
        if src not in have:
            rows.append(ValueMapping(lookup=lookup, source_value=src, destination_value=dst,
                                     status=MappingStatus.MAPPED))  # fmt: skip
            have.add(src)
    for st in cfg.streams:
        for spec in st.fields.values():
            if spec.lookup != lookup:
                continue
            for rec in await store.list_samples(svc.id, st.name):
                _, value, _ = preview(spec.model_copy(update={"lookup": None}), rec, {})
                if value not in (None, "", []) and str(value) not in have:
                    have.add(str(value))
                    rows.append(ValueMapping(lookup=lookup, source_value=str(value)))
    order = {MappingStatus.UNMAPPED: 0, MappingStatus.RESPONSE_ERROR: 1, MappingStatus.MAPPED: 2}
    rows.sort(key=lambda v: (order[v.status], v.source_value))
    if status:
        rows = [v for v in rows if v.status.value == status]
    return rows


async def bulk_map(store: Store, service: str, lookup: str, sources: list[str], value: str) -> int:
    """Map every source value in `sources` to `value` (one undoable change)."""
    value = value.strip()
    if not sources:
        raise UserError("No rows selected.", "Select rows with space, then bulk update.")
    if not value:
        raise UserError("The destination value is empty.", "Pick or type a value.")
    rows = {v.source_value: v for v in await value_rows(store, service, lookup)}
    svc = await store.get_service(service)
    stored = {v.source_value for v in await store.list_value_mappings(svc.id, lookup)}
    before = [
        (s, rows[s].destination_value if s in stored else None,
         rows[s].status.value if s in stored else None)
        for s in sources if s in rows or s in stored
    ]  # fmt: skip
    await store.set_value_mappings(
        svc.id, lookup, [(s, value, MappingStatus.MAPPED.value) for s in sources]
    )
    await store.push_undo(
        f"map {plural(len(sources), 'value')} of {lookup} to {value}",
        {"kind": "values", "service_id": svc.id, "lookup": lookup, "rows": before}, svc.id,
    )  # fmt: skip
    return len(sources)

"""The transform library: small functions compiled once per field, applied per record.

A transform is written in TOML as a name ("trim") or a one-key table with its options
({ date = { format = "%Y-%m-%d", tz = "Europe/Berlin" } }, { replace = { old = "-", new = "" } }).
A transform that cannot convert a value raises TransformError with words for the entity reason.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

Transform = Callable[[Any], Any]

_TRUE = {"true", "yes", "y", "1", "on", "t"}
_FALSE = {"false", "no", "n", "0", "off", "f", ""}


class TransformError(ValueError):
    """A value a transform cannot handle; the message is the entity's reason."""


def _text(fn: Callable[[str], Any]) -> Transform:
    def apply(v: Any) -> Any:
        if type(v) is str:  # the common case first
            return fn(v)
        if v is None:
            return None
        if isinstance(v, list):
            return [fn(str(x)) if x is not None else None for x in v]
        return fn(str(v))

    return apply


def _to_int(v: Any) -> Any:
    if v is None or v == "":
        return None
    if isinstance(v, bool):
        return int(v)
    try:
        if isinstance(v, float):
            return int(v)
        return int(str(v).strip())
    except ValueError:
        try:
            f = float(str(v).strip())
        except ValueError:
            raise TransformError(f"'{v}' is not a whole number") from None
        if f.is_integer():
            return int(f)
        raise TransformError(f"'{v}' is not a whole number") from None


def _to_float(v: Any) -> Any:
    if v is None or v == "":
        return None
    try:
        return float(str(v).strip().replace(",", "")) if isinstance(v, str) else float(v)
    except (TypeError, ValueError):
        raise TransformError(f"'{v}' is not a number") from None


def _to_bool(v: Any) -> Any:
    if v is None or isinstance(v, bool):
        return v
    if isinstance(v, int | float):
        return bool(v)
    s = str(v).strip().lower()
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    raise TransformError(f"'{v}' is not true or false")


def _to_string(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _zone(name: str | None) -> Any:
    if not name:
        return None
    if name.upper() == "UTC":
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone '{name}'") from None


def _date(opts: dict[str, Any]) -> Transform:
    fmt = opts.get("format")
    parse = opts.get("input")
    tz = _zone(opts.get("tz"))
    assume = _zone(opts.get("assume_tz", "UTC"))

    def apply(v: Any) -> Any:
        if v is None or v == "":
            return None
        try:
            if isinstance(v, int | float) and not isinstance(v, bool):
                dt = datetime.fromtimestamp(v / 1000 if v > 1e11 else v, UTC)
            elif parse:
                dt = datetime.strptime(str(v).strip(), parse)
            else:
                dt = datetime.fromisoformat(str(v).strip())
        except (ValueError, OverflowError, OSError):
            raise TransformError(f"'{v}' is not a date") from None
        if dt.tzinfo is None and assume is not None:
            dt = dt.replace(tzinfo=assume)
        if tz is not None:
            dt = dt.astimezone(tz)
        return dt.strftime(fmt) if fmt else dt.isoformat()

    return apply


def _replace(opts: dict[str, Any]) -> Transform:
    old, new = str(opts["old"]), str(opts.get("new", ""))
    return _text(lambda s: s.replace(old, new))


def _split(opts: dict[str, Any]) -> Transform:
    sep = opts.get("sep", ",")
    index = opts.get("index")
    strip = bool(opts.get("strip", True))

    def apply(v: Any) -> Any:
        if v is None:
            return None
        parts = [p.strip() if strip else p for p in str(v).split(sep)]
        if index is None:
            return parts
        try:
            return parts[int(index)]
        except IndexError:
            return None

    return apply


def _join(opts: dict[str, Any]) -> Transform:
    sep = str(opts.get("sep", " "))

    def apply(v: Any) -> Any:
        if v is None:
            return None
        if isinstance(v, list):
            kept = [_to_string(x) for x in v if x is not None and x != ""]
            return sep.join(kept) if kept else None
        return v

    return apply


def _default(value: Any) -> Transform:
    return lambda v: value if v is None or v == "" or v == [] else v


def _cast(opts: Any) -> Transform:
    target = opts if isinstance(opts, str) else opts.get("to")
    if target not in _SIMPLE or target in ("trim", "lower", "upper", "title"):
        raise ValueError(f"cast to '{target}': use one of string, int, float, bool")
    return _SIMPLE[target]


_SIMPLE: dict[str, Transform] = {
    "trim": _text(str.strip),
    "lower": _text(str.lower),
    "upper": _text(str.upper),
    "title": _text(str.title),
    "string": _to_string,
    "int": _to_int,
    "float": _to_float,
    "bool": _to_bool,
}
_WITH_OPTIONS: dict[str, Callable[[Any], Transform]] = {
    "date": lambda o: _date(o if isinstance(o, dict) else {"format": o}),
    "replace": _replace,
    "split": lambda o: _split(o if isinstance(o, dict) else {"sep": o}),
    "join": lambda o: _join(o if isinstance(o, dict) else {"sep": o}),
    "concat": lambda o: _join(o if isinstance(o, dict) else {"sep": o}),
    "default": _default,
    "cast": _cast,
}
NAMES = sorted({*_SIMPLE, *_WITH_OPTIONS})


def compile_spec(spec: str | dict[str, Any]) -> Transform:
    """One TOML transform -> a function. Raises ValueError with the fix in words."""
    if isinstance(spec, str):
        if spec in _SIMPLE:
            return _SIMPLE[spec]
        if spec in ("date", "join", "concat", "split"):
            return _WITH_OPTIONS[spec]({})
        raise ValueError(f"unknown transform '{spec}'; known: {', '.join(NAMES)}")
    if not isinstance(spec, dict) or len(spec) != 1:
        raise ValueError('a transform is a name ("trim") or a one-key table ({ date = {...} })')
    ((name, opts),) = spec.items()
    if name in _SIMPLE:
        return _SIMPLE[name]
    if name not in _WITH_OPTIONS:
        raise ValueError(f"unknown transform '{name}'; known: {', '.join(NAMES)}")
    try:
        return _WITH_OPTIONS[name](opts)
    except KeyError as exc:
        raise ValueError(f"transform {name} needs the option {exc.args[0]}") from None


def check_spec(spec: str | dict[str, Any]) -> None:
    compile_spec(spec)


def chain(specs: list[str | dict[str, Any]]) -> Transform | None:
    funcs = [compile_spec(s) for s in specs]
    if not funcs:
        return None
    if len(funcs) == 1:
        return funcs[0]

    def apply(v: Any) -> Any:
        for f in funcs:
            v = f(v)
        return v

    return apply

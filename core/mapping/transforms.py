"""The transform library: small functions compiled once per field, applied per record.

A transform is written in TOML as a name ("trim") or a one-key table with its options
({ date = { format = "%Y-%m-%d", tz = "Europe/Berlin" } }, { replace = { old = "-", new = "" } }).
Each transform's options are one pydantic model (DateOptions, ReplaceOptions, ...): the config
validator (core.config.FieldSpec) and the engine compile every spec through `compile_spec`, so
what the validator accepts is exactly what the engine runs. A transform that cannot convert a
value raises TransformError with words for the entity reason.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

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


class _Options(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DateOptions(_Options):
    format: str | None = None  # strftime of the output; None: ISO 8601
    input: str | None = None  # strptime of the input; None: ISO 8601 (or epoch numbers)
    tz: str | None = None
    assume_tz: str | None = "UTC"

    @field_validator("tz", "assume_tz")
    @classmethod
    def _known_zone(cls, v: str | None) -> str | None:
        _zone(v)
        return v


class ReplaceOptions(_Options):
    old: str = Field(min_length=1)
    new: str = ""


class SplitOptions(_Options):
    sep: str = Field(default=",", min_length=1)
    index: int | None = None
    strip: bool = True


class JoinOptions(_Options):
    sep: str = " "


class CastOptions(_Options):
    to: Literal["string", "int", "float", "bool"]


def _date(o: DateOptions) -> Transform:
    fmt, parse = o.format, o.input
    tz, assume = _zone(o.tz), _zone(o.assume_tz)

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
        try:
            return dt.strftime(fmt) if fmt else dt.isoformat()
        except (ValueError, OverflowError):
            raise TransformError(f"'{v}' cannot be written as '{fmt}'") from None

    return apply


def _replace(o: ReplaceOptions) -> Transform:
    old, new = o.old, o.new
    return _text(lambda s: s.replace(old, new))


def _split(o: SplitOptions) -> Transform:
    sep, index, strip = o.sep, o.index, o.strip

    def apply(v: Any) -> Any:
        if v is None:
            return None
        parts = [p.strip() if strip else p for p in str(v).split(sep)]
        if index is None:
            return parts
        try:
            return parts[index]
        except IndexError:
            return None

    return apply


def _join(o: JoinOptions) -> Transform:
    sep = o.sep

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


def _cast(o: CastOptions) -> Transform:
    return _SIMPLE[o.to]


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
# name -> (options model, the option a bare value stands for, the factory)
_WITH_OPTIONS: dict[str, tuple[type[_Options], str, Callable[[Any], Transform]]] = {
    "date": (DateOptions, "format", _date),
    "replace": (ReplaceOptions, "", _replace),
    "split": (SplitOptions, "sep", _split),
    "join": (JoinOptions, "sep", _join),
    "concat": (JoinOptions, "sep", _join),
    "cast": (CastOptions, "to", _cast),
}
NAMES = sorted({*_SIMPLE, *_WITH_OPTIONS, "default"})


def options(name: str, given: Any) -> _Options:
    """The validated options of transform `name` (its model). Raises ValueError in words."""
    model, short, _ = _WITH_OPTIONS[name]
    if isinstance(given, str) and short:
        given = {short: given}
    if not isinstance(given, dict):
        fields = ", ".join(model.model_fields)
        form = f'{name} = "..." or ' if short else ""
        raise ValueError(f"transform {name} takes {form}a table of options ({fields})")
    try:
        return model.model_validate(given)
    except ValidationError as exc:
        err = exc.errors()[0]
        key = ".".join(str(p) for p in err["loc"]) or name
        msg = "unknown option" if err["type"] == "extra_forbidden" else err["msg"]
        msg = msg.removeprefix("Value error, ")
        known = ", ".join(model.model_fields)
        raise ValueError(f"transform {name}, option {key}: {msg} (options: {known})") from None


def compile_spec(spec: str | dict[str, Any]) -> Transform:
    """One TOML transform -> a function. Raises ValueError with the fix in words."""
    if isinstance(spec, str):
        if spec in _SIMPLE:
            return _SIMPLE[spec]
        if spec in ("date", "join", "concat", "split"):
            _, _, factory = _WITH_OPTIONS[spec]
            return factory(options(spec, {}))
        raise ValueError(f"unknown transform '{spec}'; known: {', '.join(NAMES)}")
    if not isinstance(spec, dict) or len(spec) != 1:
        raise ValueError('a transform is a name ("trim") or a one-key table ({ date = {...} })')
    ((name, opts),) = spec.items()
    if name in _SIMPLE:
        return _SIMPLE[name]
    if name == "default":
        return _default(opts)
    if name not in _WITH_OPTIONS:
        raise ValueError(f"unknown transform '{name}'; known: {', '.join(NAMES)}")
    _, _, factory = _WITH_OPTIONS[name]
    return factory(options(name, opts))


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

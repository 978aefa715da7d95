from __future__ import annotations

import pytest

from core.mapping.transforms import TransformError, chain, compile_spec


@pytest.mark.parametrize(
    ("spec", "value", "expected"),
    [
        ("trim", "  a b  ", "a b"),
        ("lower", "AbC", "abc"),
        ("upper", "abc", "ABC"),
        ("title", "acme ltd", "Acme Ltd"),
        ("string", 42, "42"),
        ("string", 4.0, "4"),
        ("int", "17", 17),
        ("int", "3.0", 3),
        ("float", "1,234.5", 1234.5),
        ("bool", "yes", True),
        ("bool", "0", False),
        ("date", "2026-03-01T10:00:00Z", "2026-03-01T10:00:00+00:00"),
        ({"date": {"format": "%Y-%m-%d"}}, "2026-03-01T23:30:00Z", "2026-03-01"),
        (
            {"date": {"format": "%Y-%m-%d %H:%M", "tz": "Europe/Berlin"}},
            "2026-03-01T23:30:00Z",
            "2026-03-02 00:30",
        ),
        ({"date": {"input": "%d/%m/%Y", "format": "%Y-%m-%d"}}, "05/04/2026", "2026-04-05"),
        ({"date": {"format": "%Y-%m-%d"}}, 1_772_323_200, "2026-03-01"),
        ({"replace": {"old": "-", "new": ""}}, "12-34-5", "12345"),
        ({"split": {"sep": ",", "index": 1}}, "a, b, c", "b"),
        ({"split": ","}, "a,b", ["a", "b"]),
        ({"join": {"sep": " "}}, ["Ada", None, "Lovelace"], "Ada Lovelace"),
        ({"concat": "-"}, ["x", "y"], "x-y"),
        ({"default": "n/a"}, "", "n/a"),
        ({"default": "n/a"}, "v", "v"),
        ({"cast": "int"}, "5", 5),
    ],
)
def test_transforms(spec, value, expected):
    assert compile_spec(spec)(value) == expected


def test_chain_applies_in_order():
    f = chain(["trim", "lower", {"replace": {"old": " ", "new": "."}}])
    assert f("  Ada Lovelace ") == "ada.lovelace"


@pytest.mark.parametrize(
    ("spec", "value"), [("int", "abc"), ("float", "x"), ("bool", "maybe"), ("date", "soon")]
)
def test_bad_values_raise_words(spec, value):
    with pytest.raises(TransformError) as err:
        compile_spec(spec)(value)
    assert f"'{value}'" in str(err.value)


@pytest.mark.parametrize(
    "spec", ["nope", {"replace": {"new": "x"}}, {"date": {"tz": "Mars/Base"}}, {"a": 1, "b": 2}]
)
def test_bad_specs_are_refused(spec):
    with pytest.raises(ValueError):
        compile_spec(spec)


def test_none_passes_through():
    for name in ("trim", "lower", "int", "float", "string", "date"):
        assert compile_spec(name)(None) is None

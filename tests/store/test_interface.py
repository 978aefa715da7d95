"""Every backend implements the whole Store interface, with the same parameters."""

from __future__ import annotations

import inspect

import pytest

from core.store.interface import Store
from core.store.postgres import PostgresStore
from core.store.sqlite import SqliteStore


def _interface_methods() -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(fn)
        for name, fn in inspect.getmembers(Store, inspect.isfunction)
        if not name.startswith("_")
    }


@pytest.mark.parametrize("backend_class", [SqliteStore, PostgresStore])
def test_backend_implements_every_method_with_the_same_parameters(backend_class) -> None:
    methods = _interface_methods()
    assert len(methods) > 60
    label = backend_class.__name__
    for name, sig in methods.items():
        impl = getattr(backend_class, name, None)
        assert impl is not None, f"{label} lacks {name}"
        assert inspect.iscoroutinefunction(impl), f"{label}.{name} is not async"
        assert list(inspect.signature(impl).parameters) == list(sig.parameters), name


async def test_an_open_store_is_a_store(store, backend) -> None:
    assert isinstance(store, Store)
    if backend == "sqlite":
        assert store.location.endswith("store.db")
    else:
        assert store.location.startswith("postgresql://") and "@127.0.0.1:" in store.location

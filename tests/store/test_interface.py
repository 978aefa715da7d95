"""Every backend implements the whole Store interface, with the same parameters."""

from __future__ import annotations

import inspect

from core.store.interface import Store
from core.store.sqlite import SqliteStore


def _interface_methods() -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(fn)
        for name, fn in inspect.getmembers(Store, inspect.isfunction)
        if not name.startswith("_")
    }


def test_sqlite_backend_implements_every_method_with_the_same_parameters() -> None:
    methods = _interface_methods()
    assert len(methods) > 60
    for name, sig in methods.items():
        impl = getattr(SqliteStore, name, None)
        assert impl is not None, f"SqliteStore lacks {name}"
        assert inspect.iscoroutinefunction(impl), f"SqliteStore.{name} is not async"
        assert list(inspect.signature(impl).parameters) == list(sig.parameters), name


async def test_an_open_sqlite_store_is_a_store(store) -> None:
    assert isinstance(store, Store)
    assert store.location.endswith("store.db")

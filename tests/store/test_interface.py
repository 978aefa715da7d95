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


def test_asyncpg_is_imported_only_for_a_postgresql_store(tmp_path) -> None:
    import subprocess
    import sys

    code = (
        "import asyncio, sys\n"
        "import core.cli, core.console_api, tui.app\n"
        "from core.store import open_store\n"
        "async def go():\n"
        f"    st = await open_store({str(tmp_path / 's.db')!r})\n"
        "    await st.list_runs()\n"
        "    await st.close()\n"
        "asyncio.run(go())\n"
        "assert 'asyncpg' not in sys.modules, 'asyncpg imported'\n"
        "assert not [m for m in sys.modules if m.startswith('core.store.postgres')]\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr

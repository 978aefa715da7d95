from __future__ import annotations

import pytest
from fault_config import Stores


@pytest.fixture
async def stores(tmp_path, store_location):
    """Stores for one test, on each backend (SQLite, PostgreSQL)."""
    s = Stores(tmp_path, store_location)
    yield s
    await s.close()


@pytest.fixture
async def sqlite_stores(tmp_path):
    """Stores in an SQLite file of tmp_path, for tests that read the file itself."""
    s = Stores(tmp_path)
    yield s
    await s.close()

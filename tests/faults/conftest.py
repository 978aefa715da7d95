from __future__ import annotations

import pytest
from fault_config import Stores


@pytest.fixture
async def stores(tmp_path):
    s = Stores(tmp_path)
    yield s
    await s.close()

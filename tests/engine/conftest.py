from __future__ import annotations

import pytest

from core.config import ConnectorConfig
from core.connectors.client import Client


class Sleeps(list):
    async def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def make_client(sleeps):
    made: list[Client] = []

    def make(environ: dict | None = None, **cfg) -> Client:
        cfg.setdefault("base_url", "https://api.test")
        c = Client(
            "crm",
            ConnectorConfig.model_validate(cfg),
            environ=environ or {},
            sleep=sleeps,
            rng=lambda: 1.0,
        )
        c.limiter.pause = lambda s: None  # the fake sleep stands in for waiting
        made.append(c)
        return c

    return make

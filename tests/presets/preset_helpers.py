"""Build a preset connector from TOML and pull every page of one stream through the real
client, paginator and pull loop, against respx routes."""

from __future__ import annotations

from typing import Any

from core.config import parse_config
from core.connectors.client import Client
from core.connectors.paginators import make_paginator
from core.engine.pull import PulledPage, pages


def config(connector: str, stream: str) -> Any:
    return parse_config(
        f"""
[connectors.src]
{connector}

[connectors.dst]
base_url = "http://127.0.0.1:9"

[services.svc]
source = "src"
destination = "dst"

[[services.svc.streams]]
name = "things"
{stream}
""",
        "test.toml",
    )


async def pull_all(cfg: Any, environ: dict[str, str]) -> tuple[list[PulledPage], Client]:
    conn = cfg.connectors["src"]
    stream = cfg.services["svc"].streams[0]

    async def no_sleep(_: float) -> None:
        return None

    client = Client("src", conn, environ=environ, sleep=no_sleep)
    paginator = make_paginator(stream.pull.paginator, stream.pull.path, stream.pull.params)
    out = [p async for p in pages(client, stream.pull, paginator)]
    await client.aclose()
    return out, client


def records(got: list[PulledPage]) -> list[Any]:
    return [r for p in got for r in p.records]

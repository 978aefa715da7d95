"""Fault injection shared by the sandbox apps: latency, 429 with Retry-After, 500s."""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.responses import JSONResponse, Response


@dataclass
class Faults:
    latency_ms: float = 0.0
    error_rate: float = 0.0  # share of requests answered 500
    rate_limit_every: int = 0  # every Nth request answered 429 (0: never)
    retry_after: str = "0"  # seconds or an HTTP date
    fail_next: list[int] = field(default_factory=list)  # status codes for the next requests
    token: str | None = None  # when set, requests need "Authorization: Bearer <token>"
    seed: int = 7
    count: int = 0

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    async def check(self, request: Request) -> Response | None:
        self.count += 1
        if self.latency_ms:
            await asyncio.sleep(self.latency_ms / 1000)
        if self.token is not None:
            if request.headers.get("authorization") != f"Bearer {self.token}":
                return JSONResponse({"error": "invalid or missing token"}, status_code=401)
        if self.fail_next:
            status = self.fail_next.pop(0)
            headers = {"Retry-After": self.retry_after} if status == 429 else {}
            return JSONResponse({"error": f"injected {status}"}, status, headers=headers)
        if self.rate_limit_every and self.count % self.rate_limit_every == 0:
            return JSONResponse(
                {"error": "too many requests"}, 429, headers={"Retry-After": self.retry_after}
            )
        if self.error_rate and self._rng.random() < self.error_rate:
            return JSONResponse({"error": "injected server error"}, status_code=500)
        return None

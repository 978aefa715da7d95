"""A token bucket that slows down as the API's reported headroom falls.

Below THRESHOLD of the server's budget left, the refill rate falls in proportion (never under
FLOOR of the configured rate). At the configured rate N against an API allowing N the
server's bucket then settles with about THRESHOLD of its budget spare, enough to absorb the
jitter of requests in flight, so a well-configured run sees no 429; configured above what the
API allows, the rate settles where the two meet instead of bouncing off 429s.
"""

from __future__ import annotations

from .ratelimit import RateLimiter

THRESHOLD = 0.3
FLOOR = 0.05


class HeadroomLimiter(RateLimiter):
    def effective_rate(self) -> float | None:
        if self.rate is None:
            return None
        h = self.headroom
        if h is None or h >= THRESHOLD:
            return self.rate
        return max(self.rate * max(h / THRESHOLD, FLOOR), 0.1)

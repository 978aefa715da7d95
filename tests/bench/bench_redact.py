"""Redaction throughput: what masking a run's secrets in every encoding costs per body.

Run: .venv/bin/python tests/bench/bench_redact.py   (a few seconds; prints MB/s)

A text holding no '%' or backslash (nor '+' when a secret has a space) can only hold a secret as
is or in base64, and takes the literal pattern; any other text takes the every-encoding one.
"""

from __future__ import annotations

import random
import string
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from core.connectors.redact import Redactor  # noqa: E402


def measure(r: Redactor, text: str, repeat: int) -> float:
    t = time.perf_counter()
    for _ in range(repeat):
        r.text(text)
    return (time.perf_counter() - t) / repeat


def main() -> None:
    rng = random.Random(1)
    alphabet = string.ascii_letters + string.digits
    secrets = ["".join(rng.choice(alphabet) for _ in range(32)) for _ in range(4)]
    r = Redactor(secrets)
    record = '{"id": 123, "name": "Acme GmbH", "email": "a@example.com", "notes": "' + "x" * 200
    plain = (record + '"}, ') * 14  # ~4 KB, like one captured body
    escaped = (record + ' 50% off \\u00fc"}, ') * 14
    sparse = plain * 128 + "50% off" + plain * 128  # 1 MB, one escape in the middle
    cases = [
        ("plain 4 KB", plain, 300), ("plain 1 MB", plain * 256, 3),
        ("escaped 4 KB", escaped, 300), ("escaped 1 MB", escaped * 256, 3),
        ("1 MB, one %", sparse, 3),
    ]  # fmt: skip
    for label, body, repeat in cases:
        dt = measure(r, body, repeat)
        print(f"{label:14} {dt * 1000:8.3f} ms per text, {len(body) / dt / 1e6:6.1f} MB/s")


if __name__ == "__main__":
    main()

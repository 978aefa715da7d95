"""Plain containers of the demo generator: the row sink, record pools, payload bodies."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field

from .catalogue import StreamSpec
from .urls import Push, detail_url, make_id
from .wordings import COMPANY_NAMES


@dataclass
class Sink:
    runs: list[tuple] = field(default_factory=list)
    steps: list[tuple] = field(default_factory=list)
    instances: list[tuple] = field(default_factory=list)
    entities: list[tuple] = field(default_factory=list)
    calls: list[tuple] = field(default_factory=list)
    payloads: list[tuple] = field(default_factory=list)
    logs: list[tuple] = field(default_factory=list)

    def size(self) -> int:
        return (
            len(self.runs) + len(self.steps) + len(self.instances) + len(self.entities)
            + len(self.calls) + len(self.payloads) + len(self.logs)
        )  # fmt: skip


@dataclass
class RunResult:
    run_id: int
    status: str
    finished_at: float
    failed: dict[str, list[int]]  # stream -> pool indices that failed (for a retry run)


class Pool:
    """Stable records of one stream: the same ids recur across runs, as in a real sync."""

    def __init__(self, rng: random.Random, stream: StreamSpec, push: Push, src_base: str, n: int):
        self.ext = [make_id(rng, stream.ext_style) for _ in range(n)]
        self.int = [make_id(rng, stream.int_style) for _ in range(n)]
        self.name = [rng.choice(COMPANY_NAMES) for _ in range(n)]
        self.lookup = [push.lookup(e) for e in self.ext]
        self.update = [push.write("update", i) for i in self.int]
        self.delete = [push.write("delete", i) for i in self.int]
        self.detail = [detail_url(src_base, stream.pull, e) for e in self.ext]


def req_body(ext: str, name: str, agr: str) -> str:
    body = {"identifier": ext, "name": name, "site": {"name": "Main"}}
    if agr:
        body["agreement"] = {"id": int(agr)}
    return json.dumps(body)


def ok_body(iid: str | None, ext: str) -> str:
    return f'{{"id":"{iid}","identifier":"{ext}","_info":{{"updatedBy":"syncdeck"}}}}'


def err_body(status: int | None, msg: str) -> str | None:
    if status is None:
        return None
    return json.dumps(
        {
            "code": "InvalidObject" if status == 400 else f"HTTP{status}",
            "message": msg,
            "errors": [{"code": "InvalidField", "message": msg}],
        }  # fmt: skip
    )

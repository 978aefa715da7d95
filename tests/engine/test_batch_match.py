"""Batch answers matched back to their records: the faster matcher decides as the first one did
(a key sent twice or answered twice is never guessed; a missing key leaves the record out)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from core.config_push import BatchPush
from core.engine.batch_push import _match
from core.engine.push import Decision
from core.mapping.paths import get_path


def _reference(
    batch: BatchPush, sent: list[Decision], items: list[Any], results: list[Any], create: bool
) -> dict[int, Any]:
    """The matcher as first written (per-item get_path, lists of results per key)."""
    if not create or batch.match:
        if create:
            key_sent: Any = lambda i: get_path(items[i], batch.match)  # noqa: E731
            key_res: Any = lambda r: get_path(r, batch.match)  # noqa: E731
        else:
            key_sent = lambda i: sent[i].internal_id  # noqa: E731
            key_res = lambda r: get_path(r, batch.result_id)  # noqa: E731
        by_key: dict[str, list[Any]] = {}
        for r in results:
            k = key_res(r)
            if k not in (None, ""):
                by_key.setdefault(str(k), []).append(r)
        out: dict[int, Any] = {}
        for i, d in enumerate(sent):
            k = key_sent(i)
            found = by_key.get(str(k), []) if k not in (None, "") else []
            if len(found) == 1:
                out[d.index] = found[0]
        return out
    if len(results) != len(sent):
        return {}
    return {d.index: r for d, r in zip(sent, results, strict=True)}


keys = st.one_of(st.none(), st.just(""), st.sampled_from(["a", "b", "c", "1"]), st.integers(0, 2))
results = st.lists(
    st.one_of(
        st.builds(lambda k, i: {"properties": {"email": k}, "id": i}, keys, keys),
        st.just({}),
        st.just("not a table"),
    ),
    max_size=6,
)
sent_keys = st.lists(st.tuples(keys, keys), max_size=6)


@settings(max_examples=400, deadline=None)
@given(sent_keys, results, st.booleans(), st.booleans())
def test_matcher_decides_as_the_first_one(
    sent: list[tuple[Any, Any]], answer: list[Any], create: bool, by_field: bool
) -> None:
    batch = BatchPush(size=10, create="POST /b", match="properties.email" if by_field else None)
    decisions = [
        Decision(i * 3, f"e{i}", "create", internal_id=None if iid is None else str(iid))
        for i, (_, iid) in enumerate(sent)
    ]
    items = [{"properties": {"email": k}} for k, _ in sent]
    got = _match(batch, decisions, items, answer, create)
    want = _reference(batch, decisions, items, answer, create)
    assert {k: id(v) for k, v in got.items()} == {k: id(v) for k, v in want.items()}


def test_a_key_answered_twice_or_missing_is_left_out() -> None:
    batch = BatchPush(size=10, create="POST /b", match="properties.email")
    sent = [Decision(0, "x", "create"), Decision(1, "y", "create"), Decision(2, "z", "create")]
    items = [{"properties": {"email": e}} for e in ("x@", "y@", "z@")]
    answer = [
        {"id": "1", "properties": {"email": "x@"}},
        {"id": "2", "properties": {"email": "y@"}},
        {"id": "3", "properties": {"email": "y@"}},
    ]
    assert _match(batch, sent, items, answer, True) == {0: answer[0]}

"""Property tests: a secret, in any encoding it may come back in, never survives redaction,
and text without a secret comes back unchanged."""

from __future__ import annotations

import base64
import json
import re
from urllib.parse import quote, quote_plus

from hypothesis import given, settings
from hypothesis import strategies as st

from core.connectors.redact import MASK, Redactor
from core.engine.recorder import Recorder
from core.store import Batch, EntityRow, LogRow

secrets = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=3, max_size=24)
around = st.text(max_size=20)


def encodings(secret: str) -> list[str]:
    return [
        secret,
        quote(secret, safe=""),
        quote(secret, safe="/"),
        quote_plus(secret),
        re.sub(r"%[0-9A-F]{2}", lambda m: m.group().lower(), quote(secret, safe="")),
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
        json.dumps(secret).replace("/", "\\/")[1:-1],
        base64.b64encode(secret.encode()).decode(),
    ]


@settings(max_examples=300, deadline=None)
@given(secret=secrets, before=around, after=around, form=st.integers(0, 8))
def test_no_encoding_of_a_secret_survives(secret: str, before: str, after: str, form: int) -> None:
    encoded = encodings(secret)[form]
    out = Redactor([secret]).text(f"{before}{encoded}{after}") or ""
    assert encoded not in out
    assert MASK in out


@settings(max_examples=100, deadline=None)
@given(secret=secrets, form=st.integers(0, 8), at=st.integers(0, 9000), other=st.booleans())
def test_long_texts_are_masked_too(secret: str, form: int, at: int, other: bool) -> None:
    """Long texts take the literal pass plus the every-encoding pattern near escapes only."""
    encoded = encodings(secret)[form]
    filler = ("ab%20c\\u00e9 " if other else "abc def ") * 1200
    text = filler[:at] + encoded + filler[at:]
    out = Redactor([secret, "another-secret"]).text(text) or ""
    assert encoded not in out and MASK in out


@settings(max_examples=100, deadline=None)
@given(user=st.text(min_size=1, max_size=12).filter(lambda u: ":" not in u), secret=secrets)
def test_basic_auth_token_never_survives(user: str, secret: str) -> None:
    r = Redactor()
    r.add_basic(user, secret)
    token = base64.b64encode(f"{user}:{secret}".encode()).decode()
    assert token not in (r.text(f"Authorization: Basic {token}") or "")


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=60))
def test_text_without_the_secret_is_unchanged(text: str) -> None:
    secret = "Zq9-unlikely-\u2603-secret"
    if any(form in text for form in encodings(secret)):
        return
    assert Redactor([secret]).text(text) == text


def test_every_text_a_run_stores_is_redacted() -> None:
    """The recorder masks logs, entity-tied logs, entity reasons and call errors of a batch."""
    secret = "pa ss/wörd"
    rec = Recorder(None, service_id=1, source_id=1, dest_id=2, redactor=Redactor([secret]))  # type: ignore[arg-type]
    echo = json.dumps({"echo": secret})
    log = LogRow(0.0, "ERROR", "event", f"title {quote_plus(secret)}", f"details {echo}")
    entity = EntityRow(1, 1, "e1", "create", "failed", 0.0, reason=f"HTTP 422: {echo}")
    batch = rec.page_batch(
        step_id=1, instance=None,  # type: ignore[arg-type]
        entities=[entity], logs=[log], entity_logs=[(0, LogRow(0.0, "ERROR", "event", echo))],
    )  # fmt: skip
    assert isinstance(batch, Batch)
    texts = [log.title, log.details, entity.reason, batch.entity_logs[0][1].title]
    assert all(MASK in t for t in texts), texts
    assert not any(f in t for t in texts for f in encodings(secret))

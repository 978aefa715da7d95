"""Autotask's troubleshooting rows "Partial shipments not updating" and "No orders created":
in the catalogue, found from a message's words, and shown in the log detail pane."""

from __future__ import annotations

import pytest

from core.models import LogEvent
from core.troubleshooting import CATALOGUE, lookup, match
from tui.views.logs import LogsView


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Order 4711 partially shipped: status not updated", "partial_shipment"),
        ("Partial shipments not updating for PO-88", "partial_shipment"),
        ("No orders created: 0 purchase orders ready", "no_orders_created"),
        ("Run finished: 0 orders created from 12 purchase orders", "no_orders_created"),
    ],
)
def test_words_find_the_row(text: str, code: str) -> None:
    assert match(None, text) == code
    assert lookup(None, None, text) is CATALOGUE[code]


def test_rows_as_in_the_seed() -> None:
    ship = CATALOGUE["partial_shipment"]
    assert ship.title == "Partial shipments not updating"
    assert "status mapping" in ship.causes[0]
    orders = CATALOGUE["no_orders_created"]
    assert orders.title == "No orders created"
    assert any("ready / approved" in a for a in orders.actions)
    assert match(None, "orders created: 12") is None  # a count is not the complaint


def test_log_detail_shows_the_resolution() -> None:
    event = LogEvent(id=1, ts="2026-03-02T09:00:00Z", level="WARNING", kind="event",
                     title="No orders created", details="0 of 12 purchase orders were ready.",
                     connector="autotask", code="no_orders_created")  # fmt: skip
    text = LogsView().detail(event, 0).plain
    assert "Known error: No orders created" in text
    assert "Confirm the purchase orders are marked ready / approved" in text

"""Rate shopping end to end over real HTTP: two label APIs quote the packed parcels, the
cheapest rate meeting the order's service level is booked at its partner and kept with the
label, and an order no rate can serve becomes a visible exception, not a fallback."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from crossdock.flows.outbound import repository
from crossdock.sandbox.wms.labels import LabelBook, ServicePrice
from crossdock.sandbox.wms.stack import LABELS, running_stack

SHOPPING = {
    "rate_shopping": {
        "service_levels": {"PostNL Standard": "standard", "DHL Express": "express"},
        "currency": "EUR",
    }
}


def _books() -> list[LabelBook]:
    first = LabelBook(
        "CDA",
        services={
            "STD": ServicePrice("standard", Decimal("6.95"), 2),
            "ECO": ServicePrice("economy", Decimal("4.50"), 5),
        },
    )
    second = LabelBook(
        "CDB",
        services={
            "NEXT-DAY": ServicePrice("express", Decimal("5.10"), 1),
            "ROAD": ServicePrice("economy", Decimal("3.00"), 6),
        },
    )
    return [first, second]


async def test_the_cheapest_rate_meeting_the_level_is_booked_and_kept(
    db_url: str, tmp_path: Path
) -> None:
    books = _books()
    async with running_stack(
        db_url, tmp_path, book_labels=True, label_books=books, outbound=SHOPPING
    ) as stack:
        order, _name = stack.confirm_order([(24, 2.0)], carrier="carrier_postnl")
        await stack.settle(rounds=4)
        picking = stack.picking_of(order)
        row = stack.fulfillment(picking["name"])
        labels = repository.labels(stack.runtime.store, picking["name"])
        [wms_order] = stack.warehouse.orders.values()
        dead = stack.runtime.queue.dead_jobs()
    first, second = books
    assert dead == []
    assert first.quotes == 1 and second.quotes == 1, "both partners were asked"
    assert first.bookings == {}, "the dearer partner booked nothing"
    assert second.booked_services == {picking["name"]: "NEXT-DAY"}
    parcels = len(labels)
    assert parcels >= 1 and all(label["carrier_partner"] == f"{LABELS}-2" for label in labels)
    rate = labels[0]["rate"]
    assert rate["service_code"] == "NEXT-DAY" and rate["service_level"] == "express"
    assert Decimal(rate["price"]) == Decimal("5.10") * parcels
    assert rate["requested_level"] == "standard"
    assert "meeting 'standard' in EUR" in rate["reason"]
    assert sorted(q["service_code"] for q in rate["quotes"]) == ["ECO", "NEXT-DAY", "ROAD", "STD"]
    assert row.tracking_numbers == [label["tracking_number"] for label in labels]
    assert row.tracking_numbers[0].startswith("CDB")
    assert wms_order.tracking == row.tracking_numbers, "the WMS got the numbers"
    assert picking["carrier_tracking_ref"] == row.tracking_numbers[0], "so did Odoo"
    assert picking["state"] == "done"


async def test_an_order_no_rate_can_serve_is_an_exception_and_books_nothing(
    sqlite_url: str, tmp_path: Path
) -> None:
    books = _books()
    books[1].services.pop("NEXT-DAY")  # nobody sells express any more
    async with running_stack(
        sqlite_url, tmp_path, book_labels=True, label_books=books, outbound=SHOPPING
    ) as stack:
        order, _name = stack.confirm_order([(24, 1.0)], carrier="carrier_dhl")
        await stack.settle(rounds=4)
        picking = stack.picking_of(order)
        row = stack.fulfillment(picking["name"])
        exceptions = repository.exceptions(stack.runtime.store)
        labels = repository.labels(stack.runtime.store, picking["name"])
        dead = stack.runtime.queue.dead_jobs()
        bookings = [dict(book.bookings) for book in books]
        # Express is sold again; the warehouse, still waiting, repeats its pack confirmation.
        books[1].services["NEXT-DAY"] = ServicePrice("express", Decimal("9.00"), 1)
        [wms_order] = stack.warehouse.orders.values()
        await stack.warehouse.repeat_packed(wms_order.id)
        await stack.settle(rounds=4)
        booked = repository.labels(stack.runtime.store, picking["name"])
        shipped = stack.picking_of(order)
    assert [label["rate"]["service_code"] for label in booked] == ["NEXT-DAY"] * len(booked)
    assert booked and shipped["state"] == "done"
    assert shipped["carrier_tracking_ref"] == booked[0]["tracking_number"]
    assert dead == []
    assert labels == [] and bookings == [{}, {}]
    assert row.state == "packed" and row.tracking_numbers == []
    assert picking["state"] != "done", "nothing shipped without a label"
    [exception] = exceptions
    assert exception["kind"] == "no_rate"
    assert "no rate satisfies service level 'express' in EUR" in exception["detail"]
    assert "carrier-labels/STD standard" in exception["detail"]

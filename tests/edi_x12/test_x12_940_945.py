"""940 shipping order and 945 shipping advice: real documents, round trips, located errors."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from crossdock.canonical.common import WeightUnit
from crossdock.connectors.edi.x12 import (
    OutgoingSet,
    RejectedSet,
    TransactionSet,
    X12Error,
    fulfillment_from_940,
    fulfillment_to_940,
    shipping_advice_from_945,
    shipping_advice_to_945,
)
from tests.edi_x12.x12_helpers import FIXTURES, interchange, read_all

SHIPPED = [
    ["W06", "N", "WH/OUT/00042", "20240305", "LOAD-7", "", "P00042"],
    ["N1", "ST", "Customer DC", "92", "DC1"],
    ["N9", "BM", "BOL-5"],
    ["G62", "11", "20240305"],
    ["W27", "M", "ABFS"],
    ["LX", "1"],
    ["N9", "LI", "17"],
    ["W12", "SH", "10", "8", "2", "EA", "", "BP", "SKU-1", "LOT-1", "12.5", "G", "K"],
    ["W03", "8"],
]


def _sets(data: bytes) -> list[TransactionSet]:
    return [i for i in read_all(data) if isinstance(i, TransactionSet)]


def _simplot() -> TransactionSet:
    (transaction,) = _sets((FIXTURES / "oopfactory-940-simplot.x12").read_bytes())
    return transaction


def _inter_american() -> TransactionSet:
    # The envelope is rejected (its GS has ten elements, so GS08 reads "21"), but the body
    # is a real warehouse's 945: mapped here as the set would be once the partner fixed it.
    (rejected,) = [
        i
        for i in read_all((FIXTURES / "oopfactory-945-inter-americanproducts.x12").read_bytes())
        if isinstance(i, RejectedSet)
    ]
    return TransactionSet(
        rejected.set_id,
        rejected.control_number,
        rejected.interchange,
        rejected.group,
        rejected.segments,
        rejected.offset,
    )


def test_simplot_940_to_fulfillment_request() -> None:
    request = fulfillment_from_940(_simplot())
    assert (request.fulfillment_id, request.order_reference) == ("01235639", "3353558")
    assert (request.warehouse.code, request.warehouse.name) == (
        "708090",
        "Distribution Unlimited Inc 090",
    )
    assert request.ship_to.name == "McLane Foodservice Inc"
    assert request.ship_to.address.country_code == "US"
    assert request.requested_ship_date == date(2011, 1, 13)
    assert request.service_level == "CUST"
    first, second = request.lines
    assert (first.line_id, first.sku, first.quantity.value, first.quantity.uom) == (
        "1000",
        "10071179009894",
        Decimal(972),
        "CS",
    )
    assert second.description == "Taco Bell 00885251282593 Fries Seas BatrBites"


def test_940_round_trip() -> None:
    first = fulfillment_from_940(_simplot())
    (again,) = _sets(interchange([OutgoingSet("940", "0001", fulfillment_to_940(first))]))
    assert fulfillment_from_940(again) == first


def test_945_lines_weights_and_lots() -> None:
    advice = shipping_advice_from_945(_inter_american(), default_unit="CA")
    assert (advice.shipment_id, advice.shipped_on, advice.carrier_code) == (
        "2144",
        date(2002, 9, 16),
        "na",
    )
    assert advice.ship_to is not None
    assert advice.ship_to.code == "0733940588254"
    first = advice.lines[0]
    assert (first.sku, first.lot, first.status) == ("339408", "19284", "CL")
    assert first.shipped.value == Decimal(120)
    assert first.weight is not None
    assert (first.weight.value, first.weight.unit) == (Decimal(6600), WeightUnit.LB)


def test_945_without_units_needs_a_partner_default() -> None:
    with pytest.raises(X12Error) as caught:
        shipping_advice_from_945(_inter_american())
    error = caught.value
    assert (error.segment_id, error.segment_position, error.element_position) == ("W12", 9, 5)
    assert error.transaction_control == "0003100001"


def test_945_round_trip_with_short_line() -> None:
    first = shipping_advice_from_945(_sets(interchange([OutgoingSet("945", "0001", SHIPPED)]))[0])
    (line,) = first.lines
    assert (line.line_id, line.shipped.value, line.status) == ("17", Decimal(8), "SH")
    assert line.ordered is not None
    assert line.ordered.value == Decimal(10)
    assert (first.bill_of_lading, first.fulfillment_id) == ("BOL-5", "WH/OUT/00042")
    written = interchange([OutgoingSet("945", "0002", shipping_advice_to_945(first))])
    assert shipping_advice_from_945(_sets(written)[0]) == first

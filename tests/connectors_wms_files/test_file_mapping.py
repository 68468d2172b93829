"""Pure mapping of the file WMS: each record type round-trips through CSV and fixed width,
releases carry the WMS's codes, received files become the REST connector's canonical events,
and a malformed line is an error naming the file, line and column."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import orjson
import pytest

from crossdock.canonical.carrier import FulfillmentRequest
from crossdock.canonical.event_types import (
    FULFILLMENT_ACKNOWLEDGED_V1,
    FULFILLMENT_PACKED_V1,
    FULFILLMENT_PICKED_V1,
    FULFILLMENT_SHIPPED_V1,
)
from crossdock.connectors.base import InboundMessage
from crossdock.connectors.files.errors import FileFormatError, UnwritableRecord
from crossdock.connectors.wms.codes import CodeTables
from crossdock.connectors.wms.files.codec import decode, encode
from crossdock.connectors.wms.files.mapping import (
    CODES_HEADER,
    FILE_HEADER,
    file_name,
    release_records,
    translate,
)
from crossdock.connectors.wms.files.records import FIELDS
from crossdock.connectors.wms.files.settings import FileWmsSettings, Layout
from crossdock.sandbox.wms.file_layouts import layout, partner_settings

AT = datetime(2026, 3, 2, 8, 15, 30, tzinfo=UTC)
TRANSPORT = {"kind": "folder", "root": "/srv/wms"}
CODES = CodeTables(
    {"sku": {"CD-0003": "WMS-0003"}, "uom": {"C62": "EA", "DZN": "DZ"}, "location": {"WH": "DC1"}}
)
SAMPLES: dict[str, dict[str, Any]] = {
    "order": {
        "fulfillment_id": "WH/OUT/00042",
        "order_reference": "S00042",
        "warehouse": "DC1",
        "carrier": "postnl",
        "service_level": "POSTNL_STANDARD",
        "ship_name": "Maison Lumière SARL",
        "ship_street": "Rue de Rivoli 99",
        "ship_postal_code": "75001",
        "ship_city": "Paris",
        "ship_country": "FR",
    },
    "order_line": {
        "fulfillment_id": "WH/OUT/00042",
        "line_id": "117",
        "sku": "WMS-0003",
        "quantity": Decimal("2.5"),
        "uom": "EA",
    },
    "cancel": {"fulfillment_id": "WH/OUT/00042", "wms_order_id": "WMS-000007", "requested_at": AT},
    "label": {
        "fulfillment_id": "WH/OUT/00042",
        "wms_order_id": "WMS-000007",
        "tracking_number": "1Z999AA10123456784",
        "carrier": "ups",
        "service_level": "ups_ground",
        "label_format": "ZPL",
        "content": "^XA^FO50,50^ADN,36,20^FD1Z999AA10123456784^FS^XZ",
    },
    "acknowledgement": {
        "fulfillment_id": "WH/OUT/00042",
        "wms_order_id": "WMS-000007",
        "accepted": False,
        "occurred_at": AT,
        "reason": "site closed; back Monday",
    },
    "pick": {"fulfillment_id": "WH/OUT/00042", "occurred_at": AT},
    "pick_line": {
        "line_id": "117",
        "sku": "WMS-0003",
        "quantity": Decimal("1"),
        "uom": "EA",
        "short_reason": "no stock",
    },
    "packing": {"fulfillment_id": "WH/OUT/00042", "occurred_at": AT},
    "package": {
        "package_ref": "WMS-000007-P1",
        "tracking_number": "CDW000000012",
        "weight": Decimal("1.75"),
        "weight_unit": "kg",
        "length": Decimal("40"),
        "width": Decimal("30.5"),
        "height": Decimal("20"),
        "dimension_unit": "cm",
    },
    "shipment": {
        "fulfillment_id": "WH/OUT/00042",
        "confirmation_id": "SHP-WMS-000007",
        "wms_order_id": "WMS-000007",
        "carrier": "postnl",
        "service_level": "POSTNL_STANDARD",
        "occurred_at": AT,
    },
    "ship_line": {"line_id": "117", "sku": "WMS-0003", "quantity": Decimal("2.5"), "uom": "EA"},
    "lot": {"lot": "LOT-2026-03", "quantity": Decimal("1.25"), "uom": "EA"},
}


@pytest.mark.parametrize("name", ["csv", "fixed"])
@pytest.mark.parametrize("kind", sorted(FIELDS))
def test_each_record_type_round_trips(name: str, kind: str) -> None:
    chosen = Layout.model_validate(layout(name))  # type: ignore[arg-type]
    body = encode([(kind, SAMPLES[kind])], chosen)
    [record] = decode(body, chosen, "sample.txt")
    assert record.kind == kind
    assert dict(record.values) == SAMPLES[kind]


def test_fixed_width_positions_padding_and_implied_decimals() -> None:
    fixed = Layout.model_validate(layout("fixed"))
    body = encode([("order_line", SAMPLES["order_line"])], fixed)
    line = body.decode("latin-1")
    assert line.endswith("\r\n")
    assert line[:2] == "OL"
    assert line[2:22] == "WH/OUT/00042".ljust(20)
    assert line[22:32] == "117".ljust(10)
    assert line[52:61] == "000002500"  # 2.5 with three implied decimals, zero-padded
    assert "Maison Lumière".encode("latin-1") in encode([("order", SAMPLES["order"])], fixed)


def test_a_value_wider_than_its_slot_is_refused_not_cut() -> None:
    fixed = Layout.model_validate(layout("fixed"))
    with pytest.raises(UnwritableRecord, match=r"order_line.sku: .* wider than its 20"):
        encode([("order_line", {**SAMPLES["order_line"], "sku": "X" * 21})], fixed)


def request() -> FulfillmentRequest:
    return FulfillmentRequest.model_validate(
        {
            "fulfillment_id": "WH/OUT/00042",
            "order_reference": "S00042",
            "warehouse": {"code": "WH"},
            "ship_to": {
                "name": "Harbor Retail NV",
                "address": {"line1": "Meir 12", "city": "Antwerp", "country_code": "BE"},
            },
            "carrier_code": "postnl",
            "requested_ship_date": "2026-03-03",
            "lines": [
                {"line_id": "117", "sku": "CD-0003", "quantity": {"value": "2", "uom": "C62"}}
            ],
        }
    )


def test_a_release_is_an_order_with_its_lines_in_the_wms_codes() -> None:
    csv = Layout.model_validate(layout("csv"))
    body = encode(release_records(request(), CODES), csv)
    assert body.decode().splitlines() == [
        "OH;WH/OUT/00042;S00042;DC1;postnl;;Harbor Retail NV;Meir 12;;Antwerp;BE",
        "OL;WH/OUT/00042;117;WMS-0003;2;EA",
    ]
    at = datetime(2026, 3, 2, tzinfo=UTC)
    assert file_name("ORD_{fulfillment_id}_{now:%Y%m%d}.txt", "WH/OUT/00042", at) == (
        "ORD_WH_OUT_00042_20260302.txt"
    )
    [order, _line] = decode(body, csv, "ORD.txt")
    assert "ship_date" not in order.values  # the sandbox layout has no column for it
    assert release_records(request(), CODES)[0][1]["ship_date"] == date(2026, 3, 3)


def message(body: str, name: str = "SHP_1.txt") -> InboundMessage:
    return InboundMessage(
        id="msg-1",
        partner="dc1",
        headers={FILE_HEADER: name, CODES_HEADER: orjson.dumps(CODES.to_json()).decode()},
        body=body.encode(),
        received_at=AT,
    )


SETTINGS = partner_settings(TRANSPORT, "csv")


def test_a_confirmation_file_becomes_the_canonical_events_in_file_order() -> None:
    body = "\r\n".join(
        [
            "AK;WH/OUT/00042;WMS-000007;Y;20260302081500;",
            "PH;WH/OUT/00042;20260302082000",
            "PL;117;WMS-0003;1.5;DZ;no stock",
            "LT;LOT-A;1;",
            "LT;LOT-B;0.5;EA",
            "KH;WH/OUT/00042;20260302083000",
            "PK;P1;CDW1;1.25;kg;40;30;20;cm",
            "SH;WH/OUT/00042;SHP-1;WMS-000007;postnl;POSTNL_STANDARD;20260302090000",
            "SL;117;WMS-0003;1.5;EA;no stock",
            "LT;LOT-A;1;EA",
            "PK;P1;CDW1;1.25;kg;;;;",
            "",
        ]
    )
    envelopes = translate(message(body), SETTINGS)
    assert [e.type for e in envelopes] == [
        FULFILLMENT_ACKNOWLEDGED_V1,
        FULFILLMENT_PICKED_V1,
        FULFILLMENT_PACKED_V1,
        FULFILLMENT_SHIPPED_V1,
    ]
    assert {e.lanekey for e in envelopes} == {"picking:WH/OUT/00042"}
    assert len({e.id for e in envelopes}) == 4
    picked, packed, shipped = (e.data for e in envelopes[1:])
    [line] = picked["lines"]
    assert line["sku"] == "CD-0003"
    assert line["quantity"] == {"value": "1.5", "uom": "DZN"}
    assert line["short_reason"] == "no stock"
    assert [(lot["lot"], lot["quantity"]) for lot in line["lots"]] == [
        ("LOT-A", {"value": "1", "uom": "DZN"}),  # no unit: the line's
        ("LOT-B", {"value": "0.5", "uom": "C62"}),
    ]
    [package] = packed["packages"]
    assert package["weight"] == {"value": "1.25", "unit": "kg"}
    assert package["dimensions"] == {"length": "40", "width": "30", "height": "20", "unit": "cm"}
    assert shipped["confirmation_id"] == "SHP-1"
    assert shipped["service_level"] == "POSTNL_STANDARD"  # no code declared: as sent
    assert shipped["occurred_at"] == "2026-03-02T09:00:00Z"
    assert shipped["packages"][0].get("dimensions") is None
    assert envelopes[0].data["accepted"] is True


@pytest.mark.parametrize(
    ("body", "place", "detail"),
    [
        (
            "SH;WH/OUT/1;SHP-1;;;;20260302090000\r\nSL;117;WMS-0003;1.5;EA\r\nSL;118;WMS-0004;abc;EA",
            "SHP_1.txt line 3 column 4",
            "quantity: 'abc' is not a number",
        ),
        (
            "SH;WH/OUT/1;SHP-1;;;;2026-03-02",
            "SHP_1.txt line 1 column 7",
            "occurred_at: '2026-03-02'",
        ),
        ("XX;WH/OUT/1", "SHP_1.txt line 1 column 1", "record code 'XX' is not one of"),
        ("SL;117;WMS-0003;1;EA", "SHP_1.txt line 1 column 1", "must follow shipment"),
        ("SH;;SHP-1", "SHP_1.txt line 1 column 2", "shipment has no fulfillment_id"),
        ("AK;WH/OUT/1;;maybe", "SHP_1.txt line 1 column 4", "'maybe' is neither 'Y' nor 'N'"),
        ("PH;WH/OUT/1;20260302090000;extra", "SHP_1.txt line 1 column 4", "2 fields after"),
    ],
)
def test_a_malformed_line_names_the_file_line_and_column(
    body: str, place: str, detail: str
) -> None:
    with pytest.raises(FileFormatError) as caught:
        translate(message(body), SETTINGS)
    assert caught.value.place == place
    assert detail in caught.value.detail


def test_fixed_width_errors_point_at_the_field_start() -> None:
    settings = partner_settings(TRANSPORT, "fixed")
    good = encode([("pick", SAMPLES["pick"])], Layout.model_validate(settings["layout"]))
    broken = good.decode("latin-1").replace("20260302081530", "2026030208153X")
    with pytest.raises(FileFormatError) as caught:
        translate(message(broken, "PCK.txt"), settings)
    assert caught.value.place == "PCK.txt line 1 column 23"
    long = good.decode("latin-1").rstrip("\r\n") + "   surplus\r\n"
    with pytest.raises(FileFormatError, match=r"PCK\.txt line 1 column 37"):
        translate(message(long, "PCK.txt"), settings)


def test_layout_mistakes_are_named_by_place() -> None:
    broken = partner_settings(TRANSPORT, "fixed")
    records = broken["layout"]["records"]
    records["order_line"]["fields"][2]["name"] = "item"
    records["pick"]["fields"].append({"name": "reason"})
    records["lot"]["code"] = "PL"
    records["ship_line"]["fields"][1] = {"name": "sku", "width": 20, "start": 5}
    broken["files"]["release"] = "orders/{order}.txt"
    from pydantic import ValidationError

    with pytest.raises(ValidationError) as caught:
        FileWmsSettings.model_validate(broken)
    text = str(caught.value)
    for expected in (
        "records.order_line.fields[2].name: order_line has no field 'item'",
        "records.order_line.fields: order_line needs a 'sku' field",
        "records.pick.fields[2].name: pick has no field 'reason'",
        "records.pick.fields[2].width: fixed-width fields need a width",
        "records.lot.code: 'PL' is also pick_line's",
        "records.ship_line.fields[1].start: 5 overlaps what ends at 12",
        "may only name {fulfillment_id} and {now}",
    ):
        assert expected in text, text

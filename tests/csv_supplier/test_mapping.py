"""Pure mapping: canonical documents → the supplier's CSV rows → bytes → rows → the same
canonical documents, and malformed files refused with their file, line and column."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from crossdock.canonical.common import Address, Party, Quantity
from crossdock.canonical.event_types import (
    INVOICE_RECEIVED_V1,
    PURCHASE_ORDER_ACKNOWLEDGED_V1,
    SHIP_NOTICE_RECEIVED_V1,
)
from crossdock.canonical.purchase import PurchaseOrder, PurchaseOrderLine
from crossdock.connectors.base import InboundMessage
from crossdock.connectors.csv_supplier import mapping
from crossdock.connectors.csv_supplier.codec import FileFormatError, read_rows, write_rows
from crossdock.connectors.csv_supplier.jobs import order_file
from crossdock.connectors.csv_supplier.translate import FILE_HEADER, translate
from crossdock.errors import MappingError
from tests.csv_supplier.supplier import VENDOR, csv_partner, parsed
from tests.flows_procurement import supplier_docs

PARTNER = csv_partner({"kind": "folder", "root": "/nonexistent"})
SETTINGS = parsed(PARTNER)
TODAY = date(2026, 3, 14)


def order() -> PurchaseOrder:
    return PurchaseOrder(
        po_number="P00042",
        vendor=Party(
            name=VENDOR, address=Address(line1="Hafenstr. 1", city="Bremen", country_code="DE")
        ),
        currency="EUR",
        ordered_at=datetime(2026, 3, 1, 9, 30, tzinfo=UTC),
        expected_date=date(2026, 3, 18),
        lines=[
            PurchaseOrderLine(
                line_id="11",
                sku="BOX-S",
                description='Box "small"; brown',
                quantity=Quantity(value=Decimal(24), uom="C62"),
                unit_price=Decimal("1.25"),
            ),
            PurchaseOrderLine(
                line_id="12",
                sku="TAPE-50",
                quantity=Quantity(value=Decimal("48.5"), uom="MTR"),
                unit_price=Decimal("0.5"),
                expected_date=date(2026, 3, 20),
            ),
        ],
    )


def test_the_order_file_has_the_declared_header_and_reads_back() -> None:
    name, body = order_file(SETTINGS, order())
    assert name == "PO-P00042.csv"
    text = body.decode()
    assert text.splitlines()[0] == (
        "Bestellung;order_date;line_id;sku;description;Menge;uom;unit_price;currency;requested_date"
    )
    assert text.splitlines()[1] == (
        'P00042;01.03.2026;11;BOX-S;"Box ""small""; brown";24;C62;1,25;EUR;18.03.2026'
    )
    rows = read_rows(body, "order", SETTINGS.documents.order, SETTINGS.csv, name)
    expected = [
        {k: v for k, v in row.items() if v is not None and k != "vendor"}
        for row in mapping.order_rows(order())
    ]
    assert [dict(row.values) for row in rows] == expected
    assert [row.line for row in rows] == [2, 3]


def _round_trip(kind: str, rows: list[dict[str, object]]) -> list[mapping.Row]:
    layout = getattr(SETTINGS.documents, kind)
    body = write_rows(rows, layout, SETTINGS.csv)
    return read_rows(body, kind, layout, SETTINGS.csv, f"{kind}.csv")  # type: ignore[arg-type]


def test_acknowledgement_round_trip() -> None:
    po = order()
    ack = supplier_docs.changed_acknowledgement(po, {"12": Decimal(40)}, x12_codes=False)
    rows = _round_trip("acknowledgement", mapping.acknowledgement_rows(ack, SETTINGS.statuses))
    [back] = mapping.acknowledgements_from_rows(rows, SETTINGS.statuses, "C62", "a.csv", TODAY)
    assert back.po_number == ack.po_number and back.status == ack.status
    assert back.acknowledgement_id == "SO-77001" and back.acknowledged_on == date(2026, 3, 3)
    for got, sent in zip(back.lines, ack.lines, strict=True):
        assert (got.line_id, got.sku, got.status) == (sent.line_id, sent.sku, sent.status)
        assert got.raw_status == ("GEAENDERT" if sent.line_id == "12" else "OK")
        assert got.promised_quantity == sent.promised_quantity
        assert got.ordered_quantity == sent.ordered_quantity
        assert (got.promised_date, got.unit_price) == (sent.promised_date, sent.unit_price)


def test_ship_notice_round_trip_keeps_cartons_lots_and_lines() -> None:
    po = order()
    notice = supplier_docs.ship_notice(po, {"11": Decimal(24), "12": Decimal(36)})
    rows = _round_trip("ship_notice", mapping.ship_notice_rows(notice))
    [back] = mapping.ship_notices_from_rows(rows, "C62", "n.csv", TODAY)
    assert (back.asn_id, back.shipped_on, back.expected_on, back.carrier_code) == (
        "ASN-5501",
        date(2026, 3, 10),
        date(2026, 3, 12),
        "ODFL",
    )
    [sent_order] = notice.orders
    cartons = sent_order.packages[0].packages
    [got_order] = back.orders
    assert got_order.purchase_order_reference == "P00042"
    assert [(p.sscc, p.items) for p in got_order.packages] == [(c.sscc, c.items) for c in cartons]


def test_invoice_round_trip() -> None:
    po = order()
    billed = {"11": Decimal(24), "12": Decimal(36)}
    prices = {"11": Decimal("1.25"), "12": Decimal("0.5")}
    invoice = supplier_docs.invoice(po, "INV-3002", billed, prices)
    rows = _round_trip("invoice", mapping.invoice_rows(invoice))
    [back] = mapping.invoices_from_rows(rows, SETTINGS.supplier, "EUR", "C62", "i.csv")
    assert back.model_dump(exclude={"partner"}) == invoice.model_dump(exclude={"partner"})
    assert back.partner == SETTINGS.supplier


def message(name: str, body: bytes) -> InboundMessage:
    return InboundMessage(
        id="m-1",
        partner="brightpack",
        headers={FILE_HEADER: name},
        body=body,
        received_at=datetime(2026, 3, 14, 8, tzinfo=UTC),
    )


ACK_HEADER = (
    "Bestellung;acknowledgement_id;acknowledged_on;line_id;sku;status;ordered_quantity;"
    "Menge bestaetigt;uom;promised_date;unit_price\n"
)


def test_translate_gives_the_events_of_the_edi_sets_on_the_order_lane() -> None:
    ack = ACK_HEADER + "P00042;SO-1;03.03.2026;11;BOX-S;OK;24;;C62;20.03.2026;1,25\n"
    [event] = translate(message("ACK-1.csv", ack.encode()), PARTNER.settings)
    assert (event.type, event.lanekey, event.subject) == (
        PURCHASE_ORDER_ACKNOWLEDGED_V1,
        "purchase_order:P00042",
        "P00042",
    )
    notice = supplier_docs.ship_notice(order(), {"11": Decimal(24)})
    body = write_rows(
        mapping.ship_notice_rows(notice), SETTINGS.documents.ship_notice, SETTINGS.csv
    )
    assert [e.type for e in translate(message("ASN-1.csv", body), PARTNER.settings)] == [
        SHIP_NOTICE_RECEIVED_V1
    ]
    one = {"11": Decimal(1), "12": Decimal(1)}
    invoice = supplier_docs.invoice(order(), "INV-1", one, one)
    body = write_rows(mapping.invoice_rows(invoice), SETTINGS.documents.invoice, SETTINGS.csv)
    [billed] = translate(message("INV-1.csv", body), PARTNER.settings)
    assert billed.type == INVOICE_RECEIVED_V1 and billed.data["origin"] == "P00042"


@pytest.mark.parametrize(
    ("name", "body", "place", "detail"),
    [
        (
            "ACK-2.csv",
            ACK_HEADER + "P00042;SO-1;03.03.2026;11;BOX-S;OK;24;;C62;2026-03-20;1,25\n",
            "ACK-2.csv line 2 column 10",
            "promised_date: '2026-03-20' does not match the date format '%d.%m.%Y'",
        ),
        (
            "ACK-3.csv",
            ACK_HEADER + "P00042;SO-1;;11;BOX-S;OK;24;;C62;;zwei\n",
            "ACK-3.csv line 2 column 11",
            "unit_price: 'zwei' is not a number",
        ),
        (
            "ACK-4.csv",
            ACK_HEADER + "\nP00042;SO-1;;11;BOX-S;VIELLEICHT;24;;C62;;\n",
            "ACK-4.csv line 3 column 6",
            "status 'VIELLEICHT' is none of 'OK', 'GEAENDERT', 'ABGELEHNT'",
        ),
        (
            "ACK-5.csv",
            ACK_HEADER + "P00042;SO-1;;;BOX-S;OK;24;;C62;;\n",
            "ACK-5.csv line 2 column 4",
            "acknowledgement row has no line_id",
        ),
        (
            "ACK-6.csv",
            ACK_HEADER + "P00042;SO-1;;11;BOX-S;OK;24\n",
            "ACK-6.csv line 2 column 8",
            "the row has 7 cells, the header 11",
        ),
        (
            "ACK-7.csv",
            ACK_HEADER.replace("Menge bestaetigt", "Menge") + "P00042;;;11;;OK;;;;;\n",
            "ACK-7.csv line 1 column 8",
            "header 'Menge' is not a declared column (or is repeated)",
        ),
        (
            "ACK-8.csv",
            ACK_HEADER + "P00042;SO-1;03.03.2026;11;;OK;;;;;\nP00042;SO-1;04.03.2026;12;;OK;;;;;\n",
            "ACK-8.csv line 3 column 3",
            "acknowledged_on 2026-03-04 differs from line 2's 2026-03-03",
        ),
        (
            "INV-9.csv",
            "Rechnung;invoice_date;Bestellung;line_id;quantity;unit_price\n",
            "INV-9.csv line 1",
            "the header row lacks 'due_date', 'currency', 'sku', 'uom', 'subtotal', 'tax'",
        ),
        (
            "ASN-10.csv",
            "asn_id;Bestellung;ship_date;expected_date;carrier_code;sscc;line_id;sku;lot;"
            "quantity;uom\nASN-1;P00042;;;;;11;BOX-S;;0;C62\n",
            "ASN-10.csv line 2 column 10",
            "quantity: Value error, shipped quantity must be greater than zero",
        ),
        ("notes.txt", "anything\n", "notes.txt", "the name matches no document pattern"),
    ],
)
def test_malformed_files_name_file_line_and_column(
    name: str, body: str, place: str, detail: str
) -> None:
    with pytest.raises(MappingError) as caught:
        translate(message(name, body.encode()), PARTNER.settings)
    assert caught.value.place == place
    assert detail in caught.value.detail


def test_a_file_in_another_encoding_names_the_line() -> None:
    body = (ACK_HEADER + "P00042;;;11;;OK;;;;;\nP00042;;;12;Gr\xfcn;OK;;;;;\n").encode("latin-1")
    with pytest.raises(FileFormatError) as caught:
        translate(message("ACK-11.csv", body), PARTNER.settings)
    assert caught.value.place == "ACK-11.csv line 3"
    assert caught.value.detail == "not utf-8: byte 0xfc"

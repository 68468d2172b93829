"""ORDRSP, RECADV, INVOIC and IFTSTA (D96A and D01B): mappings to the same canonical models as
the X12 855, 944, 810 and 214, round trips, located errors and CONTRL rejections."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from crossdock.canonical.common import Address, Party
from crossdock.canonical.milestones import ExceptionReason, Milestone
from crossdock.canonical.purchase_ack import AckLineStatus
from crossdock.canonical.receipt_advice import ReceiptCondition
from crossdock.connectors.edi.edifact import (
    EdifactError,
    Message,
    MessageId,
    OutMessage,
    PartnerDefaults,
    SyntaxErrorCode,
    acknowledgement_from_ordrsp,
    acknowledgement_to_ordrsp,
    build_contrl,
    invoice_from_invoic,
    invoice_to_invoic,
    milestones_from_iftsta,
    milestones_to_iftsta,
    read_edifact,
    receipt_advice_from_recadv,
    receipt_advice_to_recadv,
    write_interchange,
)
from crossdock.connectors.edi.edifact import Party as EdiParty
from crossdock.connectors.edi.edifact.syntax import OutSegment
from tests.edi_edifact.edifact_helpers import iftsta, interchange, invoic, message, ordrsp, recadv

DIRECTORIES = [("D", "96A"), ("D", "01B")]
PREPARED = datetime(2024, 1, 5, 12, 0, tzinfo=UTC)


def _read(body: list[str], ref: str = "1") -> Message:
    [ic] = read_edifact(interchange([message(body, ref)]))
    assert ic.errors == []
    assert ic.rejected == []
    [only] = ic.accepted
    return only


def _reread(kind: str, directory: tuple[str, str], body: list[OutSegment]) -> Message:
    text = write_interchange(
        [OutMessage("9", MessageId(kind, *directory, "UN", "EAN008"), body)],
        sender=EdiParty("4012345500004", "14"),
        recipient=EdiParty("5412345000013", "14"),
        reference="42",
        prepared=PREPARED,
    )
    [ic] = read_edifact(text.encode("latin-1"))
    [only] = ic.accepted
    return only


@pytest.mark.parametrize("directory", DIRECTORIES)
def test_ordrsp_lines_and_round_trip(directory: tuple[str, str]) -> None:
    ack = acknowledgement_from_ordrsp(_read(ordrsp(directory)))
    assert (ack.po_number, ack.po_date, ack.acknowledgement_id) == (
        "PO1",
        date(2024, 1, 5),
        "RSP-1",
    )
    assert (ack.status, ack.raw_status, ack.promised_date) == (
        AckLineStatus.CHANGED,
        "4",
        date(2024, 1, 20),
    )
    accepted, short, rejected = ack.lines
    assert (accepted.sku, accepted.vendor_sku, accepted.unit_price) == (
        "B-77",
        "ACME-1",
        Decimal("2.50"),
    )
    assert short.status is AckLineStatus.CHANGED
    assert short.sku == "4000862141411"
    assert short.promised_quantity is not None
    assert short.promised_quantity.value == 6
    assert short.promised_date == date(2024, 2, 1)
    assert (rejected.status, rejected.raw_status) == (AckLineStatus.REJECTED, "7")
    again = acknowledgement_from_ordrsp(
        _reread("ORDRSP", directory, acknowledgement_to_ordrsp(ack))
    )
    assert again == ack


@pytest.mark.parametrize("directory", DIRECTORIES)
def test_recadv_discrepancies_and_round_trip(directory: tuple[str, str]) -> None:
    advice = receipt_advice_from_recadv(_read(recadv(directory)))
    assert (advice.receipt_id, advice.purchase_order_reference, advice.shipment_reference) == (
        "REC-9",
        "PO1",
        "DES-5",
    )
    assert advice.received_on == date(2024, 1, 11)
    assert advice.warehouse.code == "5412345678908"
    whole, broken = advice.lines
    assert (whole.sku, whole.lot, whole.purchase_line_id, whole.exceptions) == (
        "B-77",
        "LOT-7",
        "10",
        [],
    )
    assert broken.sku == "4000862141411"
    assert broken.quantity_of(ReceiptCondition.SHORT) == 3
    assert broken.quantity_of(ReceiptCondition.DAMAGED) == 1
    assert broken.quantity_of(ReceiptCondition.QUALITY) == 1
    assert [e.raw_code for e in broken.exceptions] == ["CP", "DME", "195"]
    again = receipt_advice_from_recadv(
        _reread("RECADV", directory, receipt_advice_to_recadv(advice))
    )
    assert again == advice


@pytest.mark.parametrize("directory", DIRECTORIES)
def test_invoic_totals_and_round_trip(directory: tuple[str, str]) -> None:
    bill = invoice_from_invoic(_read(invoic(directory)))
    assert (bill.number, bill.origin, bill.currency) == ("INV-3", "PO1", "EUR")
    assert (bill.invoice_date, bill.due_date) == (date(2024, 1, 15), date(2024, 2, 14))
    assert bill.partner.address.city == "Berlin"
    first, second = bill.lines
    assert (first.subtotal, first.total) == (Decimal(120), Decimal("142.80"))
    assert (second.subtotal, second.total) == (Decimal(72), Decimal(72))
    assert (bill.totals.total, bill.totals.untaxed, bill.totals.tax) == (
        Decimal("214.48"),
        Decimal(192),
        Decimal("22.48"),
    )
    again = invoice_from_invoic(_reread("INVOIC", directory, invoice_to_invoic(bill)))
    assert again == bill


def test_invoic_vendor_from_master_data() -> None:
    body = invoic(DIRECTORIES[0])
    body[5] = "NAD+SU+4012345500004::9"
    with pytest.raises(EdifactError) as caught:
        invoice_from_invoic(_read(body))
    assert (caught.value.segment_tag, caught.value.segment_position) == ("NAD", 6)
    vendor = Party(name="Acme", address=Address(line1="S 1", city="Berlin", country_code="DE"))
    bill = invoice_from_invoic(_read(body), PartnerDefaults(parties={"4012345500004": vendor}))
    assert bill.partner == vendor


@pytest.mark.parametrize("directory", DIRECTORIES)
def test_iftsta_events_and_round_trip(directory: tuple[str, str]) -> None:
    collected, lost, odd, delivered = milestones_from_iftsta(_read(iftsta(directory)))
    assert (collected.tracking_number, collected.shipment_id, collected.carrier_code) == (
        "JD0123",
        "DES-5",
        "dhlf",
    )
    assert collected.milestone is Milestone.PICKED_UP
    assert collected.occurred_at == datetime(2024, 1, 10, 8, 0, tzinfo=UTC)
    assert collected.location is not None
    assert collected.location.name == "Utrecht"
    assert (lost.milestone, lost.exception_reason, lost.raw_text) == (
        Milestone.EXCEPTION,
        ExceptionReason.LOST,
        "17",
    )
    assert (odd.milestone, odd.raw_code) == (Milestone.UNKNOWN, "99")
    assert (delivered.tracking_number, delivered.milestone) == ("JD0456", Milestone.DELIVERED)
    first = [collected, lost, odd, delivered]
    again = milestones_from_iftsta(_reread("IFTSTA", directory, milestones_to_iftsta(first, "S")))
    assert again == first


def test_iftsta_needs_a_carrier() -> None:
    body = [s for s in iftsta(DIRECTORIES[0]) if not s.startswith("NAD")]
    with pytest.raises(EdifactError) as caught:
        milestones_from_iftsta(_read(body))
    assert caught.value.segment_tag == "UNH"
    assert "carrier" in str(caught.value)
    assert milestones_from_iftsta(_read(body), carrier_code="dhlf")[0].carrier_code == "dhlf"


def test_unknown_codes_name_their_element() -> None:
    body = ordrsp(DIRECTORIES[1])
    body[12] = "LIN+2+88+4000862141411:EN"
    with pytest.raises(EdifactError) as caught:
        acknowledgement_from_ordrsp(_read(body, "5"))
    error = caught.value
    assert (error.message_ref, error.segment_tag, error.segment_position) == ("5", "LIN", 13)
    assert (error.element_position, error.found) == (2, "88")
    assert error.code == SyntaxErrorCode.VALUE_NOT_SUPPORTED_IN_POSITION
    body = recadv(DIRECTORIES[0])
    body[15] = "QVR+-3:12+ZZ"
    with pytest.raises(EdifactError) as caught:
        receipt_advice_from_recadv(_read(body))
    assert (caught.value.segment_tag, caught.value.element_position) == ("QVR", 2)


def test_a_message_that_does_not_map_is_rejected_alone_in_the_contrl() -> None:
    broken = invoic(DIRECTORIES[0])
    broken[14] = "QTY+47:six"
    [ic] = read_edifact(
        interchange(
            [
                message(invoic(DIRECTORIES[0]), "1"),
                message(broken, "2"),
                message(ordrsp(DIRECTORIES[0]), "3"),
            ]
        )
    )
    mapped: list[str] = []
    for msg in list(ic.accepted):
        try:
            if msg.identifier.type == "INVOIC":
                mapped.append(invoice_from_invoic(msg).number)
            else:
                mapped.append(acknowledgement_from_ordrsp(msg).po_number)
        except EdifactError as error:
            ic.reject(msg, error)
    assert mapped == ["INV-3", "PO1"]
    [rejected] = ic.rejected
    assert rejected.reference == "2"
    contrl = build_contrl(ic, reference="77", prepared=PREPARED)
    assert "UCM+1+INVOIC:D:96A:UN+7'" in contrl
    assert "UCM+3+ORDRSP:D:96A:UN+7'" in contrl
    assert "UCM+2+INVOIC:D:96A:UN+4+12'UCS+15+12'UCD+12+1:2'" in contrl

"""Separators, control references and counts, and one broken message rejected alone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crossdock.connectors.edi.edifact import (
    EdifactError,
    SyntaxErrorCode,
    build_contrl,
    purchase_order_from_orders,
    read_edifact,
)
from tests.edi_edifact.edifact_helpers import interchange, message, orders_body

PREPARED = datetime(2024, 1, 5, 13, 0, tzinfo=UTC)


def _orders(ref: str, number: str = "PO1") -> list[str]:
    return message(orders_body(number), ref)


def test_default_separators_without_una() -> None:
    text = interchange([_orders("1")], una="")
    [ic] = read_edifact(text.encode("latin-1"))
    order = purchase_order_from_orders(ic.accepted[0])
    assert order.lines[0].unit_price == pytest.approx(2.5)
    assert order.vendor.address.line2 == "Hof 2"


def test_una_separators_and_release_character() -> None:
    plain = interchange([message(orders_body("PO?+7"), "1")], una="", terminator="'\r\n")
    # UNA: component *, element |, decimal ., release #, terminator ~ (then CR LF).
    custom = plain.replace(":", "*").replace("+", "|").replace("?|", "#|").replace("'", "~")
    [ic] = read_edifact("UNA*|.# ~" + custom)
    assert ic.header.characters.component_separator == "*"
    order = purchase_order_from_orders(ic.accepted[0])
    assert order.po_number == "PO|7"
    assert order.vendor.name == "Acme GmbH"
    assert order.vendor.address.line2 == "Hof 2"


def test_una_with_a_doubled_service_character_is_rejected() -> None:
    with pytest.raises(EdifactError) as caught:
        read_edifact(interchange([_orders("1")], una="UNA++.? '"))
    assert caught.value.code == SyntaxErrorCode.INVALID_SERVICE_CHARACTER
    assert caught.value.segment_tag == "UNA"


def test_unz_reference_mismatch_names_the_place_and_rejects_the_interchange() -> None:
    [ic] = read_edifact(interchange([_orders("1")], trailer_ref="999"))
    [error] = ic.errors
    assert (error.interchange_ref, error.segment_tag, error.element_position) == ("100", "UNZ", 2)
    assert error.segment_position == 22
    assert (error.expected, error.found) == ("100", "999")
    assert error.code == SyntaxErrorCode.REFERENCES_DO_NOT_MATCH
    assert ic.accepted == []
    contrl = build_contrl(ic, reference="1", prepared=PREPARED)
    assert "UCI+100+4012345500004:14+5412345000013:14+4+28'UCS+22+28'UCD+28+2'" in contrl


def test_unz_count_mismatch() -> None:
    [ic] = read_edifact(interchange([_orders("1"), _orders("2")], count=3))
    [error] = ic.errors
    assert (error.segment_tag, error.element_position, error.expected, error.found) == (
        "UNZ",
        1,
        "2",
        "3",
    )
    assert error.code == SyntaxErrorCode.CONTROL_COUNT_MISMATCH
    assert "UNZ #42 in interchange, element 1" in str(error)


def test_one_broken_message_is_rejected_alone() -> None:
    broken = message(orders_body("PO2"), "2", count=5)
    [ic] = read_edifact(interchange([_orders("1"), broken, _orders("3", "PO3")]))
    assert ic.errors == []
    assert [m.reference for m in ic.accepted] == ["1", "3"]
    [rejected] = ic.rejected
    [error] = rejected.errors
    assert (error.interchange_ref, error.message_ref) == ("100", "2")
    assert (error.segment_tag, error.segment_position, error.element_position) == ("UNT", 20, 1)
    assert (error.expected, error.found) == ("20", "5")
    assert error.code == SyntaxErrorCode.CONTROL_COUNT_MISMATCH
    assert [purchase_order_from_orders(m).po_number for m in ic.accepted] == ["PO1", "PO3"]
    contrl = build_contrl(ic, reference="77", prepared=PREPARED)
    assert "UCI+100+4012345500004:14+5412345000013:14+7'" in contrl
    assert "UCM+1+ORDERS:D:96A:UN+7'" in contrl
    assert "UCM+3+ORDERS:D:96A:UN+7'" in contrl
    assert "UCM+2+ORDERS:D:96A:UN+4+29'UCS+20+29'UCD+29+1'" in contrl
    # The CONTRL is itself a well-formed interchange from the receiver back to the sender.
    [answer] = read_edifact(contrl)
    assert answer.errors == []
    assert answer.header.sender.id == "5412345000013"
    assert [m.identifier.type for m in answer.accepted] == ["CONTRL"]


def test_message_reference_mismatch() -> None:
    [ic] = read_edifact(interchange([message(orders_body(), "1", trailer_ref="X")]))
    [error] = ic.rejected[0].errors
    assert (error.segment_tag, error.element_position, error.expected, error.found) == (
        "UNT",
        2,
        "1",
        "X",
    )
    assert error.code == SyntaxErrorCode.REFERENCES_DO_NOT_MATCH


def test_missing_unt_rejects_that_message_only() -> None:
    cut = message(orders_body(), "1")[:-1]
    [ic] = read_edifact(interchange([cut, _orders("2")]))
    [rejected] = ic.rejected
    assert rejected.reference == "1"
    assert rejected.errors[0].code == SyntaxErrorCode.MISSING
    assert rejected.errors[0].segment_tag == "UNH"
    assert [m.reference for m in ic.accepted] == ["2"]


def test_groups_are_checked() -> None:
    text = interchange(
        [["UNG+ORDERS+A+B+240105:1200+G1+UN+D:96A"], _orders("1"), ["UNE+2+G1"]], count=1
    )
    [ic] = read_edifact(text)
    [error] = ic.errors
    assert error.location.group_ref == "G1"
    assert (error.segment_tag, error.element_position, error.found) == ("UNE", 1, "2")
    assert ic.messages[0].group_ref == "G1"
    good = interchange(
        [["UNG+ORDERS+A+B+240105:1200+G1+UN+D:96A"], _orders("1"), ["UNE+1+G1"]], count=1
    )
    assert read_edifact(good)[0].errors == []


@pytest.mark.parametrize(
    ("text", "tag", "position"),
    [
        ("UNH+1+ORDERS:D:96A:UN'", "UNH", 1),
        ("UNA:+.? 'UNB+UNOC:3+A+B+240105:1200+1'UNH+1+ORDERS?", "UNH", 2),
        ("UNA:+.? 'UNB+UNOC:3+A+B+240105:1200+1'unh+1'", "unh", 2),
        ("UNA:+.? 'UNB+UNOC:3+A+B+240105:1200+1'UNZ+0+1", "UNZ", 2),
        ("", None, 1),
    ],
)
def test_unreadable_input_raises_located_errors(text: str, tag: str | None, position: int) -> None:
    with pytest.raises(EdifactError) as caught:
        read_edifact(text)
    assert caught.value.segment_tag == tag
    assert caught.value.segment_position == position

"""855 code tables: acknowledgement types (BAK02, element 587) and line item status
(ACK01, element 668) to the canonical `AckLineStatus`, after the X12 004010 dictionary.

Which codes mean "changed" is the buyer's view: anything the buyer must look at before
trusting the order as sent (a new date, quantity, price or product, a hold, a backorder).
"""

from __future__ import annotations

from types import MappingProxyType

from crossdock.canonical.purchase_ack import AckLineStatus

A, C, R = AckLineStatus.ACCEPTED, AckLineStatus.CHANGED, AckLineStatus.REJECTED

ACK_TYPES = MappingProxyType(
    {
        "AC": C,  # acknowledge - with detail and change
        "AD": A,  # acknowledge - with detail, no change
        "AE": C,  # acknowledge - with exception detail only
        "AK": A,  # acknowledge - no detail or change
        "AP": A,  # acknowledge - product replenishment
        "AT": A,  # accepted
        "RD": R,  # reject with detail
        "RJ": R,  # rejected - no detail
        "RO": C,  # rejected with counter offer
    }
)
LINE_STATUSES = MappingProxyType(
    {
        "AC": A,  # item accepted and shipped
        "AR": A,  # item accepted and released for shipment
        "IA": A,  # item accepted
        "BP": C,  # accepted, partial shipment, balance backordered
        "DR": C,  # accepted, date rescheduled
        "IB": C,  # item backordered
        "IC": C,  # accepted, changes made
        "IE": C,  # accepted, price pending
        "IF": C,  # on hold, incomplete description
        "IH": C,  # item on hold
        "IP": C,  # accepted, price changed
        "IQ": C,  # accepted, quantity changed
        "IS": C,  # accepted, substitution made
        "IW": C,  # on hold, waiver required
        "SP": C,  # accepted, schedule date pending
        "ID": R,  # item deleted
        "IR": R,  # item rejected
        **{f"R{n}": R for n in range(1, 9)},  # rejected for a stated reason
    }
)
DEFAULT_ACK_TYPE = {A: "AD", C: "AC", R: "RD"}
DEFAULT_LINE_STATUS = {A: "IA", C: "IC", R: "IR"}
"""Codes written when the canonical document carries no raw code of its own."""
DELIVERY_DATES = ("067", "017", "069", "002")
"""DTM/ACK date qualifiers that promise delivery: current schedule delivery, estimated
delivery, promised for delivery, delivery requested (ship dates like 068 are not)."""
PROMISED_DELIVERY = "067"

"""X12 (004010, 005010): streaming reader, writer, 997 acknowledgements and set mappings."""

from crossdock.connectors.edi.x12.ack855 import (
    acknowledgement_from_855,
    acknowledgement_to_855,
)
from crossdock.connectors.edi.x12.ack997 import (
    FunctionalAck,
    ack_from_997,
    ack_to_997,
    acknowledge,
)
from crossdock.connectors.edi.x12.asn856 import ship_notice_from_856, ship_notice_to_856
from crossdock.connectors.edi.x12.codes import AckStatus, ErrorLevel
from crossdock.connectors.edi.x12.errors import Location, X12Error
from crossdock.connectors.edi.x12.inventory846 import inventory_from_846, inventory_to_846
from crossdock.connectors.edi.x12.invoice810 import invoice_from_810, invoice_to_810
from crossdock.connectors.edi.x12.lexer import Segment, tokenize
from crossdock.connectors.edi.x12.model import (
    GroupSummary,
    InterchangeSummary,
    ReadItem,
    RejectedSet,
    TransactionSet,
)
from crossdock.connectors.edi.x12.po850 import (
    PartnerDefaults,
    purchase_order_from_850,
    purchase_order_to_850,
)
from crossdock.connectors.edi.x12.reader import read_x12
from crossdock.connectors.edi.x12.receipt944 import (
    receipt_advice_from_944,
    receipt_advice_to_944,
)
from crossdock.connectors.edi.x12.separators import Separators
from crossdock.connectors.edi.x12.status214 import milestones_from_214, milestones_to_214
from crossdock.connectors.edi.x12.writer import (
    OutgoingGroup,
    OutgoingInterchange,
    OutgoingSet,
    serialize,
)

__all__ = [
    "AckStatus",
    "ErrorLevel",
    "FunctionalAck",
    "GroupSummary",
    "InterchangeSummary",
    "Location",
    "OutgoingGroup",
    "OutgoingInterchange",
    "OutgoingSet",
    "PartnerDefaults",
    "ReadItem",
    "RejectedSet",
    "Segment",
    "Separators",
    "TransactionSet",
    "X12Error",
    "ack_from_997",
    "ack_to_997",
    "acknowledge",
    "acknowledgement_from_855",
    "acknowledgement_to_855",
    "inventory_from_846",
    "inventory_to_846",
    "invoice_from_810",
    "invoice_to_810",
    "milestones_from_214",
    "milestones_to_214",
    "purchase_order_from_850",
    "purchase_order_to_850",
    "read_x12",
    "receipt_advice_from_944",
    "receipt_advice_to_944",
    "serialize",
    "ship_notice_from_856",
    "ship_notice_to_856",
    "tokenize",
]

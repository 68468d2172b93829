"""The supplier's side of the SFTP account: it reads Crossdock's files and drops its own,
in its standard (X12 or EDIFACT), written with the project's writers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from crossdock.canonical.purchase import PurchaseOrder
from crossdock.config import PartnerConfig
from crossdock.connectors.edi import edifact, x12
from crossdock.connectors.edi.partner.envelopes import edifact_interchange
from tests.files.sftp_server import SftpAccount
from tests.files.supplier import as_supplier, supplier_file

Writer = Callable[[Any], Any]
WRITERS: dict[str, dict[str, tuple[str, Writer]]] = {
    "x12": {
        "ack": ("855", x12.acknowledgement_to_855),
        "notice": ("856", x12.ship_notice_to_856),
        "advice": ("944", x12.receipt_advice_to_944),
        "invoice": ("810", x12.invoice_to_810),
    },
    "edifact": {
        "ack": ("ORDRSP", edifact.acknowledgement_to_ordrsp),
        "notice": ("DESADV", edifact.ship_notice_to_desadv),
        "advice": ("RECADV", edifact.receipt_advice_to_recadv),
        "invoice": ("INVOIC", edifact.invoice_to_invoic),
    },
}


class Supplier:
    def __init__(self, account: SftpAccount, partner: PartnerConfig, standard: str) -> None:
        self.account, self.partner, self.standard = account, partner, standard
        self.control = 500
        self.order_prefix = "850-" if standard == "x12" else "ORDERS-"
        self.reply_prefix = "997-" if standard == "x12" else "CONTRL-"

    def outbound(self, prefix: str) -> list[Path]:
        folder = self.account.home / "outbound"
        return sorted(p for p in folder.iterdir() if p.name.startswith(prefix))

    def _drop(self, data: bytes) -> None:
        self.control += 1
        (self.account.home / "inbound" / f"doc-{self.control}").write_bytes(data)

    def read_order(self) -> PurchaseOrder:
        [sent] = self.outbound(self.order_prefix)
        data = sent.read_bytes()
        if self.standard == "x12":
            [order] = [
                x12.purchase_order_from_850(item)
                for item in x12.read_x12(data)
                if isinstance(item, x12.TransactionSet) and item.set_id == "850"
            ]
            return order
        [interchange] = edifact.read_edifact(data)
        return edifact.purchase_order_from_orders(interchange.accepted[0])

    def acknowledge_order(self, now: datetime) -> None:
        """The syntax acknowledgement of Crossdock's order: a 997 or a CONTRL."""
        [sent] = self.outbound(self.order_prefix)
        if self.standard == "x12":
            acks = list(x12.acknowledge(x12.read_x12(sent.read_bytes())))
            bodies = [x12.ack_to_997(ack) for ack in acks]
            self._drop(supplier_file(self.partner, "997", bodies, self.control + 1, now))
            return
        [interchange] = edifact.read_edifact(sent.read_bytes())
        reference = f"{self.control + 1:09d}"
        self._drop(edifact.build_contrl(interchange, reference=reference, prepared=now).encode())

    def send(self, kind: str, document: BaseModel, now: datetime) -> None:
        set_id, write = WRITERS[self.standard][kind]
        body = write(document)
        if self.standard == "x12":
            self._drop(supplier_file(self.partner, set_id, [body], self.control + 1, now))
        else:
            settings = as_supplier(self.partner)
            self._drop(edifact_interchange(settings, set_id, body, self.control + 1, now))

    def replies(self) -> dict[int, str]:
        """Crossdock's 997s / CONTRLs: the supplier interchange answered → the verdict."""
        found: dict[int, str] = {}
        for path in self.outbound(self.reply_prefix):
            data = path.read_bytes()
            if self.standard == "x12":
                for item in x12.read_x12(data):
                    if isinstance(item, x12.TransactionSet):
                        ack = x12.ack_from_997(item)
                        found[int(ack.group_control)] = ack.status.value
                continue
            for interchange in edifact.read_edifact(data):
                for message in interchange.accepted:
                    for segment in message.segments:
                        if segment.tag == "UCI":
                            found[int(segment.value(1))] = segment.value(4)
        return found

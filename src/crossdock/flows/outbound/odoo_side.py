"""The Odoo half of the outbound flow: the existing Odoo actions, through the pooled clients.

Validating the delivery with what was shipped (`actions_stock.validate_picking`: backorder or
cancel the rest, over-shipments refused, replays answer `already_done`), writing the tracking
number on it, and invoicing the order (`actions_sale.invoice_delivered_sale_order`, which
never invoices the same quantities twice).
"""

from __future__ import annotations

from collections.abc import Callable

from crossdock.config import PartnerConfig
from crossdock.connectors.odoo.actions import (
    InvoiceResult,
    PickingValidation,
    Shipment,
    ShippedLine,
    invoice_delivered_sale_order,
    set_carrier_tracking,
    validate_picking,
)
from crossdock.connectors.odoo.client import OdooClient
from crossdock.connectors.odoo.partner import OdooPartnerSettings
from crossdock.connectors.odoo.pool import CLIENTS, OdooClients
from crossdock.errors import PermanentError
from crossdock.flows.outbound.settings import BackorderPolicy
from crossdock.flows.outbound.shipping import LineShipment


class OdooSide:
    def __init__(
        self,
        partner_config: Callable[[str], PartnerConfig | None],
        clients: OdooClients = CLIENTS,
    ) -> None:
        self._partner_config = partner_config
        self._clients = clients

    def client(self, partner: str) -> OdooClient:
        config = self._partner_config(partner)
        if config is None or config.kind != "odoo":
            raise PermanentError(f"{partner!r} is not a configured Odoo partner")
        settings = OdooPartnerSettings.model_validate(config.settings).odoo
        return self._clients.get(partner, settings)

    async def validate(
        self,
        partner: str,
        picking_id: int,
        lines: list[LineShipment],
        policy: BackorderPolicy,
    ) -> PickingValidation:
        shipped: dict[int, ShippedLine] = {
            line.move_id: Shipment(float(line.quantity), line.lots)
            if line.lots
            else float(line.quantity)
            for line in lines
        }
        return await validate_picking(
            self.client(partner), picking_id, shipped, backorder=policy, key="move"
        )

    async def set_tracking(self, partner: str, picking_id: int, tracking: str) -> None:
        await set_carrier_tracking(self.client(partner), picking_id, tracking_ref=tracking)

    async def invoice(self, partner: str, order_name: str, *, post: bool) -> InvoiceResult | None:
        client = self.client(partner)
        found = await client.search("sale.order", [("name", "=", order_name)], limit=1)
        if not found:
            return None
        return await invoice_delivered_sale_order(client, found[0], post=post)

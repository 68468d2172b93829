"""Code tables: which Odoo state means which canonical event, and Odoo's names for units and
carriers translated to canonical codes. Partners override the last two in their settings.

States follow Odoo's selections: sale.order ``state`` (addons/sale/models/sale_order.py
``SALE_ORDER_STATE``: draft, sent, sale, cancel; 16 also ``done`` "Locked", which
"Lock Confirmed Sales" sets straight on confirmation), stock.picking ``state``
(addons/stock/models/stock_picking.py: draft, waiting, confirmed, assigned "Ready", done,
cancel) with ``picking_type_code`` incoming/outgoing/internal, purchase.order ``state``
(addons/purchase/models/purchase_order.py: draft, sent, to approve, purchase, done "Locked",
cancel; ``button_approve`` writes ``done`` at once when the company locks confirmed orders),
account.move ``move_type``/``state`` (addons/account/models/account_move.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from crossdock.canonical.common import WeightUnit
from crossdock.canonical.event_types import (
    FULFILLMENT_CANCELLED_V1,
    FULFILLMENT_REQUESTED_V1,
    ORDER_CANCELLED_V1,
    ORDER_CONFIRMED_V1,
    PURCHASE_ORDER_CONFIRMED_V1,
    RECEIPT_RECORDED_V1,
    SHIPMENT_CREATED_V1,
)
from crossdock.errors import ConfigError

SALE_ORDER_EVENTS: Mapping[str, str] = {
    "sale": ORDER_CONFIRMED_V1,
    "done": ORDER_CONFIRMED_V1,
    "cancel": ORDER_CANCELLED_V1,
}
PICKING_EVENTS: Mapping[tuple[str, str], str] = {
    ("outgoing", "assigned"): FULFILLMENT_REQUESTED_V1,
    ("outgoing", "done"): SHIPMENT_CREATED_V1,
    ("outgoing", "cancel"): FULFILLMENT_CANCELLED_V1,
    ("incoming", "done"): RECEIPT_RECORDED_V1,
}
# Outgoing picking states a partner may release in (``release_when``): "waiting" (Waiting
# Another Operation), "confirmed" (Waiting: stock not reserved yet) and "assigned" (Ready),
# per the ``state`` selection and its help text in addons/stock/models/stock_picking.py.
# ``assigned`` is always released: a delivery reserved at confirmation is never "confirmed".
RELEASABLE_PICKING_STATES = frozenset({"waiting", "confirmed", "assigned"})
DEFAULT_RELEASE_WHEN = frozenset({"assigned"})
PURCHASE_ORDER_EVENTS: Mapping[str, str] = {
    "purchase": PURCHASE_ORDER_CONFIRMED_V1,
    "done": PURCHASE_ORDER_CONFIRMED_V1,
}
INVOICE_DIRECTIONS: Mapping[str, str] = {"out_invoice": "customer", "in_invoice": "vendor"}
STOCKED_LOCATION_USAGES = frozenset({"internal", "transit"})

# UN/ECE Rec. 20 codes of Odoo's standard units, keyed by the English name in
# addons/uom/data/uom_data.xml. Odoo's own table (account_edi_ubl_cii's
# account_edi_common.py UOM_TO_UNECE_CODE, account/models/uom_uom.py from 19) is keyed by
# external id, which an API user without ir.model.data access cannot read.
UOM_CODES: Mapping[str, str] = {
    "units": "C62", "unit": "C62", "dozens": "DZN", "dozen": "DZN",
    "kg": "KGM", "g": "GRM", "t": "TNE", "lb": "LBR", "lbs": "LBR", "oz": "ONZ",
    "m": "MTR", "km": "KMT", "cm": "CMT", "mm": "MMT", "mi": "SMI", "ft": "FOT",
    "in": "INH", "yd": "YRD", "l": "LTR", "ml": "MLT", "m³": "MTQ", "m3": "MTQ",
    "gal (us)": "GLL", "fl oz (us)": "OZA", "qt (us)": "QT", "in³": "INQ", "ft³": "FTQ",
    "m²": "MTK", "m2": "MTK", "ft²": "FTK", "hours": "HUR", "days": "DAY", "minutes": "MIN",
}  # fmt: skip

# Odoo delivery_type values of carrier integrations → Crossdock carrier codes. fixed and
# base_on_rule are pricing rules, not carriers: those use the delivery method's name.
CARRIER_PROVIDERS: Mapping[str, str] = {
    "dhl": "dhl_express", "dhl_rest": "dhl_express", "fedex": "fedex", "fedex_rest": "fedex",
    "ups": "ups", "ups_rest": "ups", "usps": "usps", "usps_rest": "usps", "bpost": "bpost",
    "easypost": "easypost", "sendcloud": "sendcloud", "shiprocket": "shiprocket",
    "starshipit": "starshipit", "envia": "envia",
}  # fmt: skip
PRICING_PROVIDERS = frozenset({"fixed", "base_on_rule"})
_NOT_CODE = re.compile(r"[^a-z0-9]+")


def slug(name: str) -> str:
    """A Crossdock code from a free name: ``"DB Schenker Freight"`` → ``db_schenker_freight``."""
    return _NOT_CODE.sub("_", name.lower()).strip("_")[:64]


@dataclass(frozen=True)
class MappingOptions:
    """What a partner's settings may change in the Odoo mapping.

    Keys read from the settings: ``uom_codes`` (Odoo unit name → UN/ECE code),
    ``carrier_codes`` (delivery method name → carrier code), ``default_carrier_code`` (for
    deliveries shipped without a delivery method), ``weight_unit`` (the unit of Odoo's
    product weights: kg unless the database is set to pounds) and ``release_when`` (the
    outgoing picking states announced as a fulfillment request: ``assigned``, plus
    ``confirmed`` and ``waiting`` to release deliveries still waiting for stock).
    """

    uom_codes: Mapping[str, str] = field(default_factory=dict)
    carrier_codes: Mapping[str, str] = field(default_factory=dict)
    default_carrier_code: str | None = None
    weight_unit: WeightUnit = WeightUnit.KG
    release_when: frozenset[str] = DEFAULT_RELEASE_WHEN

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> MappingOptions:
        try:
            return cls(
                uom_codes={str(k).lower(): str(v) for k, v in _table(settings, "uom_codes")},
                carrier_codes={str(k): str(v) for k, v in _table(settings, "carrier_codes")},
                default_carrier_code=settings.get("default_carrier_code") or None,
                weight_unit=WeightUnit(settings.get("weight_unit") or WeightUnit.KG),
                release_when=release_states(settings.get("release_when")),
            )
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"Odoo mapping settings: {exc}") from None

    def picking_event(self, code: str, state: str) -> str | None:
        """The event an Odoo transfer in `state` raises: `PICKING_EVENTS`, plus a fulfillment
        request for an outgoing one in a state the partner releases in."""
        if code == "outgoing" and state in self.release_when:
            return FULFILLMENT_REQUESTED_V1
        return PICKING_EVENTS.get((code, state))

    def uom_code(self, name: str) -> str | None:
        key = name.strip().lower()
        return self.uom_codes.get(key) or UOM_CODES.get(key)

    def carrier_code(self, name: str, provider: str) -> str:
        """The carrier code of a delivery method: the settings, the provider, else its name."""
        if name in self.carrier_codes:
            return self.carrier_codes[name]
        if provider not in PRICING_PROVIDERS:
            return CARRIER_PROVIDERS.get(provider) or slug(provider)
        return slug(name)


def release_states(value: Any) -> frozenset[str]:
    """The `release_when` setting checked: known states only, and always `assigned`."""
    if value is None:
        return DEFAULT_RELEASE_WHEN
    if isinstance(value, str) or not isinstance(value, (list, tuple, set, frozenset)):
        raise TypeError(f"release_when must be a list of picking states, not {value!r}")
    states = frozenset(str(state) for state in value)
    if unknown := sorted(states - RELEASABLE_PICKING_STATES):
        known = ", ".join(sorted(RELEASABLE_PICKING_STATES))
        raise ValueError(f"release_when: {', '.join(unknown)} cannot be released (known: {known})")
    if "assigned" not in states:
        raise ValueError("release_when must include 'assigned': a ready delivery is released")
    return states


def _table(settings: Mapping[str, Any], key: str) -> list[tuple[Any, Any]]:
    value = settings.get(key) or {}
    if not isinstance(value, Mapping):
        raise TypeError(f"{key} must be a table, not {type(value).__name__}")
    return list(value.items())

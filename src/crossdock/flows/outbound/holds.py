"""Why a delivery order must not reach the warehouse yet: address, credit and policy holds.

Pure: the request and the rules in, the reasons out (empty when it may be released). A held
order is a visible exception; Odoo re-announces a ready delivery on every change, so fixing
the address (or lifting the credit hold in the config) and touching the order releases it.
"""

from __future__ import annotations

from decimal import Decimal

from crossdock.canonical.carrier import FulfillmentRequest
from crossdock.flows.outbound.settings import HoldRules


def hold_reasons(request: FulfillmentRequest, rules: HoldRules) -> list[str]:
    reasons: list[str] = []
    address = request.ship_to.address
    country = address.country_code.upper()
    required = {code.upper() for code in rules.postal_code_required}
    if country in required and not (address.postal_code or "").strip():
        reasons.append(f"address: {request.ship_to.name} in {country} has no postal code")
    if request.ship_to.name in rules.credit_hold or (
        request.ship_to.company is not None and request.ship_to.company in rules.credit_hold
    ):
        reasons.append(f"credit: {request.ship_to.name} is on credit hold")
    if country in {code.upper() for code in rules.blocked_countries}:
        reasons.append(f"policy: shipping to {country} is blocked")
    if rules.max_units_per_order is not None:
        units = sum((line.quantity.value for line in request.lines), Decimal(0))
        if units > rules.max_units_per_order:
            reasons.append(
                f"policy: {units} units is more than the {rules.max_units_per_order} allowed"
            )
    return reasons

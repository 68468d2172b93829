"""Which subscriptions want an event: its type, then the partner, customer and milestone filters.

Pure functions, so the rules are tested without a database. What each filter looks at:

- partner: the envelope's `partner` attribute;
- milestone: `data.milestone` (tracking milestone events);
- customer: any of `data.customer_ref`, `data.customer.ref`, `data.customer.name`,
  `data.customer.company`, `data.customer.email`, and, for customer invoices, the same
  fields of `data.partner`. An event that names no customer never matches a customer filter.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from crossdock.canonical.envelope import Envelope
from crossdock.connectors.notify.model import Filters, Subscription

_PARTY_FIELDS = ("ref", "name", "company", "email")


def type_matches(patterns: Iterable[str], event_type: str) -> bool:
    """Exact type, or a domain wildcard (`crossdock.shipment.*`) covering it."""
    for pattern in patterns:
        if pattern == event_type:
            return True
        if pattern.endswith(".*") and event_type.startswith(pattern[:-1]):
            return True
    return False


def _party_keys(party: Any) -> set[str]:
    if isinstance(party, str):
        return {party}
    if not isinstance(party, dict):
        return set()
    return {value for name in _PARTY_FIELDS if isinstance(value := party.get(name), str) and value}


def customer_keys(data: dict[str, Any]) -> set[str]:
    """Every identifier of the customer an event's data names (see the module docstring)."""
    keys: set[str] = set()
    ref = data.get("customer_ref")
    if isinstance(ref, str) and ref:
        keys.add(ref)
    keys |= _party_keys(data.get("customer"))
    if data.get("direction") == "customer":
        keys |= _party_keys(data.get("partner"))
    return keys


def filters_match(filters: Filters, envelope: Envelope) -> bool:
    if filters.partners and envelope.partner not in filters.partners:
        return False
    if filters.milestones and envelope.data.get("milestone") not in filters.milestones:
        return False
    return not filters.customers or bool(
        customer_keys(envelope.data).intersection(filters.customers)
    )


def matches(subscription: Subscription, envelope: Envelope) -> bool:
    return type_matches(subscription.event_types, envelope.type) and filters_match(
        subscription.filters, envelope
    )


def matching(subscriptions: Iterable[Subscription], envelope: Envelope) -> list[Subscription]:
    """The active subscriptions that want `envelope`, in id order."""
    return sorted(
        (sub for sub in subscriptions if sub.active and matches(sub, envelope)),
        key=lambda sub: sub.id,
    )

"""Rate shopping: which quoted rate a shipment is booked at. Pure, no I/O.

The order asks for a service level (its Odoo delivery method, mapped in
`rate_shopping.service_levels`). A rate satisfies it when its own level is at least as fast
(express > standard > economy: an express service meets a standard promise) and it is quoted
in the shopping currency. Among those the cheapest wins; on equal price the fewer transit
days, then the partner and service code, so the choice never depends on answer order. When
nothing satisfies the level the shipment is not booked: `NoRateForLevel` says why, and the
flow raises it as an exception. Never a silent fallback to a slower or pricier-by-default
service.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from crossdock.flows.outbound.gateway import Rate
from crossdock.flows.outbound.settings import RateShopping

SPEED: Mapping[str, int] = {"economy": 0, "standard": 1, "express": 2}


class NoRateForLevel(Exception):
    """No quoted rate meets the order's service level (or the level itself is unknown)."""


@dataclass(frozen=True)
class RateChoice:
    rate: Rate
    requested_level: str
    reason: str
    quotes: tuple[Rate, ...]

    def record(self) -> dict[str, Any]:
        """What is kept with the label: the rate booked, the level asked and why this one."""
        return {
            **_json(self.rate),
            "requested_level": self.requested_level,
            "reason": self.reason,
            "quotes": [_json(quote) for quote in self.quotes],
        }


def requested_level(service: str | None, shopping: RateShopping) -> str:
    """The level an order asks for: its delivery method's, or the default without one."""
    if service is None:
        return shopping.default_level
    if service in shopping.service_levels:
        return shopping.service_levels[service]
    if service.lower() in SPEED:
        return service.lower()
    known = ", ".join(sorted(shopping.service_levels)) or "none"
    raise NoRateForLevel(
        f"the delivery method {service!r} has no service level in "
        f"outbound.rate_shopping.service_levels (mapped: {known})"
    )


def choose_rate(quotes: Sequence[Rate], level: str, currency: str) -> RateChoice:
    """The cheapest quote meeting `level` in `currency`; ties go to fewer transit days."""
    wanted = SPEED[level]
    fitting = [
        quote
        for quote in quotes
        if SPEED.get(quote.service_level.lower(), -1) >= wanted and quote.currency == currency
    ]
    if not fitting:
        raise NoRateForLevel(
            f"no rate satisfies service level {level!r} in {currency}; quoted: "
            + ("; ".join(_describe(quote) for quote in quotes) or "nothing")
        )
    best = min(fitting, key=lambda q: (q.price, q.transit_days, q.partner, q.service_code))
    same_price = [q for q in fitting if q.price == best.price]
    reason = (
        f"cheapest of {len(fitting)} rate(s) meeting {level!r} in {currency} "
        f"(of {len(quotes)} quoted): {_describe(best)}"
    )
    if len(same_price) > 1:
        reason += f"; {len(same_price)} at that price, fewest transit days chosen"
    return RateChoice(best, level, reason, tuple(quotes))


def _describe(rate: Rate) -> str:
    return (
        f"{rate.partner}/{rate.service_code} {rate.service_level} {rate.price} {rate.currency}"
        f" {rate.transit_days}d"
    )


def _json(rate: Rate) -> dict[str, Any]:
    return {**asdict(rate), "price": str(rate.price)}

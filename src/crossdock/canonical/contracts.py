"""Versioned contracts: the event types and versions a connector declares it produces.

Checking a document against the JSON Schema of its version is in contract_validation.py;
comparing two published schema sets in contract_diff.py.
"""

from __future__ import annotations

from collections.abc import Iterable

from crossdock.canonical.envelope import Envelope
from crossdock.errors import MappingError


def undeclared(produces: frozenset[str] | None, envelopes: Iterable[Envelope]) -> list[str]:
    """Event types (with version) among `envelopes` that the connector does not declare."""
    if produces is None:
        return []
    return sorted({envelope.type for envelope in envelopes} - produces)


def check_declared(
    kind: str, produces: frozenset[str] | None, envelopes: list[Envelope]
) -> list[Envelope]:
    """`envelopes`, or MappingError naming the types the `kind` mapping may not produce:
    a partner relying on a contract version must never get another one unannounced."""
    outside = undeclared(produces, envelopes)
    if outside:
        raise MappingError(
            f"the {kind} mapping produced {', '.join(outside)}, which it does not declare "
            "among the contracts it produces"
        )
    return envelopes

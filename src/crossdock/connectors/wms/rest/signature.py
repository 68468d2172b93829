"""A REST WMS signs its webhooks with Standard Webhooks (several secrets, for rotation)."""

from __future__ import annotations

from crossdock.connectors.generic.signature import make_verifier

__all__ = ["make_verifier"]

"""Time-ordered identifiers (UUIDv7) so message and event ids sort by arrival."""

from __future__ import annotations

import os
import time
import uuid

NAMESPACE = uuid.UUID("6f1f6a52-6b0e-4c43-9d2c-5c3b1f0a7e11")


def new_id() -> str:
    """Return a UUIDv7 string: 48 bits of milliseconds, then random bits (RFC 9562)."""
    millis = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (millis & 0xFFFF_FFFF_FFFF) << 80
    value |= 0x7 << 76
    value |= ((rand >> 68) & 0xFFF) << 64
    value |= 0b10 << 62
    value |= rand & 0x3FFF_FFFF_FFFF_FFFF
    return str(uuid.UUID(int=value))


def derived_id(*parts: str) -> str:
    """Return a stable id derived from its parts, so a replayed step reuses the same id."""
    return str(uuid.uuid5(NAMESPACE, "\x1f".join(parts)))

"""What the Odoo business actions share: their errors and how they read one record.

The actions (`crossdock.connectors.odoo.actions`) raise the client's typed errors for what Odoo
refuses, and `ActionRefused` for what Crossdock refuses itself, before or after asking Odoo,
when retrying cannot change the outcome. Both are permanent: the job queue dead-letters them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from crossdock.connectors.odoo.errors import OdooMissingError, OdooPermanentError
from crossdock.connectors.odoo.operations import OdooOperations, Record

ACTIONS = "crossdock.actions"
"""The `name` of the errors Crossdock raises itself, where Odoo's carry `odoo.exceptions.X`."""

EPSILON = 1e-6
"""Quantities closer than this are equal: Odoo's own rounding is far coarser (0.01 by default)."""


class ActionRefused(OdooPermanentError):
    """Crossdock refused an action, or Odoo stopped it in a way a retry cannot change.

    Raised before anything is written when the request cannot be right (a cancelled transfer,
    an unknown lot, nothing shipped), and after Odoo answered when it asked a question Crossdock
    does not answer (a wizard other than the backorder and immediate-transfer ones).
    """

    def __init__(self, message: str) -> None:
        super().__init__(message, name=ACTIONS)


class OverShipment(ActionRefused):
    """More was reported shipped (or received) than the transfer asks for.

    Odoo would accept it and record the extra quantity, so it is refused before anything is
    sent: an over-shipment is a data error upstream (a wrong scan, a duplicated message).
    `key` is the product or move id as the caller gave it; a key that is not on the transfer
    at all has `demand` 0.
    """

    def __init__(self, message: str, *, key: int, demand: float, shipped: float) -> None:
        self.key = key
        self.demand = demand
        self.shipped = shipped
        super().__init__(message)


def many2one_id(value: Any) -> int | None:
    """The id of a many2one as `read` answers it: `[id, display_name]`, a bare id, or False."""
    if isinstance(value, list | tuple) and value:
        value = value[0]
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return None


def id_list(value: Any) -> tuple[int, ...]:
    """The ids of an x2many as `read` answers it (a list of ids; False never, but be lenient)."""
    if not isinstance(value, list | tuple):
        return ()
    return tuple(v for v in value if isinstance(v, int) and not isinstance(v, bool))


async def read_one(
    client: OdooOperations, model: str, record_id: int, fields: Sequence[str]
) -> Record:
    """One record; `read` skips deleted ids silently, so an empty answer is a MissingError."""
    rows = await client.read(model, [record_id], fields)
    if not rows:
        raise OdooMissingError(f"{model}({record_id}) does not exist (any more)", name=ACTIONS)
    return rows[0]

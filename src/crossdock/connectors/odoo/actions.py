"""The Odoo actions Crossdock's business flows use: small, typed, safe to run again.

Each action is an async function over the client that returns a small frozen dataclass and
raises the client's typed errors (`OdooUserError`, `OdooMissingError`, ... and the retryable
ones), plus `ActionRefused` / `OverShipment` for what Crossdock refuses itself. Every action
can be replayed by the job queue after a crash or a timeout without doing the work twice:

| action | RPCs | replay |
| --- | --- | --- |
| `set_carrier_tracking` | 1 write | writes the same values |
| `post_milestone` | search + `message_post` | finds the note, posts nothing |
| `schedule_exception_activity` | search + `activity_schedule` | finds the open activity |
| `validate_picking`, `validate_receipt` | 5 (see `actions_stock`) | `already_done` |
| `invoice_delivered_sale_order` | 4 (see `actions_sale`) | `already_invoiced` |

This module holds the chatter and carrier actions; transfers are in `actions_stock` (with the
pure quantity planning in `actions_shipment`) and invoicing in `actions_sale`, all re-exported
here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from crossdock.connectors.odoo.actions_common import (
    ActionRefused,
    OverShipment,
)
from crossdock.connectors.odoo.actions_sale import (
    InvoiceOutcome,
    InvoiceResult,
    invoice_delivered_sale_order,
)
from crossdock.connectors.odoo.actions_shipment import (
    KeyKind,
    Shipment,
    ShippedLine,
    StockFields,
)
from crossdock.connectors.odoo.actions_stock import (
    BackorderPolicy,
    PickingValidation,
    answer_validation_wizards,
    stock_fields,
    validate_picking,
    validate_receipt,
)
from crossdock.connectors.odoo.errors import OdooUsageError
from crossdock.connectors.odoo.operations import Domain, OdooOperations

TODO_ACTIVITY = "mail.mail_activity_data_todo"
NOTE_SUBTYPE = "mail.mt_note"
_MILESTONE = re.compile(r"^\w[\w .:/-]*$")
_ACTIVITY_RECORDSET = re.compile(r"^mail\.activity\(([\d,\s]*)\)$")

__all__ = [
    "NOTE_SUBTYPE",
    "TODO_ACTIVITY",
    "ActionRefused",
    "ActivityResult",
    "BackorderPolicy",
    "InvoiceOutcome",
    "InvoiceResult",
    "KeyKind",
    "MilestoneResult",
    "OverShipment",
    "PickingValidation",
    "Shipment",
    "ShippedLine",
    "StockFields",
    "TrackingResult",
    "answer_validation_wizards",
    "invoice_delivered_sale_order",
    "milestone_marker",
    "post_milestone",
    "schedule_exception_activity",
    "set_carrier_tracking",
    "stock_fields",
    "validate_picking",
    "validate_receipt",
]


@dataclass(frozen=True)
class TrackingResult:
    picking_id: int
    tracking_ref: str
    carrier_id: int | None


@dataclass(frozen=True)
class MilestoneResult:
    """The chatter note of a milestone; `created` is False when an earlier run had posted it."""

    message_id: int
    created: bool


@dataclass(frozen=True)
class ActivityResult:
    """The To-Do activity; `created` is False when one with that summary was still open."""

    activity_id: int
    created: bool


async def set_carrier_tracking(
    client: OdooOperations,
    picking_id: int,
    *,
    carrier_id: int | None = None,
    tracking_ref: str,
) -> TrackingResult:
    """Write the carrier and its tracking number on a transfer: one `write`, idempotent.

    `carrier_id` and `carrier_tracking_ref` are stock.picking fields of the `delivery` module
    (`stock_delivery` from 17). Without `carrier_id` the transfer keeps its carrier.
    """
    ref = tracking_ref.strip()
    if not ref:
        raise OdooUsageError("tracking_ref must not be empty")
    vals: dict[str, Any] = {"carrier_tracking_ref": ref}
    if carrier_id is not None:
        vals["carrier_id"] = carrier_id
    await client.write("stock.picking", [picking_id], vals)
    return TrackingResult(picking_id, ref, carrier_id)


def milestone_marker(milestone: str, occurred_at: datetime) -> str:
    """The start of a milestone's note, unique per milestone and time: what a replay finds.

    Limited to characters HTML escaping leaves alone, since Odoo escapes plain-text bodies and
    the search runs on the stored HTML.
    """
    if not _MILESTONE.match(milestone):
        raise OdooUsageError(
            f"milestone {milestone!r} must be letters, digits, spaces and . : / - _ only"
        )
    if occurred_at.tzinfo is None or occurred_at.utcoffset() is None:
        raise OdooUsageError("occurred_at must be timezone-aware")
    when = occurred_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    return f"Tracking milestone {milestone} at {when}"


async def post_milestone(
    client: OdooOperations,
    model: str,
    record_id: int,
    *,
    milestone: str,
    text: str,
    occurred_at: datetime,
) -> MilestoneResult:
    """Log a tracking milestone as an internal note in the record's chatter, once.

    addons/mail/models/mail_thread.py `message_post(*, body, message_type, subtype_xmlid,
    ...)` with `message_type='comment'` and `subtype_xmlid='mail.mt_note'`: a note, so
    followers are not e-mailed. The body is plain text (Odoo escapes it):
    "Tracking milestone <milestone> at <UTC time>: <text>". A `mail.message` search for that
    marker first makes a replay post nothing. 2 RPCs, 1 on a replay.
    """
    marker = milestone_marker(milestone, occurred_at)
    domain: Domain = [("model", "=", model), ("res_id", "=", record_id), ("body", "ilike", marker)]
    if found := await client.search("mail.message", domain, limit=1, order="id"):
        return MilestoneResult(found[0], created=False)
    body = f"{marker}: {text.strip()}" if text.strip() else marker
    message_id = await client.message_post(
        model, record_id, body, message_type="comment", subtype_xmlid=NOTE_SUBTYPE
    )
    return MilestoneResult(message_id, created=True)


async def schedule_exception_activity(
    client: OdooOperations,
    model: str,
    record_id: int,
    *,
    summary: str,
    note: str,
    deadline: date,
    user_id: int | None = None,
) -> ActivityResult:
    """Ask a person to handle an exception: a To-Do activity on the record, once while open.

    addons/mail/models/mail_activity_mixin.py `activity_schedule(act_type_xmlid='',
    date_deadline=None, summary='', note='', **act_values)` resolves the xmlid itself, so the
    bot needs no access to ir.model.data; `user_id` goes through `act_values` (default: the
    type's default user, else the bot). An open activity with the same summary on the record
    answers instead (done activities are deleted, so a recurring exception schedules anew).
    2 RPCs, 1 on a replay, 3 when Odoo answers the recordset in a form without ids.
    """
    if isinstance(deadline, datetime):
        raise OdooUsageError("deadline is a date, not a datetime (Odoo's date_deadline)")
    if not summary.strip():
        raise OdooUsageError("summary must not be empty: it identifies the activity on replay")
    domain: Domain = [
        ("res_model", "=", model),
        ("res_id", "=", record_id),
        ("summary", "=", summary),
    ]
    if found := await client.search("mail.activity", domain, limit=1, order="id"):
        return ActivityResult(found[0], created=False)
    kwargs: dict[str, Any] = {
        "act_type_xmlid": TODO_ACTIVITY,
        "date_deadline": deadline.isoformat(),
        "summary": summary,
        "note": note,
    }
    if user_id is not None:
        kwargs["user_id"] = user_id
    answer = await client.call(model, "activity_schedule", ids=[record_id], kwargs=kwargs)
    ids = _activity_ids(answer) or await client.search(
        "mail.activity", domain, limit=1, order="id desc"
    )
    if not ids:
        raise ActionRefused(f"{model}({record_id}).activity_schedule created no activity")
    return ActivityResult(ids[0], created=True)


def _activity_ids(answer: Any) -> list[int]:
    """The ids in `activity_schedule`'s answer, a recordset on the wire.

    18+ send its ids (odoo/service/model.py `call_kw`), 16/17 its `str()`:
    "mail.activity(5,)"; False when `mail_activity_automation_skip` is in the context.
    """
    if isinstance(answer, int) and not isinstance(answer, bool):
        return [answer]
    if isinstance(answer, list):
        return [i for i in answer if isinstance(i, int) and not isinstance(i, bool)]
    if isinstance(answer, str) and (match := _ACTIVITY_RECORDSET.match(answer.strip())):
        return [int(part) for part in match.group(1).split(",") if part.strip()]
    return []

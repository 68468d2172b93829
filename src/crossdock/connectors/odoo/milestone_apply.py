"""The Odoo writes of one milestone flush, each one RPC for the whole batch.

Called by `milestones.make_flush` with the parcels it resolved to pickings. The order is
chosen so a failure can be retried without doubling anything: the idempotent writes come
first (delivered dates by `load`, activities and attachments after a search for what is
already there), the chatter notes last, and a retried flush looks for its notes' references
before posting them again.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from crossdock.connectors.odoo.actions import TODO_ACTIVITY
from crossdock.connectors.odoo.milestone_notes import (
    exception_note,
    exception_summary,
    note_body,
    reference,
)
from crossdock.connectors.odoo.operations import OdooOperations
from crossdock.connectors.odoo.partner import MilestoneConfig
from crossdock.errors import PermanentError
from crossdock.store.buffers import Buffered
from crossdock.store.tracking import TrackingRow

PICKING = "stock.picking"
ODOO_DATETIME = "%Y-%m-%d %H:%M:%S"


@dataclass(frozen=True)
class Resolved:
    """One buffered parcel, the picking it belongs to, and where the parcel stands now."""

    item: Buffered
    picking_id: int
    responsible_id: int | None
    state: TrackingRow | None

    @property
    def entries(self) -> list[dict[str, Any]]:
        return list(self.item.payload.get("entries", []))

    @property
    def current(self) -> str | None:
        return self.state.milestone if self.state is not None else None


async def write_delivered_dates(
    client: OdooOperations, config: MilestoneConfig, parcels: list[Resolved]
) -> int:
    """Every delivered parcel's date in one `load` (one value per record, one RPC)."""
    field = config.delivered_date_field
    rows = [
        [str(p.picking_id), p.state.delivered_at.astimezone(UTC).strftime(ODOO_DATETIME)]
        for p in parcels
        if field and p.state is not None and p.current == "delivered" and p.state.delivered_at
    ]
    if not field or not rows:
        return 0
    # `load` reads datetimes in the context's time zone; the values are UTC.
    result = await client.load(PICKING, [".id", field], rows, context={"tz": "UTC"})
    if result.errors:
        problems = "; ".join(str(m.get("message")) for m in result.errors)
        raise PermanentError(
            f"Odoo refused the delivered dates in {PICKING}.{field}: {problems} "
            "(is the field there? set milestones.delivered_date_field, or null to skip)"
        )
    return len(rows)


async def schedule_exception_activities(
    client: OdooOperations, config: MilestoneConfig, parcels: list[Resolved], today: date
) -> int:
    """A To-Do for each parcel now in exception, unless one with that summary is open.

    One search, then one `activity_schedule` per (summary, assignee, note) on all the
    pickings that share it: Odoo schedules one activity per record of the call.
    """
    if not config.exception_activities:
        return 0
    wanted: dict[int, tuple[str, int | None, str]] = {}
    for parcel in parcels:
        if parcel.current != "exception" or parcel.state is None:
            continue
        latest = _latest(parcel.entries, "exception")
        text = str(latest.get("text") or "") if latest else ""
        user = parcel.responsible_id or config.exception_user_id
        wanted[parcel.picking_id] = (
            exception_summary(parcel.state.exception_reason),
            user,
            exception_note(text),
        )
    if not wanted:
        return 0
    open_activities = await client.search_read(
        "mail.activity",
        [
            ("res_model", "=", PICKING),
            ("res_id", "in", sorted(wanted)),
            ("summary", "in", sorted({summary for summary, _u, _n in wanted.values()})),
        ],
        ["res_id", "summary"],
    )
    already = {(a["res_id"], a["summary"]) for a in open_activities}
    groups: dict[tuple[str, int | None, str], list[int]] = defaultdict(list)
    for picking_id, key in sorted(wanted.items()):
        if (picking_id, key[0]) not in already:
            groups[key].append(picking_id)
    deadline = (today + timedelta(days=config.exception_deadline_days)).isoformat()
    for (summary, user, note), ids in groups.items():
        kwargs: dict[str, Any] = {
            "act_type_xmlid": TODO_ACTIVITY,
            "date_deadline": deadline,
            "summary": summary,
            "note": note,
        }
        if user is not None:
            kwargs["user_id"] = user
        await client.call(PICKING, "activity_schedule", ids=ids, kwargs=kwargs)
    return sum(len(ids) for ids in groups.values())


async def attach_proofs_of_delivery(
    client: OdooOperations, config: MilestoneConfig, parcels: list[Resolved]
) -> int:
    """Signature and photo links as URL attachments of the picking, each once."""
    if not config.attach_proof_of_delivery:
        return 0
    wanted: list[dict[str, Any]] = []
    for parcel in parcels:
        if parcel.current != "delivered":
            continue
        tracking = str(parcel.item.payload.get("tracking_number"))
        for item in parcel.entries:
            pod = item.get("pod") or {}
            links = [("signature", pod.get("signature_url"))]
            links += [("photo", url) for url in pod.get("photo_urls") or []]
            wanted += [
                {
                    "name": f"Proof of delivery ({kind}), tracking {tracking}",
                    "type": "url",
                    "url": url,
                    "res_model": PICKING,
                    "res_id": parcel.picking_id,
                }
                for kind, url in links
                if url
            ]
    if not wanted:
        return 0
    present = await client.search_read(
        "ir.attachment",
        [
            ("res_model", "=", PICKING),
            ("res_id", "in", sorted({w["res_id"] for w in wanted})),
            ("type", "=", "url"),
        ],
        ["res_id", "url"],
    )
    seen = {(a["res_id"], a["url"]) for a in present}
    new = []
    for vals in wanted:
        if (vals["res_id"], vals["url"]) not in seen:
            seen.add((vals["res_id"], vals["url"]))
            new.append(vals)
    await client.create("ir.attachment", new)
    return len(new)


async def post_history_notes(
    client: OdooOperations, parcels: list[Resolved], *, retried: bool
) -> int:
    """Each parcel's new entries as one chatter note; all notes in one `create`.

    Messages are created directly with `model`/`res_id` (what `message_post` stores, without
    one call per picking). A retried flush first drops entries whose reference is already
    in the picking's chatter: Odoo may have saved them before the last attempt failed.
    """
    posted: set[tuple[int, str]] = set()
    if retried and parcels:
        found = await client.search_read(
            "mail.message",
            [
                ("model", "=", PICKING),
                ("res_id", "in", sorted({p.picking_id for p in parcels})),
                ("body", "ilike", "ref "),
            ],
            ["res_id", "body"],
        )
        posted = {(m["res_id"], str(m["body"])) for m in found}
    notes = []
    for parcel in parcels:
        bodies = [body for res_id, body in posted if res_id == parcel.picking_id]
        entries = [
            e for e in parcel.entries if not any(reference(str(e["id"])) in b for b in bodies)
        ]
        if not entries:
            continue
        payload = parcel.item.payload
        notes.append(
            {
                "model": PICKING,
                "res_id": parcel.picking_id,
                "body": note_body(
                    str(payload.get("tracking_number")),
                    str(payload.get("carrier") or ""),
                    entries,
                    int(payload.get("omitted") or 0),
                ),
                "message_type": "comment",
            }
        )
    await client.create("mail.message", notes)
    return len(notes)


def _latest(entries: list[dict[str, Any]], milestone: str) -> dict[str, Any] | None:
    matching = [e for e in entries if e.get("milestone") == milestone]
    return max(matching, key=lambda e: str(e["at"])) if matching else None


def today_of(now: datetime) -> date:
    return now.astimezone(UTC).date()

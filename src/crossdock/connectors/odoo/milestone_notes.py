"""What a parcel's milestones look like in Odoo: buffered entries and the chatter note.

Pure functions. A buffered entry keeps what the note needs from one `milestone_recorded`
event; the note lists a parcel's new entries in event-time order (late ones included: the
history is complete, the status follows the tracking flow's rules), each with a short
reference to its Crossdock event so a note can be traced back, and so that a flush retried
after Odoo already saved its notes can tell what is there.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime
from typing import Any

from crossdock.canonical.common import LocationRef
from crossdock.canonical.milestones import TrackingMilestone

REF_LENGTH = 13  # "1b2c3d4e-5f60": unique enough within one parcel's history


def reference(event_id: str) -> str:
    return f"ref {event_id[:REF_LENGTH]}"


def place(location: LocationRef | None) -> str | None:
    if location is None:
        return None
    parts = [location.name or location.code, location.city, location.region, location.country_code]
    text = ", ".join(str(part) for part in parts if part)
    return text or location.postal_code


def entry(milestone: TrackingMilestone, event_id: str) -> dict[str, Any]:
    """One history entry as kept in the coalescing buffer (JSON)."""
    pod = milestone.proof_of_delivery
    return {
        "id": event_id,
        "at": milestone.occurred_at.astimezone(UTC).isoformat(),
        "milestone": milestone.milestone.value,
        "reason": milestone.exception_reason.value if milestone.exception_reason else None,
        "code": milestone.raw_code,
        "text": milestone.raw_text,
        "location": place(milestone.location),
        "pod": pod.model_dump(mode="json") if pod is not None else None,
    }


def words(code: str) -> str:
    return code.replace("_", " ")


def when(iso: str) -> str:
    return datetime.fromisoformat(iso).astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _line(item: dict[str, Any]) -> str:
    head = f"<b>{html.escape(words(str(item['milestone'])))}</b>"
    if item.get("reason"):
        head += f" ({html.escape(words(str(item['reason'])))})"
    parts = [html.escape(when(str(item["at"]))), head]
    if item.get("text"):
        parts.append(html.escape(str(item["text"])))
    if item.get("location"):
        parts.append(html.escape(str(item["location"])))
    pod = item.get("pod") or {}
    if pod.get("signed_by"):
        parts.append(f"signed by {html.escape(str(pod['signed_by']))}")
    return f"<li>{' · '.join(parts)} <small>{reference(str(item['id']))}</small></li>"


def note_body(
    tracking_number: str, carrier: str, entries: list[dict[str, Any]], omitted: int = 0
) -> str:
    """The chatter note for a parcel's new entries (HTML, as Odoo stores message bodies)."""
    lines = "".join(_line(item) for item in sorted(entries, key=lambda i: str(i["at"])))
    body = (
        f"<p>Tracking <b>{html.escape(tracking_number)}</b> ({html.escape(carrier)})</p>"
        f"<ul>{lines}</ul>"
    )
    if omitted:
        body += f"<p>{omitted} earlier tracking events were not written while Odoo was away.</p>"
    return body


def exception_summary(reason: str | None) -> str:
    """The activity's summary; one open activity per parcel and summary."""
    return f"Carrier exception: {words(reason or 'other')}"


def exception_note(text: str) -> str:
    said = f" The carrier says: {html.escape(text)}." if text else ""
    return (
        f"<p>The carrier reported a problem with this delivery.{said} "
        "The tracking history is in the chatter.</p>"
    )

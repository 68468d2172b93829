"""What every carrier mapping ends with: a validated milestone on its shipment's lane."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from crossdock.canonical.envelope import Envelope
from crossdock.canonical.event_types import SHIPMENT_MILESTONE_RECORDED_V1
from crossdock.canonical.milestones import Milestone, TrackingMilestone
from crossdock.canonical.registry import build_event
from crossdock.connectors.base import InboundMessage
from crossdock.errors import MappingError


def milestone_event(
    message: InboundMessage,
    fields: Mapping[str, Any],
    *,
    source: str,
    event_id: str,
    place: str,
) -> Envelope:
    """Validate `fields` as a TrackingMilestone (a refusal is a MappingError at `place`) and
    wrap it in its envelope: subject the tracking number, lane `shipment:<tracking>`, time
    the event's own time. `event_id` is derived from the entry's content by the caller, so a
    resent history entry keeps its id."""
    try:
        data = TrackingMilestone.model_validate(dict(fields))
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, err['loc']))}: {err['msg']}" for err in exc.errors()
        )
        raise MappingError(problems, place) from None
    return build_event(
        SHIPMENT_MILESTONE_RECORDED_V1,
        data,
        source=source,
        subject=data.tracking_number,
        correlationid=message.correlation_id,
        partner=message.partner,
        lanekey=f"shipment:{data.tracking_number}",
        event_id=event_id,
        time=data.occurred_at,
    )


def proof_of_delivery(
    milestone: Milestone,
    *,
    signed_by: Any = None,
    signature_url: Any = None,
    photo_urls: Any = (),
) -> dict[str, Any] | None:
    """The proof-of-delivery fields of a delivered milestone, from whatever the carrier sent.

    Carriers put the signer on the whole tracker, not on one scan: it belongs to the
    delivered entry only. Blank or non-text values are ignored rather than refused, since
    they are extras, not the milestone itself.
    """
    if milestone is not Milestone.DELIVERED:
        return None

    def text(value: Any) -> str | None:
        return value.strip() if isinstance(value, str) and value.strip() else None

    photos = [url for url in (text(u) for u in photo_urls or ()) if url]
    found = {
        "signed_by": text(signed_by),
        "signature_url": text(signature_url),
        "photo_urls": photos,
    }
    return found if found["signed_by"] or found["signature_url"] or photos else None

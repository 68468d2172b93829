"""CloudEvents 1.0 envelope that wraps every canonical payload, with Crossdock extensions."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator, model_validator

from crossdock.canonical.errors import InvalidEnvelope, describe_validation_error
from crossdock.canonical.event_types import EVENT_TYPE_PATTERN, parse_event_type
from crossdock.canonical.primitives import CanonicalModel, NonEmptyStr, Timestamp

SPEC_VERSION: Literal["1.0"] = "1.0"
JSON_CONTENT_TYPE = "application/json"

# Extension attributes Crossdock adds on top of the CloudEvents core attributes.
EXTENSION_ATTRIBUTES = ("correlationid", "partner", "lanekey", "schemaversion")

_JSON_MEDIA_TYPE_RE = re.compile(r"^application/([a-z0-9.+-]+\+)?json(\s*;.*)?$", re.IGNORECASE)


class Envelope(CanonicalModel):
    """One event on the wire: CloudEvents context attributes plus the canonical ``data``.

    Attribute names follow CloudEvents exactly (lowercase, no separators) so the
    structured-mode JSON is a valid CloudEvent without any renaming.
    """

    specversion: Literal["1.0"] = SPEC_VERSION
    id: NonEmptyStr
    """Unique per ``source``; consumers use (source, id) to drop duplicates."""
    source: NonEmptyStr
    """URI-reference of the producer, e.g. ``/odoo/acme`` or ``/carriers/dhl_express``."""
    type: str = Field(json_schema_extra={"pattern": EVENT_TYPE_PATTERN})
    """Event type, ``crossdock.<domain>.<event>.v<major>``."""
    subject: str | None = Field(default=None, min_length=1)
    """What the event is about within the source, e.g. an order number or tracking number."""
    time: Timestamp
    """When the occurrence happened; required and timezone-aware so ordering is unambiguous."""
    datacontenttype: str = JSON_CONTENT_TYPE
    dataschema: str | None = Field(default=None, min_length=1)
    """URI of the JSON Schema ``data`` conforms to."""
    data: dict[str, Any]
    correlationid: str | None = Field(default=None, min_length=1)
    """Shared by every event caused by the same original trigger, for end-to-end tracing."""
    partner: str | None = Field(default=None, min_length=1)
    """Code of the logistics partner the event came from or is going to."""
    lanekey: str | None = Field(default=None, min_length=1)
    """Key of the integration lane (a configured flow to one partner) that carries the event."""
    schemaversion: int = Field(ge=1)
    """Major version of the ``data`` schema; always equals the ``v<major>`` of ``type``."""

    @field_validator("type")
    @classmethod
    def _valid_type(cls, value: str) -> str:
        parse_event_type(value)
        return value

    @field_validator("datacontenttype")
    @classmethod
    def _json_content(cls, value: str) -> str:
        # ``data`` is always a JSON object here; other media types would need data_base64.
        if not _JSON_MEDIA_TYPE_RE.fullmatch(value):
            raise ValueError(f"datacontenttype must be a JSON media type, got {value!r}")
        return value

    @model_validator(mode="after")
    def _version_matches_type(self) -> Envelope:
        # The major version lives in both places so brokers can filter on either; a
        # mismatch means the producer built the event wrong.
        major = parse_event_type(self.type).major
        if self.schemaversion != major:
            raise ValueError(
                f"schemaversion {self.schemaversion} does not match the major version "
                f"v{major} of type {self.type!r}"
            )
        return self

    def to_cloudevent(self) -> dict[str, Any]:
        """Return the structured-mode CloudEvents JSON object, with extensions at top level."""
        document = self.model_dump(mode="json")
        # CloudEvents forbids null attribute values: absent optional attributes are omitted.
        # Only top-level attributes are filtered; ``data`` is passed through untouched.
        return {key: value for key, value in document.items() if value is not None}

    @classmethod
    def from_cloudevent(cls, document: dict[str, Any]) -> Envelope:
        """Read a structured-mode CloudEvent; InvalidEnvelope lists every problem found."""
        if not isinstance(document, dict):
            raise InvalidEnvelope(
                f"a CloudEvent must be a JSON object, got {type(document).__name__}"
            )
        if "specversion" not in document:
            raise InvalidEnvelope("invalid CloudEvent: specversion is required")
        if "data_base64" in document:
            raise InvalidEnvelope("invalid CloudEvent: data_base64 is not supported, use data")
        try:
            return cls.model_validate(document)
        except ValidationError as error:
            raise InvalidEnvelope(
                f"invalid CloudEvent: {describe_validation_error(error)}"
            ) from error

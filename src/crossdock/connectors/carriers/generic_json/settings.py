"""The declarative mapping a generic JSON carrier is configured with (partner `settings`).

Every JMESPath expression is compiled and every milestone and reason checked against the
canonical enums when the configuration is validated, so `crossdock check` names the exact
setting that is wrong (`partners[i].settings.fields.city: ...`) before any message arrives.

Field paths convention: `fields` are evaluated on each selected event; `root_fields` are
evaluated once on the whole body and fill any field the event does not give (an event value
wins). `tracking_number`, `status` and `occurred_at` must be given in one of the two, and the
carrier must come from `carrier_code` or a `carrier` field path.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

import jmespath
from jmespath.exceptions import JMESPathError
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from crossdock.canonical.milestones import ExceptionReason, Milestone
from crossdock.canonical.primitives import Code
from crossdock.connectors.carriers.settings import PollingSettings, SecretRef, api_given
from crossdock.security.secrets import SECRET_REF_PATTERN

# Milestones that may carry a reason (as `TrackingMilestone` allows).
WITH_REASON = frozenset(
    {Milestone.EXCEPTION, Milestone.DELIVERY_ATTEMPTED, Milestone.RETURNED_TO_SENDER}
)


def _compiles(expression: str) -> str:
    try:
        jmespath.compile(expression)
    except JMESPathError as exc:
        raise ValueError(f"invalid JMESPath expression {expression!r}: {exc}") from None
    return expression


JmesPath = Annotated[str, Field(min_length=1), AfterValidator(_compiles)]
"""A JMESPath expression, checked to compile."""

REQUIRED_FIELDS = ("tracking_number", "status", "occurred_at")


class FieldPaths(BaseModel):
    """One JMESPath per canonical field; unset fields are simply not read."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    tracking_number: JmesPath | None = None
    status: JmesPath | None = None
    """The carrier's raw status code, looked up in `codes`."""
    occurred_at: JmesPath | None = None
    """An ISO 8601 time with a zone offset (or `Z`)."""
    text: JmesPath | None = None
    carrier: JmesPath | None = None
    estimated_delivery_at: JmesPath | None = None
    location_code: JmesPath | None = None
    location_name: JmesPath | None = None
    city: JmesPath | None = None
    region: JmesPath | None = None
    postal_code: JmesPath | None = None
    country: JmesPath | None = None
    """ISO 3166-1 alpha-2; other values are dropped rather than failing the event."""


class CodeTarget(BaseModel):
    """What one carrier status code means: a milestone and, for problems, a reason.

    Written either as a bare milestone (`DL: delivered`) or as a mapping
    (`EX: {milestone: exception, reason: delayed}`). A bare `exception` gets reason `other`.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    milestone: Milestone
    reason: ExceptionReason | None = None

    @model_validator(mode="before")
    @classmethod
    def _bare_milestone(cls, value: Any) -> Any:
        return {"milestone": value} if isinstance(value, str) else value

    @model_validator(mode="after")
    def _reason_fits(self) -> CodeTarget:
        if self.reason is not None and self.milestone not in WITH_REASON:
            allowed = ", ".join(sorted(WITH_REASON))
            raise ValueError(
                f"a reason is only allowed for milestones {allowed}, not {self.milestone.value!r}"
            )
        if self.milestone is Milestone.EXCEPTION and self.reason is None:
            return self.model_copy(update={"reason": ExceptionReason.OTHER})
        return self


class GenericApi(BaseModel):
    """A carrier's tracking endpoint: one GET per tracking number, answered with JSON that
    the same `events`/`fields` mapping reads as its webhooks (no second mapping to keep).

    `url_template` names `{tracking_number}` and may name `{carrier_code}`; `token`, when
    given, is sent as `Authorization: Bearer <token>`.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    url_template: str = Field(pattern=r"^https?://")
    token: SecretRef | None = None
    timeout: timedelta = timedelta(seconds=10)

    @field_validator("url_template")
    @classmethod
    def _names_the_number(cls, value: str) -> str:
        if "{tracking_number}" not in value:
            raise ValueError("must contain {tracking_number}")
        try:
            value.format(tracking_number="x", carrier_code="x")
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(
                f"only {{tracking_number}} and {{carrier_code}} may be named: {exc}"
            ) from None
        return value

    @field_validator("token")
    @classmethod
    def _is_reference(cls, value: str | None) -> str | None:
        if value is not None and not SECRET_REF_PATTERN.match(value):
            raise ValueError("must be a secret reference (env:NAME or file:/path)")
        return value


class GenericCarrierSettings(BaseModel):
    """A generic JSON carrier: where the events are, how to read them, what codes mean."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    carrier_code: Code | None = None
    """Fixed carrier code; otherwise the `carrier` field path gives it per event."""
    events: JmesPath = "[@]"
    """JMESPath to the list of events in the body; `[@]` treats the body as one event."""
    fields: FieldPaths
    root_fields: FieldPaths = FieldPaths()
    codes: dict[str, CodeTarget] = Field(default_factory=dict)
    signature_tolerance_seconds: float | None = Field(default=None, gt=0)
    """Standard Webhooks timestamp tolerance; the library default when unset."""
    api: GenericApi | None = None
    polling: PollingSettings = PollingSettings()

    @field_validator("polling")
    @classmethod
    def _polling_has_api(cls, value: PollingSettings, info: ValidationInfo) -> PollingSettings:
        return api_given(value, info)

    @model_validator(mode="after")
    def _required_fields_given(self) -> GenericCarrierSettings:
        missing = [
            name
            for name in REQUIRED_FIELDS
            if getattr(self.fields, name) is None and getattr(self.root_fields, name) is None
        ]
        if missing:
            raise ValueError("fields (or root_fields) must give a path for " + ", ".join(missing))
        carrier_paths = (self.fields.carrier, self.root_fields.carrier)
        if self.carrier_code is None and carrier_paths == (None, None):
            raise ValueError("give carrier_code or a fields.carrier / root_fields.carrier path")
        return self

"""The declaration of a REST WMS (partner `settings`): endpoints, auth, payloads, events, codes.

Everything partner-specific is YAML: the paths and methods of its endpoints, how it
authenticates (an API key header, or OAuth2 client credentials), the JSON it expects for a
release (a template whose leaves are JMESPath expressions over the canonical request), how
its webhooks name their events and where each canonical field is (one JMESPath per event
kind, producing the canonical data), and its codes for SKUs, units, warehouses and carrier
services (seeded into the cross-reference table). Every expression is compiled and every
secret checked to be a reference when the config is validated, so `crossdock check` names
the exact setting that is wrong.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import jmespath
from jmespath.exceptions import JMESPathError
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from crossdock.connectors.wms.codes import Codes
from crossdock.security.secrets import SECRET_REF_PATTERN

EventKind = Literal["acknowledged", "picked", "packed", "shipped"]


def _compiles(expression: str) -> str:
    try:
        jmespath.compile(expression)
    except JMESPathError as exc:
        raise ValueError(f"invalid JMESPath expression {expression!r}: {exc}") from None
    return expression


def _reference(value: str) -> str:
    if not SECRET_REF_PATTERN.match(value):
        raise ValueError("write a secret reference (env:NAME or file:/path), never the secret")
    return value


JmesPath = Annotated[str, Field(min_length=1), AfterValidator(_compiles)]
SecretRef = Annotated[str, AfterValidator(_reference)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ApiKeyAuth(_Section):
    type: Literal["api_key"]
    header: str = "X-Api-Key"
    key: SecretRef


class OAuth2Auth(_Section):
    """OAuth2 client credentials (RFC 6749 §4.4): a bearer token fetched and renewed."""

    type: Literal["oauth2"]
    token_url: str = Field(pattern=r"^https?://")
    client_id: str = Field(min_length=1)
    client_secret: SecretRef
    scope: str | None = None


class Endpoint(_Section):
    """One call; `path` may name `{fulfillment_id}` and `{wms_order_id}`."""

    method: Literal["POST", "PUT", "PATCH", "DELETE"] = "POST"
    path: str = Field(pattern=r"^/")

    @field_validator("path")
    @classmethod
    def _known_placeholders(cls, value: str) -> str:
        try:
            value.format(fulfillment_id="x", wms_order_id="y")
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(
                f"path {value!r} may only name {{fulfillment_id}} and {{wms_order_id}}: {exc}"
            ) from None
        return value


class Endpoints(_Section):
    release: Endpoint
    cancel: Endpoint
    # Where the labels Crossdock booked go, for a WMS that does not book the carrier.
    labels: Endpoint | None = None


def _template(value: Any, place: str = "") -> Any:
    """A payload template: nested objects whose leaves are JMESPath expressions."""
    if isinstance(value, str):
        try:
            jmespath.compile(value)
        except JMESPathError as exc:
            raise ValueError(
                f"{place or '(template)'}: invalid JMESPath {value!r}: {exc}"
            ) from None
        return value
    if isinstance(value, dict) and value:
        return {str(k): _template(v, f"{place}.{k}" if place else str(k)) for k, v in value.items()}
    raise ValueError(
        f"{place or '(template)'}: must be a JMESPath string or a non-empty object of them"
    )


Template = Annotated[dict[str, Any], AfterValidator(_template)]


class Payloads(_Section):
    """Request bodies, built from the canonical FulfillmentRequest (codes already the WMS's)."""

    release: Template
    cancel: Template | None = None
    labels: Template | None = None


class Responses(_Section):
    # Where the WMS's order id is in its answer to a release.
    release_order_id: JmesPath = "id"
    # Statuses of a cancel answer that mean "too late: already shipped".
    cancel_shipped_status: list[int] = Field(default_factory=lambda: [409])


class EventMapping(_Section):
    """How the WMS's webhooks are read: which event it is, and the canonical data of each."""

    kind: JmesPath
    kinds: dict[str, EventKind] = Field(min_length=1)
    data: dict[EventKind, JmesPath] = Field(min_length=1)


class RestWmsSettings(_Section):
    base_url: str = Field(pattern=r"^https?://[^\s/]+")
    auth: Annotated[ApiKeyAuth | OAuth2Auth, Field(discriminator="type")]
    endpoints: Endpoints
    payloads: Payloads
    responses: Responses = Responses()
    events: EventMapping
    codes: Codes = Codes()
    # Whether the WMS books the carrier itself and reports tracking numbers when shipping.
    books_carrier: bool = True
    timeout_seconds: float = Field(default=10.0, gt=0, le=300)

    @field_validator("base_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @model_validator(mode="after")
    def _labels_have_somewhere_to_go(self) -> RestWmsSettings:
        if not self.books_carrier and self.endpoints.labels is None:
            raise ValueError("books_carrier false needs endpoints.labels (where labels go)")
        return self

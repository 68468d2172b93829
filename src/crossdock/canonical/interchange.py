"""Canonical alerts about EDI interchanges sent to partners: an acknowledgement that did not
come in time, or came back rejected. Payload of ``crossdock.interchange.*`` events, which the
notifications connector delivers like any other event."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from crossdock.canonical.primitives import CanonicalModel, NonEmptyStr, Timestamp


class InterchangeProblem(StrEnum):
    ACKNOWLEDGEMENT_OVERDUE = "acknowledgement_overdue"
    REJECTED = "rejected"


class InterchangeAlert(CanonicalModel):
    partner: NonEmptyStr
    standard: NonEmptyStr = Field(pattern=r"^(x12|edifact)$")
    control_number: NonEmptyStr
    document: str | None = None
    """What the interchange carried, e.g. ``850 P00042``."""
    problem: InterchangeProblem
    sent_at: Timestamp
    due_at: Timestamp | None = None
    details: list[str] = Field(default_factory=list)
    """The partner's error codes and notes, for a rejection."""

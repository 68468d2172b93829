"""Answer and request shapes of `/api/v1` (web/api_v1.py, web/api_intake.py): declared so
the OpenAPI document says exactly what each route returns."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class MessageSummary(BaseModel):
    id: str
    partner: str
    partner_message_id: str
    received_at: datetime
    status: str
    error: str | None
    content_type: str | None
    correlation_id: str | None


class MessageDetail(MessageSummary):
    headers: dict[str, Any]
    body: str
    events: list[dict[str, Any]]


class MessageList(BaseModel):
    messages: list[MessageSummary]


class EventList(BaseModel):
    events: list[dict[str, Any]]


class DeadLetter(BaseModel):
    id: int
    job_type: str
    partner: str | None
    lane_key: str | None
    attempts: int
    dead_since: datetime | None
    last_error: str | None
    payload: dict[str, Any]


class DeadLetterList(BaseModel):
    dead_letters: list[DeadLetter]


class ReplayRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    job_ids: list[Annotated[int, Field(ge=1, le=2**62)]] = Field(min_length=1, max_length=1000)


class ReplayResult(BaseModel):
    replayed: list[int]
    skipped: dict[str, str]


class Accepted(BaseModel):
    message_id: str
    status: Literal["accepted"]


class Problem(BaseModel):
    """RFC 9457 problem details (web/problems.py)."""

    model_config = ConfigDict(extra="allow")
    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": Problem, "content": {"application/problem+json": {}}}
    for status in (401, 403, 404, 422)
}

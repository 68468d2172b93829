"""Answer and request shapes of `/api/v1` (web/api_v1.py, web/api_intake.py): declared so
the OpenAPI document says exactly what each route returns."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict, Field

from crossdock.web.problems import PROBLEM_MEDIA_TYPE


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


class AuditEntryOut(BaseModel):
    seq: int | None
    at: datetime
    actor: str
    action: str
    target: str
    details: dict[str, Any]
    before: Any
    after: Any
    hash: str | None


class AuditList(BaseModel):
    entries: list[AuditEntryOut]


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


def document_problems(app: FastAPI) -> None:
    """Say in the OpenAPI document what the app really answers: FastAPI documents request
    validation errors as `application/json` HTTPValidationError, but every error here is
    problem+json (web/problems.py), on every route."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        document = generate()
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        schemas.setdefault("Problem", Problem.model_json_schema())
        problem_content = {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
        for path_item in document.get("paths", {}).values():
            for operation in path_item.values():
                invalid = operation.get("responses", {}).get("422")
                if invalid is not None:
                    invalid["content"] = problem_content
        app.openapi_schema = document
        return document

    app.openapi = openapi  # type: ignore[method-assign]

"""The dashboard's pages: overview, timeline search, raw messages, dead letters and replay."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qs, quote

import orjson
import structlog
from fastapi import APIRouter, FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.staticfiles import StaticFiles
from sqlalchemy import select
from starlette.responses import RedirectResponse, Response
from starlette.templating import Jinja2Templates

from crossdock.observe.logging import redact_headers
from crossdock.runtime import Runtime
from crossdock.security.redaction import mask_text
from crossdock.security.scopes import DLQ_REPLAY
from crossdock.store import events as event_store
from crossdock.store.schema import jobs, messages
from crossdock.web.dashboard import charts, overview, timeline
from crossdock.web.dashboard.auth import (
    COOKIE,
    BadCsrf,
    CurrentOperator,
    LoginRequired,
    NotAllowed,
    Operator,
    Sessions,
)
from crossdock.web.dashboard.settings import DashboardConfig
from crossdock.web.problems import problem

HERE = Path(__file__).parent
BODY_LIMIT = 256 * 1024
FORM_LIMIT = 8 * 1024
DEAD_PAGE = 200
log = structlog.get_logger("crossdock.dashboard")


def pretty(operator: Operator, value: Any) -> str:
    """JSON for display as this operator may see it (secrets hidden at any depth, personal
    data masked unless the role reads it)."""
    return orjson.dumps(operator.shown(value), option=orjson.OPT_INDENT_2).decode()


def shown_body(operator: Operator, body: bytes) -> str:
    """A raw body as an operator may see it: JSON redacted by key and value, anything else
    (EDI, CSV, XML) as text with emails and phone numbers masked, capped."""
    try:
        return pretty(operator, orjson.loads(body))
    except orjson.JSONDecodeError:
        text = body[:BODY_LIMIT].decode("utf-8", errors="replace")
        if not operator.sees_personal_data:
            text = mask_text(text)
        suffix = "\n… (truncated)" if len(body) > BODY_LIMIT else ""
        return text + suffix


async def form_fields(request: Request) -> dict[str, str]:
    """An urlencoded form's fields (first value of each), at most FORM_LIMIT bytes: the
    dashboard's forms are a token, a CSRF value and a path, nothing to stream."""
    body = await request.body()
    if len(body) > FORM_LIMIT:
        return {}
    return {key: values[0] for key, values in parse_qs(body.decode("utf-8", "replace")).items()}


def build_router(
    runtime: Runtime, settings: DashboardConfig, templates: Jinja2Templates
) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    store = runtime.store
    partners = [(p.id, p.kind) for p in runtime.config.partners]
    refresh_ms = int(settings.refresh_interval.total_seconds() * 1000)

    def page(request: Request, name: str, operator: Any, **context: Any) -> Response:
        return templates.TemplateResponse(
            request,
            name,
            {"operator": operator, "refresh_ms": refresh_ms, "now": runtime.clock.now(), **context},
        )

    def read_overview() -> overview.Overview:
        with store.engine.connect() as conn:
            return overview.read(
                conn, store.dialect, partners, runtime.clock.now(), runtime.config.resilience
            )

    def panels(data: overview.Overview) -> dict[str, Any]:
        return {
            "data": data,
            "throughput": charts.bar_chart(
                [p.finished for p in data.series], title="Jobs finished per 2 minutes", unit="jobs"
            ),
            "latency": charts.bar_chart(
                [p.mean_latency_s for p in data.series],
                title="Mean job latency (created to finished)",
                unit="s",
            ),
        }

    @router.get("/")
    async def home(request: Request, operator: CurrentOperator) -> Response:
        data = await store.run(read_overview)
        return page(request, "overview.html", operator, **panels(data))

    @router.get("/dashboard/fragments/overview")
    async def overview_fragment(request: Request, operator: CurrentOperator) -> Response:
        data = await store.run(read_overview)
        return page(request, "_overview_panels.html", operator, **panels(data))

    @router.get("/dashboard/search")
    async def search(
        request: Request, operator: CurrentOperator, q: Annotated[str, Query(max_length=255)] = ""
    ) -> Response:
        def run() -> timeline.Timeline:
            with store.engine.connect() as conn:
                return timeline.search(conn, q)

        found = await store.run(run)
        return page(
            request, "search.html", operator, timeline=found, q=q, pretty=partial(pretty, operator)
        )

    @router.get("/dashboard/messages/{message_id}")
    async def message(request: Request, message_id: str, operator: CurrentOperator) -> Response:
        def run() -> tuple[Any, list[Any], list[Any]]:
            with store.engine.connect() as conn:
                row = conn.execute(select(messages).where(messages.c.id == message_id)).first()
                job_rows = list(
                    conn.execute(
                        select(jobs).where(jobs.c.message_id == message_id).order_by(jobs.c.id)
                    )
                )
            return row, event_store.for_message(store, message_id), job_rows

        row, envelopes, job_rows = await store.run(run)
        if row is None:
            return problem(
                404,
                "No such message",
                f"no message {message_id!r} is stored",
                kind="unknown-message",
                instance=request.url.path,
            )
        return page(
            request,
            "message.html",
            operator,
            message=row,
            headers=pretty(operator, redact_headers(row.headers)),
            body=shown_body(operator, row.body),
            envelopes=[pretty(operator, e.to_cloudevent()) for e in envelopes],
            jobs=job_rows,
        )

    @router.get("/dashboard/dead-letters")
    async def dead_letters(
        request: Request,
        operator: CurrentOperator,
        job_type: str | None = None,
        partner: str | None = None,
        replayed: int | None = None,
        replayed_count: int | None = None,
        skipped: str | None = None,
    ) -> Response:
        dead = await store.run(
            lambda: runtime.queue.dead_jobs(
                job_type=job_type or None, partner=partner or None, limit=DEAD_PAGE
            )
        )
        return page(
            request,
            "dead_letters.html",
            operator,
            dead=dead,
            job_type=job_type or "",
            partner=partner or "",
            replayed=replayed,
            replayed_count=replayed_count,
            skipped=skipped,
        )

    @router.post("/dashboard/dead-letters/replay")
    async def replay_shown(request: Request, operator: CurrentOperator) -> Response:
        """Replay every dead letter the filter shows (the page's first DEAD_PAGE)."""
        fields = await form_fields(request)
        Sessions.check_csrf(operator, fields.get("csrf"))
        Sessions.check_scope(operator, DLQ_REPLAY)
        job_type, partner = fields.get("job_type") or None, fields.get("partner") or None
        dead = await store.run(
            lambda: runtime.queue.dead_jobs(job_type=job_type, partner=partner, limit=DEAD_PAGE)
        )
        result = await store.run(
            runtime.queue.replay, [job.id for job in dead], runtime.clock.now(), operator.actor
        )
        log.warning(
            "dead letters replayed from the dashboard",
            count=len(result.replayed),
            job_type=job_type,
            partner=partner,
            actor=operator.actor,
        )
        return RedirectResponse(
            f"/dashboard/dead-letters?replayed_count={len(result.replayed)}", status_code=303
        )

    @router.post("/dashboard/dead-letters/{job_id}/replay")
    async def replay(
        request: Request,
        job_id: Annotated[int, PathParam(ge=1, le=2**63 - 1)],
        operator: CurrentOperator,
    ) -> Response:
        Sessions.check_csrf(operator, (await form_fields(request)).get("csrf"))
        Sessions.check_scope(operator, DLQ_REPLAY)
        result = await store.run(
            runtime.queue.replay, [job_id], runtime.clock.now(), operator.actor
        )
        log.warning("dead letter replayed from the dashboard", job_id=job_id, actor=operator.actor)
        if job_id in result.replayed:
            target = f"/dashboard/dead-letters?replayed={job_id}"
        else:
            target = f"/dashboard/dead-letters?skipped={quote(result.skipped.get(job_id, ''))}"
        return RedirectResponse(target, status_code=303)

    return router


def build_login_router(sessions: Sessions, templates: Jinja2Templates) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/dashboard/login")
    async def login_form(request: Request, next: str = "/", failed: bool = False) -> Response:
        return templates.TemplateResponse(
            request,
            "login.html",
            {"next": next, "failed": failed, "configured": sessions.configured, "operator": None},
        )

    @router.post("/dashboard/login")
    async def login(request: Request) -> Response:
        fields = await form_fields(request)
        wanted = fields.get("next", "/")
        # Only paths on this server: a login link must not send anyone elsewhere.
        target = wanted if wanted.startswith("/") and not wanted.startswith("//") else "/"
        cookie = sessions.login(fields.get("token", ""))
        if cookie is None:
            log.warning("dashboard login refused")
            return RedirectResponse(
                f"/dashboard/login?failed=1&next={quote(target)}", status_code=303
            )
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(
            COOKIE,
            cookie,
            max_age=int(sessions.expires_in().total_seconds()),
            httponly=True,
            samesite="strict",
            path="/",
        )
        return response

    @router.post("/dashboard/logout")
    async def logout(request: Request, operator: CurrentOperator) -> Response:
        Sessions.check_csrf(operator, (await form_fields(request)).get("csrf"))
        response = RedirectResponse("/dashboard/login", status_code=303)
        response.delete_cookie(COOKIE, path="/")
        return response

    return router


def install_dashboard(app: FastAPI, runtime: Runtime, settings: DashboardConfig) -> None:
    sessions = Sessions(settings, runtime.clock, runtime.store)
    app.state.dashboard_sessions = sessions
    templates = Jinja2Templates(directory=HERE / "templates")
    app.mount("/dashboard/static", StaticFiles(directory=HERE / "static"), name="dashboard-static")
    app.include_router(build_login_router(sessions, templates))
    app.include_router(build_router(runtime, settings, templates))

    @app.exception_handler(LoginRequired)
    async def _login_required(request: Request, _exc: LoginRequired) -> Response:
        if request.method == "GET" and "/fragments/" not in request.url.path:
            target = quote(
                request.url.path + (f"?{request.url.query}" if request.url.query else "")
            )
            return RedirectResponse(f"/dashboard/login?next={target}", status_code=303)
        return problem(
            401,
            "Login required",
            "log in to the dashboard first",
            kind="login-required",
            instance=request.url.path,
        )

    @app.exception_handler(NotAllowed)
    async def _not_allowed(request: Request, exc: NotAllowed) -> Response:
        return problem(
            403,
            "Not allowed",
            f"{exc}; ask an admin for a role that has it",
            kind="forbidden",
            instance=request.url.path,
        )

    @app.exception_handler(BadCsrf)
    async def _bad_csrf(request: Request, _exc: BadCsrf) -> Response:
        return problem(
            403,
            "Form expired",
            "the form did not carry this session's check value; reload the page and try again",
            kind="bad-csrf",
            instance=request.url.path,
        )

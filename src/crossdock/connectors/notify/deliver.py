"""`notify.deliver`: POST one signed event to one endpoint and log what happened.

A success is logged in the job's own transaction (with the job's completion). A failure
raises, and a raising job commits none of its `ctx.write` effects, so failures are logged
(and the failure streak grown) in a small transaction of their own before raising.
"""

from __future__ import annotations

import time
from typing import NoReturn

import httpx
import orjson
from sqlalchemy import Connection

from crossdock.canonical.envelope import Envelope
from crossdock.connectors.notify import directory, repository, signing
from crossdock.connectors.notify.client import NotifyClients
from crossdock.connectors.notify.matching import matches
from crossdock.connectors.notify.model import Attempt, Subscription
from crossdock.connectors.notify.responses import Verdict, classify, transport_failure
from crossdock.connectors.notify.settings import NotificationsConfig
from crossdock.errors import ConfigError, PermanentError, RetryableError
from crossdock.pipeline.registry import Handler, JobContext
from crossdock.resilience.timeouts import within
from crossdock.store.engine import Store


class DeliveryFailed(RetryableError):
    """The endpoint did not take the event this time; `retry_after` when it said when."""

    def __init__(self, detail: str, retry_after: float | None = None) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class DeliveryRefused(PermanentError):
    """The endpoint refused the event in a way a retry will not change."""


class SubscriptionDisabled(PermanentError):
    """The subscription is disabled: the event is kept as a dead letter, replayable later."""


def _load(store: Store, subscription_id: int) -> Subscription | None:
    with store.engine.connect() as conn:
        return repository.get(conn, subscription_id)


class Delivery:
    """One attempt of one job: the subscription, the event and where to write the outcome."""

    def __init__(
        self,
        ctx: JobContext,
        settings: NotificationsConfig,
        subscription: Subscription,
        envelope: Envelope,
    ) -> None:
        self.ctx = ctx
        self.settings = settings
        self.subscription = subscription
        self.envelope = envelope

    def _log_now(self, result: Attempt) -> None:
        with self.ctx.store.transaction() as conn:
            repository.log_attempt(
                conn,
                self.subscription.id,
                self.envelope,
                self.ctx.job.attempts,
                self.ctx.clock.now(),
                result,
            )

    def _record_failure(self, result: Attempt, *, counts: bool, disable: str | None) -> str | None:
        with self.ctx.store.transaction() as conn:
            return repository.record_failure(
                conn,
                self.subscription.id,
                self.envelope,
                self.ctx.job.attempts,
                self.ctx.clock.now(),
                result,
                counts=counts,
                streak_limit=self.settings.failure_streak_to_disable,
                disable_reason=disable,
            )

    async def log_now(self, result: Attempt) -> None:
        await self.ctx.store.run(self._log_now, result)

    async def fail(self, verdict: Verdict, status: int | None, duration_ms: int) -> NoReturn:
        """Log the failure and raise the error that tells the worker what to do next."""
        result = Attempt("failed", status_code=status, error=verdict.error, duration_ms=duration_ms)
        gone = verdict.error if verdict.kind == "gone" else None
        disabled = await self.ctx.store.run(
            self._record_failure, result, counts=verdict.counts_toward_streak, disable=gone
        )
        if disabled is not None:
            directory.invalidate(self.ctx.store)
            self.ctx.log.warning(
                "notification endpoint disabled",
                subscription=self.subscription.name,
                reason=disabled,
            )
            raise SubscriptionDisabled(
                f"subscription {self.subscription.name!r} disabled: {disabled}"
            )
        if verdict.kind == "retry":
            raise DeliveryFailed(f"{self.subscription.url}: {verdict.error}", verdict.retry_after)
        raise DeliveryRefused(f"{self.subscription.url}: {verdict.error}")


def make_deliver_handler(settings: NotificationsConfig, clients: NotifyClients) -> Handler:
    async def deliver(ctx: JobContext) -> None:
        envelope = Envelope.from_cloudevent(ctx.payload["event"])
        subscription = await ctx.store.run(_load, ctx.store, int(ctx.payload["subscription_id"]))
        if subscription is None:
            ctx.log.info("subscription deleted; event not delivered")
            return
        attempt = Delivery(ctx, settings, subscription, envelope)
        if not subscription.active:
            reason = subscription.disabled_reason or "disabled"
            await attempt.log_now(Attempt("disabled", error=f"not sent: {reason}"))
            raise SubscriptionDisabled(f"subscription {subscription.name!r} is disabled: {reason}")
        if not matches(subscription, envelope):
            # The definition changed between fan-out and now: the subscriber no longer wants it.
            dropped = Attempt("dropped", error="no longer matches the subscription")
            ctx.write(lambda conn: _log(conn, subscription, envelope, ctx, dropped))
            return
        try:
            secret = signing.signing_secret(subscription)
        except (ConfigError, ValueError) as exc:
            # Crossdock's own configuration is wrong, not the endpoint: no streak, no retry
            # until someone fixes it and replays the dead letter.
            await attempt.log_now(Attempt("failed", error=f"signing secret: {exc}"))
            raise PermanentError(f"subscription {subscription.name!r}: secret: {exc}") from None
        body = orjson.dumps(envelope.to_cloudevent())
        headers = signing.signed_headers(
            secret,
            signing.webhook_id(subscription.id, envelope),
            int(ctx.clock.now().timestamp()),
            body,
        )
        started = time.perf_counter()
        try:
            # A POST is not retried inside the call: the job retries it, under the same
            # webhook-id, which receivers deduplicate on.
            response = await within(
                settings.timeout.total_seconds(),
                clients.get(settings).post(subscription.url, content=body, headers=headers),
                f"POST {subscription.url}",
            )
        except httpx.HTTPError as exc:
            await attempt.fail(transport_failure(exc), None, _elapsed_ms(started))
        duration_ms = _elapsed_ms(started)
        verdict = classify(
            response.status_code, response.headers, ctx.clock.now(), settings.max_retry_after
        )
        if verdict.kind != "delivered":
            await attempt.fail(verdict, response.status_code, duration_ms)
        done = Attempt("delivered", status_code=response.status_code, duration_ms=duration_ms)
        ctx.write(lambda conn: _log(conn, subscription, envelope, ctx, done, success=True))

    return deliver


def _log(
    conn: Connection,
    subscription: Subscription,
    envelope: Envelope,
    ctx: JobContext,
    result: Attempt,
    *,
    success: bool = False,
) -> None:
    record = repository.record_success if success else repository.log_attempt
    record(conn, subscription.id, envelope, ctx.job.attempts, ctx.clock.now(), result)


def _elapsed_ms(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)

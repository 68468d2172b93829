"""Coalesce record updates from concurrent jobs into few `write` RPCs, answering each caller.

Jobs call `await writer.write(model, id, vals, lane=...)`. Updates wait up to
`write_coalesce_window` ms (or until `write_coalesce_max_items` are waiting), then one flush
sends them as planned by `batching.plan_writes`. Each caller's await ends when its own
update is written, or raises the Odoo error about *its* record: a grouped write that fails
permanently is retried record by record (Odoo rolls the whole call back, so this is safe),
so one bad record does not fail the others. An update that must follow a failed one (same
lane, or same record) is not sent and raises `OdooWriteSkipped`, which is retryable.

Flushes run one at a time, in order, so lane order also holds across flushes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Mapping, Sequence
from typing import Any

import structlog

from crossdock.connectors.odoo.batching import MergedWrite, Update, WriteStep, plan_writes
from crossdock.connectors.odoo.errors import OdooWriteSkipped
from crossdock.connectors.odoo.operations import Context, OdooOperations
from crossdock.connectors.odoo.settings import OdooSettings
from crossdock.errors import CrossdockError, PermanentError

Sleep = Callable[[float], Awaitable[None]]
_log = structlog.get_logger("crossdock.odoo.writer")


class CoalescingWriter:
    """A buffer of record updates flushed through `client.write` as few RPCs as possible."""

    def __init__(
        self,
        client: OdooOperations,
        *,
        window_ms: int,
        max_items: int,
        context: Context | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._client = client
        self._window = window_ms / 1000
        self._max_items = max_items
        self._context = context
        self._sleep = sleep
        self._buffer: list[tuple[Update, asyncio.Future[None]]] = []
        self._timer: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._flushing = asyncio.Lock()

    @classmethod
    def from_settings(
        cls, client: OdooOperations, settings: OdooSettings, **kw: Any
    ) -> CoalescingWriter:
        return cls(
            client,
            window_ms=settings.write_coalesce_window,
            max_items=settings.write_coalesce_max_items,
            **kw,
        )

    @property
    def pending(self) -> int:
        return len(self._buffer)

    def submit(
        self, model: str, record_id: int, vals: Mapping[str, Any], *, lane: Hashable | None = None
    ) -> asyncio.Future[None]:
        """Queue an update; the future resolves once it is written or fails with its error."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._buffer.append((Update(model, record_id, dict(vals), lane), future))
        if len(self._buffer) >= self._max_items:
            self._spawn(self.flush())
        elif self._timer is None:
            self._timer = self._spawn(self._flush_after_window())
        return future

    async def write(
        self, model: str, record_id: int, vals: Mapping[str, Any], *, lane: Hashable | None = None
    ) -> None:
        await self.submit(model, record_id, vals, lane=lane)

    async def flush(self) -> None:
        """Write everything buffered now (waits for a flush already under way)."""
        async with self._flushing:
            batch, self._buffer = self._buffer, []
            timer, self._timer = self._timer, None
            if timer is not None and timer is not asyncio.current_task():
                timer.cancel()
            if batch:
                await self._write_batch(batch)

    async def aclose(self) -> None:
        """Flush what is left and wait for background flushes."""
        await self.flush()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    # -- internals -----------------------------------------------------------------------------

    def _spawn(self, coro: Awaitable[None]) -> asyncio.Task[None]:
        task: asyncio.Task[None] = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _flush_after_window(self) -> None:
        await self._sleep(self._window)
        await self.flush()

    async def _write_batch(self, batch: Sequence[tuple[Update, asyncio.Future[None]]]) -> None:
        futures = [future for _, future in batch]
        try:
            plan = plan_writes([update for update, _ in batch])
            failed: dict[int, BaseException] = {}
            for step in plan.steps:
                failed.update(await self._run_step(step, failed))
            for index in plan.noops:
                _settle(futures[index], None)
            for step in plan.steps:
                for merged in step.writes:
                    for index in merged.updates:
                        _settle(futures[index], failed.get(merged.key))
        except Exception as exc:  # noqa: BLE001 - a bug must not leave callers waiting forever
            _log.exception("odoo_write_batch_failed", size=len(batch))
            for future in futures:
                _settle(future, exc)

    async def _run_step(
        self, step: WriteStep, failed: Mapping[int, BaseException]
    ) -> dict[int, BaseException]:
        """Send one planned write; answer the failures by merged-write key."""
        errors: dict[int, BaseException] = {}
        live: list[MergedWrite] = []
        for merged in step.writes:
            blocker = next((failed[k] for k in sorted(merged.after) if k in failed), None)
            if blocker is None:
                live.append(merged)
                continue
            root = blocker.cause if isinstance(blocker, OdooWriteSkipped) else blocker
            errors[merged.key] = OdooWriteSkipped(
                f"{merged.model}({merged.record_id}) not written: an update it follows failed",
                cause=root,
            )
        if not live:
            return errors
        try:
            await self._write(step.model, [m.record_id for m in live], step.vals)
        except PermanentError as exc:
            if len(live) == 1:
                errors[live[0].key] = exc
                return errors
            outcomes = await asyncio.gather(*(self._write_alone(m) for m in live))
            errors.update({m.key: err for m, err in zip(live, outcomes, strict=True) if err})
        except CrossdockError as exc:
            errors.update({m.key: exc for m in live})
        return errors

    async def _write_alone(self, merged: MergedWrite) -> CrossdockError | None:
        try:
            await self._write(merged.model, [merged.record_id], merged.vals)
        except CrossdockError as exc:
            return exc
        return None

    async def _write(self, model: str, ids: list[int], vals: Mapping[str, Any]) -> None:
        await self._client.write(model, ids, vals, context=self._context)


def _settle(future: asyncio.Future[None], error: BaseException | None) -> None:
    if future.done():  # the caller gave up (cancelled) meanwhile
        return
    if error is None:
        future.set_result(None)
    else:
        future.set_exception(error)

"""Group commit for intake: concurrent requests share one transaction, so durability is cheap.

Each request hands its message to the committer and waits. The committer takes everything
that has queued up (up to a batch limit), writes it in one transaction, and only then
answers every waiting request. While one batch commits the next one gathers, so under load
batches grow by themselves and the cost of a commit is shared by many messages.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from datetime import timedelta

import structlog

from crossdock.store.inbox import Acceptance, Inbox, IncomingMessage
from crossdock.store.jobs import JobSpec

log = structlog.get_logger("crossdock.intake")

Pending = tuple[IncomingMessage, asyncio.Future[Acceptance]]


class GroupCommitter:
    def __init__(
        self,
        inbox: Inbox,
        translate_job: Callable[[IncomingMessage], JobSpec],
        *,
        max_batch: int = 512,
        max_wait: timedelta = timedelta(milliseconds=2),
        on_commit: Callable[[], None] | None = None,
    ) -> None:
        self._inbox = inbox
        self._translate_job = translate_job
        self._max_batch = max_batch
        self._max_wait = max_wait.total_seconds()
        self._on_commit = on_commit
        self._queue: asyncio.Queue[Pending] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self.batches = 0
        self.committed = 0

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="crossdock-group-commit")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def submit(self, message: IncomingMessage) -> Acceptance:
        """Return once the message is committed (or raise if the commit failed)."""
        future: asyncio.Future[Acceptance] = asyncio.get_running_loop().create_future()
        await self._queue.put((message, future))
        return await future

    async def _run(self) -> None:
        while True:
            batch = [await self._queue.get()]
            deadline = asyncio.get_running_loop().time() + self._max_wait
            while len(batch) < self._max_batch:
                if self._queue.empty():
                    remaining = deadline - asyncio.get_running_loop().time()
                    if remaining <= 0:
                        break
                    try:
                        batch.append(await asyncio.wait_for(self._queue.get(), remaining))
                    except TimeoutError:
                        break
                else:
                    batch.append(self._queue.get_nowait())
            await self._flush(batch)

    async def _flush(self, batch: list[Pending]) -> None:
        messages = [message for message, _ in batch]
        try:
            answers = await asyncio.to_thread(self._inbox.ingest, messages, self._translate_job)
        except Exception as exc:
            if len(batch) > 1:
                # One bad message must not fail its neighbours: commit them one by one.
                log.warning("intake batch failed; committing one by one", size=len(batch))
                for pending in batch:
                    await self._flush([pending])
                return
            # Nothing was committed: the request fails (503) and its sender retries.
            log.exception("intake message failed to commit", message_id=batch[0][0].id)
            future = batch[0][1]
            if not future.done():
                future.set_exception(exc)
            return
        self.batches += 1
        self.committed += len(batch)
        for (_, future), answer in zip(batch, answers, strict=True):
            if not future.done():
                future.set_result(answer)
        if self._on_commit is not None:
            self._on_commit()

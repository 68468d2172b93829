"""The file transport's jobs: `files.poll` (pick up into the inbox) and `files.archive`.

A poll lists the partner's inbound folder, claims the files that have settled (`pickup`),
reads them, and stores them as inbox messages in the transaction that finishes the job,
together with one `files.archive` job for them and whatever the partner kind wants done
with each message (its acknowledgement). Only after that commit is a file moved to the
archive: a crash before it leaves the file in `claimed/`, and the next poll, which always
finishes claimed files first, stores it again, which the inbox folds into the same message
(the partner kind's dedup key). Archive jobs run on the poll's lane, ahead of the next poll.

A partner kind plugs in with a `FileIntake`: how to find its transport settings, how to make
an inbox message of a file (the dedup key is the kind's business: EDI uses the interchange
control number and sender), and the follow-up jobs for each stored message.
"""

from __future__ import annotations

import hashlib
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection

from crossdock.config import PartnerConfig
from crossdock.connectors.base import ConnectorServices
from crossdock.connectors.files.channel import archived_name
from crossdock.connectors.files.open import open_channel
from crossdock.connectors.files.pickup import settled, sightings_from_payload
from crossdock.connectors.files.settings import FolderTransport, SftpTransport
from crossdock.errors import PermanentError
from crossdock.ids import new_id
from crossdock.pipeline.registry import Handler, JobContext, JobRegistry
from crossdock.pipeline.retry import RetryPolicy
from crossdock.store.inbox import Acceptance, Inbox, IncomingMessage
from crossdock.store.jobs import JobSpec

POLL_JOB = "files.poll"
ARCHIVE_JOB = "files.archive"
# A transport outage is worth many tries: the files wait on the partner's side meanwhile.
TRANSPORT_POLICY = RetryPolicy(max_attempts=8)

TransportOf = Callable[[PartnerConfig], FolderTransport | SftpTransport]
MessageFor = Callable[[str, str, bytes, datetime], IncomingMessage]
"""(partner id, file name, body, received at) → the message to store."""
FollowUps = Callable[[Sequence[tuple[IncomingMessage, Acceptance]], datetime], list[JobSpec]]
"""The jobs for the messages one poll stored (each with the inbox's answer)."""
ArchiveAs = Callable[[str, str, bytes, datetime], str]
"""(partner id, file name, body, picked up at) → the name to archive the file under."""


@dataclass(frozen=True)
class FileIntake:
    transport: TransportOf
    message_for: MessageFor
    follow_ups: FollowUps
    # Default `archived_name`; a kind may name files it cannot read apart from processed ones.
    archive_as: ArchiveAs | None = None


_INTAKES: weakref.WeakKeyDictionary[JobRegistry, dict[str, FileIntake]] = (
    weakref.WeakKeyDictionary()
)


def content_keyed(header: str, content_type: str) -> MessageFor:
    """Messages keyed by their content: the same file dropped again (or under a new name) is
    one message. The file's name travels in `header`."""

    def message_for(partner_id: str, name: str, body: bytes, now: datetime) -> IncomingMessage:
        return IncomingMessage(
            id=new_id(),
            partner=partner_id,
            dedup_key=f"sha256:{hashlib.sha256(body).hexdigest()}",
            received_at=now,
            headers={header: name},
            body=body,
            content_type=content_type,
        )

    return message_for


def no_follow_ups(*_args: object) -> list[JobSpec]:
    """For partners whose files need nothing but their translation (no acknowledgement)."""
    return []


def lane(partner_id: str) -> str:
    return f"files:{partner_id}"


def poll_job(
    partner_id: str, run_at: datetime, every_seconds: float, seen: object = None
) -> JobSpec:
    """The poll due at `run_at`; keyed by its time slot, so schedulers racing create it once."""
    slot = int(run_at.timestamp() // max(every_seconds, 0.001))
    return JobSpec(
        job_type=POLL_JOB,
        idempotency_key=f"{POLL_JOB}:{partner_id}:{slot}",
        payload={"seen": seen or {}},
        lane_key=lane(partner_id),
        run_at=run_at,
        partner=partner_id,
    )


def archive_job(partner_id: str, moves: Sequence[tuple[str, str]]) -> JobSpec:
    """One job archives every file a poll stored: one connection, not one per file."""
    return JobSpec(
        job_type=ARCHIVE_JOB,
        idempotency_key=f"{ARCHIVE_JOB}:{partner_id}:{moves[0][1]}",
        payload={"files": [list(move) for move in moves]},
        lane_key=lane(partner_id),
        partner=partner_id,
    )


def register_intake(services: ConnectorServices, kind: str, intake: FileIntake) -> None:
    """Add the file jobs to a runtime (once) and the kind's intake to them."""
    intakes = _INTAKES.get(services.registry)
    if intakes is None:
        intakes = {}
        _INTAKES[services.registry] = intakes
        services.registry.register(
            POLL_JOB,
            make_poll_handler(
                services.inbox, services.partner_config, services.translate_job, intakes
            ),
            TRANSPORT_POLICY,
        )
        services.registry.register(
            ARCHIVE_JOB, make_archive_handler(services.partner_config, intakes), TRANSPORT_POLICY
        )
    intakes[kind] = intake


def _partner(
    ctx: JobContext,
    partner_config: Callable[[str], PartnerConfig | None],
    intakes: dict[str, FileIntake],
) -> tuple[PartnerConfig, FileIntake]:
    partner_id = ctx.job.partner or ""
    partner = partner_config(partner_id)
    if partner is None:
        raise PermanentError(f"partner {partner_id!r} is no longer configured")
    intake = intakes.get(partner.kind)
    if intake is None:
        raise PermanentError(f"partners of kind {partner.kind!r} do not exchange files")
    return partner, intake


def make_poll_handler(
    inbox: Inbox,
    partner_config: Callable[[str], PartnerConfig | None],
    translate_job: Callable[[IncomingMessage], JobSpec],
    intakes: dict[str, FileIntake],
) -> Handler:
    async def poll(ctx: JobContext) -> None:
        partner, intake = _partner(ctx, partner_config, intakes)
        transport = intake.transport(partner)
        rules = transport.pickup
        now = ctx.clock.now()
        async with open_channel(transport) as channel:
            # Files claimed by a poll that did not finish come first: they may be stored
            # already (then the inbox answers with the same message) or not.
            leftovers = await channel.list_claimed()
            listing = await channel.list_inbound()
            # A file over the limit is left where it is, in the partner's sight, and logged
            # each poll: taking it would make the poll fail on every run after.
            too_big = [f.name for f in listing if f.size > rules.max_bytes]
            if too_big:
                ctx.log.warning(
                    "files over max_bytes left in the inbound folder",
                    partner=partner.id,
                    files=too_big,
                    max_bytes=rules.max_bytes,
                )
            pickup = settled(
                [f for f in listing if f.size <= rules.max_bytes],
                sightings_from_payload(ctx.payload),
                now,
                settle_for=rules.settle_for,
                pattern=rules.pattern,
                ignore=rules.ignore,
            )
            room = max(rules.max_files - len(leftovers), 0)
            claimed = [name for name in pickup.ready[:room] if await channel.claim(name)]
            files = [
                (name, await channel.read_claimed(name, rules.max_bytes))
                for name in [*leftovers[: rules.max_files], *claimed]
            ]
        messages = [intake.message_for(partner.id, name, body, now) for name, body in files]
        if messages:
            ctx.write(_store(inbox, translate_job, intake, partner.id, files, messages, now))
        every = rules.poll_every.total_seconds()
        seen = {name: sighting.to_json() for name, sighting in pickup.watching.items()}
        ctx.enqueue(poll_job(partner.id, now + rules.poll_every, every, seen))
        ctx.log.info("files polled", partner=partner.id, taken=len(files), settling=len(seen))

    return poll


def _store(
    inbox: Inbox,
    translate_job: Callable[[IncomingMessage], JobSpec],
    intake: FileIntake,
    partner_id: str,
    files: Sequence[tuple[str, bytes]],
    messages: Sequence[IncomingMessage],
    now: datetime,
) -> Callable[[Connection], None]:
    def store(conn: Connection) -> None:
        answers = inbox.ingest_in(conn, messages, translate_job)
        moves = [
            (
                name,
                intake.archive_as(partner_id, name, body, now)
                if intake.archive_as is not None
                else archived_name(name, now),
            )
            for name, body in files
        ]
        specs = [archive_job(partner_id, moves)]
        specs.extend(intake.follow_ups(list(zip(messages, answers, strict=True)), now))
        inbox.store.lock_lanes(conn, (spec.lane_key for spec in specs))
        inbox.queue.enqueue_in(conn, specs, now)

    return store


def make_archive_handler(
    partner_config: Callable[[str], PartnerConfig | None], intakes: dict[str, FileIntake]
) -> Handler:
    async def archive(ctx: JobContext) -> None:
        partner, intake = _partner(ctx, partner_config, intakes)
        moves = [(str(name), str(archive_as)) for name, archive_as in ctx.payload["files"]]
        async with open_channel(intake.transport(partner)) as channel:
            for name, archive_as in moves:
                await channel.archive(name, archive_as)
        ctx.log.info("files archived", partner=partner.id, files=len(moves))

    return archive


def startup_poll(
    partner_id: str, transport: FolderTransport | SftpTransport, now: datetime
) -> JobSpec:
    return poll_job(partner_id, now, transport.pickup.poll_every.total_seconds())

"""The SQL schema: inbox, canonical events, jobs, cross-references, entity states, audit."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from crossdock.store.types import BigId, Json, UTCDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# Job states. "waiting" is a job queued behind an unfinished job of the same lane: only a
# lane's head is ever "queued", which keeps fetching O(batch) however deep a lane is.
OPEN_JOB_STATES = ("queued", "running", "waiting")

messages = Table(
    "messages",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("partner", String(64), nullable=False),
    Column("dedup_key", String(255), nullable=False),
    Column("received_at", UTCDateTime(), nullable=False),
    Column("headers", Json, nullable=False),
    Column("body", LargeBinary(), nullable=False),
    Column("content_type", String(255), nullable=True),
    # received → translated, or failed (unparseable or unmappable; kept and visible).
    Column("status", String(16), nullable=False),
    Column("error", Text(), nullable=True),
    Column("response_status", SmallInteger(), nullable=False),
    Column("correlation_id", String(255), nullable=True),
    Column("trace_parent", String(64), nullable=True),
    UniqueConstraint("partner", "dedup_key"),
    Index(None, "status", "received_at"),
    Index(None, "partner", "received_at"),
)

events = Table(
    "events",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("message_id", String(36), ForeignKey("messages.id"), nullable=True, index=True),
    Column("type", String(128), nullable=False),
    Column("source", String(255), nullable=False),
    Column("subject", String(255), nullable=True, index=True),
    Column("time", UTCDateTime(), nullable=False),
    Column("partner", String(64), nullable=True),
    Column("correlation_id", String(255), nullable=True, index=True),
    Column("lane_key", String(255), nullable=True),
    Column("schema_version", Integer(), nullable=False),
    Column("recorded_at", UTCDateTime(), nullable=False),
    Column("envelope", Json, nullable=False),
    Index(None, "type", "recorded_at"),
)

jobs = Table(
    "jobs",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("job_type", String(100), nullable=False),
    Column("idempotency_key", String(255), nullable=False, unique=True),
    Column("lane_key", String(255), nullable=True),
    Column("priority", SmallInteger(), nullable=False, server_default=text("0")),
    Column("status", String(16), nullable=False),
    Column("payload", Json, nullable=False),
    Column("partner", String(64), nullable=True),
    Column("message_id", String(36), nullable=True, index=True),
    Column("correlation_id", String(255), nullable=True),
    Column("attempts", Integer(), nullable=False, server_default=text("0")),
    Column("run_at", UTCDateTime(), nullable=False),
    Column("lease_token", String(36), nullable=True),
    Column("lease_expires_at", UTCDateTime(), nullable=True),
    Column("worker_id", String(128), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("started_at", UTCDateTime(), nullable=True),
    Column("finished_at", UTCDateTime(), nullable=True),
    Column("last_error", Text(), nullable=True),
    Column("last_traceback", Text(), nullable=True),
    # The partner endpoint the job calls (breaker, rate limit and bulkhead key); NULL: none.
    Column("resource", String(128), nullable=True),
    # Attempts that failed because the endpoint was down (breaker opened, partner asked for a
    # pause): they happened, so `attempts > 1` still means "tried before", but they are not
    # the job's fault and do not count toward its retry limit.
    Column("endpoint_failures", Integer(), nullable=False, server_default=text("0")),
    # Partial indexes: the hot paths only ever look at open jobs, so a million finished
    # rows cost nothing at fetch time.
    Index(
        "ix_jobs_ready",
        "priority",
        "id",
        postgresql_where=text("status = 'queued'"),
        sqlite_where=text("status = 'queued'"),
    ),
    Index(
        "ix_jobs_lease",
        "lease_expires_at",
        postgresql_where=text("status = 'running'"),
        sqlite_where=text("status = 'running'"),
    ),
    Index(
        "ix_jobs_lane_open",
        "lane_key",
        "id",
        postgresql_where=text("status IN ('queued', 'running', 'waiting')"),
        sqlite_where=text("status IN ('queued', 'running', 'waiting')"),
    ),
    Index(
        "ix_jobs_dead",
        "finished_at",
        postgresql_where=text("status = 'dead'"),
        sqlite_where=text("status = 'dead'"),
    ),
    Index(
        "ix_jobs_done",
        "finished_at",
        postgresql_where=text("status = 'done'"),
        sqlite_where=text("status = 'done'"),
    ),
    # Bulkhead counts (running jobs per resource) and backlogs per resource and per partner.
    Index(
        "ix_jobs_resource_open",
        "resource",
        "status",
        postgresql_where=text("status IN ('queued', 'running', 'waiting')"),
        sqlite_where=text("status IN ('queued', 'running', 'waiting')"),
    ),
    Index(
        "ix_jobs_partner_open",
        "partner",
        postgresql_where=text("status IN ('queued', 'running', 'waiting')"),
        sqlite_where=text("status IN ('queued', 'running', 'waiting')"),
    ),
)

xrefs = Table(
    "xrefs",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("system", String(64), nullable=False),
    Column("entity_type", String(64), nullable=False),
    Column("external_id", String(255), nullable=False),
    Column("internal_key", String(255), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    UniqueConstraint("system", "entity_type", "external_id"),
    Index(None, "entity_type", "internal_key"),
)

entity_states = Table(
    "entity_states",
    metadata,
    Column("entity_key", String(255), primary_key=True),
    Column("entity_type", String(64), nullable=False),
    Column("status", String(64), nullable=False),
    Column("last_event_id", String(36), nullable=False),
    Column("last_event_type", String(128), nullable=False),
    Column("last_event_time", UTCDateTime(), nullable=False),
    Column("correlation_id", String(255), nullable=True),
    Column("events_applied", Integer(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index(None, "entity_type", "status"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("at", UTCDateTime(), nullable=False),
    Column("actor", String(128), nullable=False),
    Column("action", String(64), nullable=False),
    Column("target", String(255), nullable=False),
    Column("details", Json, nullable=False),
    Index(None, "action", "at"),
    # The hash chain (security/audit_chain.py): `seq` orders the chain, `hash` covers this
    # entry's content and `prev_hash`. Nullable only because older rows were backfilled.
    Column("seq", BigInteger(), nullable=True),
    Column("before_state", Json, nullable=True),
    Column("after_state", Json, nullable=True),
    Column("prev_hash", String(64), nullable=True),
    Column("hash", String(64), nullable=True),
    Index(None, "seq", unique=True),
)

# The chain's head (one row): the last entry's seq and hash, moved in the appending
# transaction under a row lock, which is what keeps appends from many workers linear.
audit_head = Table(
    "audit_head",
    metadata,
    Column("id", SmallInteger(), primary_key=True, autoincrement=False),
    Column("seq", BigInteger(), nullable=False),
    Column("hash", String(64), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

# Signed checkpoints of the head (HMAC with a key that lives outside the database): a tail
# truncated or a chain rewritten behind a checkpoint no longer matches its signature.
audit_checkpoints = Table(
    "audit_checkpoints",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("seq", BigInteger(), nullable=False),
    Column("hash", String(64), nullable=False),
    Column("at", UTCDateTime(), nullable=False),
    Column("signature", String(64), nullable=False),
)

# Machine identities (a partner, an internal client, a dashboard user): a name and no scope
# until one is granted.
identities = Table(
    "identities",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("name", String(128), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    Column("description", Text(), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("disabled_at", UTCDateTime(), nullable=True),
)

identity_scopes = Table(
    "identity_scopes",
    metadata,
    Column(
        "identity_id",
        BigId,
        ForeignKey("identities.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("scope", String(128), primary_key=True),
    Column("granted_at", UTCDateTime(), nullable=False),
    Column("granted_by", String(128), nullable=False),
)

# API keys: only a SHA-256 of the secret part is kept; `id` is the public part of the key.
api_keys = Table(
    "api_keys",
    metadata,
    Column("id", String(32), primary_key=True),
    Column(
        "identity_id",
        BigId,
        ForeignKey("identities.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("secret_hash", String(64), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=True),
    Column("revoked_at", UTCDateTime(), nullable=True),
    Column("replaced_by", String(32), nullable=True),
)

# Sync positions (bookmarks) owned by the framework, never hand-rolled per flow: e.g. the
# (write_date, id) reached by a poller of an Odoo model.
cursors = Table(
    "cursors",
    metadata,
    Column("name", String(255), primary_key=True),
    Column("position", Json, nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

# Latest value per entity, waiting to be written to a slow partner in one batch: successive
# updates of one entity replace each other (the newest event time wins), so a burst of
# events becomes one write per entity, and one request for many entities.
coalesce_buffer = Table(
    "coalesce_buffer",
    metadata,
    Column("buffer", String(128), primary_key=True),
    Column("entity_key", String(255), primary_key=True),
    Column("payload", Json, nullable=False),
    Column("event_time", UTCDateTime(), nullable=False),
    Column("version", Integer(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

# Where each tracked parcel stands: its current milestone under the ordering rules (newest
# event time wins, delivered is terminal except for a return), and when to poll its carrier
# next if no webhook has spoken for it lately. NULL `next_poll_at`: nothing left to poll.
shipment_tracking = Table(
    "shipment_tracking",
    metadata,
    Column("tracking_number", String(128), primary_key=True),
    Column("carrier_code", String(64), nullable=False),
    Column("shipment_id", String(255), nullable=True),
    Column("partner", String(64), nullable=True),
    Column("milestone", String(32), nullable=True),
    Column("milestone_at", UTCDateTime(), nullable=True),
    Column("exception_reason", String(32), nullable=True),
    Column("delivered_at", UTCDateTime(), nullable=True),
    Column("last_event_id", String(36), nullable=True),
    Column("events_applied", Integer(), nullable=False),
    Column("late_events", Integer(), nullable=False),
    Column("registered_at", UTCDateTime(), nullable=False),
    Column("last_heard_at", UTCDateTime(), nullable=True),
    Column("next_poll_at", UTCDateTime(), nullable=True),
    Column("polls", Integer(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index(None, "carrier_code", "next_poll_at"),
)

# Outbound notification subscriptions: an endpoint, the canonical event types and filters it
# wants, and its health. Config-defined rows (source "config") are upserted by name at start;
# `secret` is then a secret reference, for API-created rows the generated signing secret.
subscriptions = Table(
    "subscriptions",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("name", String(128), nullable=False, unique=True),
    Column("url", String(2048), nullable=False),
    Column("event_types", Json, nullable=False),
    Column("filters", Json, nullable=False),
    Column("secret", String(255), nullable=False),
    Column("source", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("failure_streak", Integer(), nullable=False),
    Column("disabled_reason", Text(), nullable=True),
    Column("disabled_at", UTCDateTime(), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

# One row per delivery attempt (or decision not to attempt): the per-endpoint delivery log.
notification_deliveries = Table(
    "notification_deliveries",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column(
        "subscription_id",
        BigId,
        ForeignKey("subscriptions.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("event_id", String(255), nullable=False),
    Column("event_type", String(128), nullable=False),
    Column("attempt", Integer(), nullable=False),
    Column("at", UTCDateTime(), nullable=False),
    Column("status_code", SmallInteger(), nullable=True),
    # delivered, failed (will be retried or dead-lettered), disabled (not sent: the
    # subscription is off), dropped (not sent: the event no longer matches).
    Column("outcome", String(16), nullable=False),
    Column("error", Text(), nullable=True),
    Column("duration_ms", Integer(), nullable=True),
    Index(None, "subscription_id", "id"),
    Index(None, "event_id"),
)

# Business monitors (observe/monitors): each monitor's (or monitor and subject's) latest
# reading and alert state. An alert is raised when `state` turns "firing" and resolved when
# it turns back to "ok", once each; `/metrics` reads the readings from here at scrape time.
monitor_alerts = Table(
    "monitor_alerts",
    metadata,
    Column("key", String(255), primary_key=True),
    Column("monitor", String(64), nullable=False),
    Column("subject", String(255), nullable=True),
    Column("state", String(16), nullable=False),
    Column("value", Integer(), nullable=False),
    Column("oldest_age_seconds", Integer(), nullable=True),
    Column("threshold_seconds", Integer(), nullable=False),
    Column("details", Json, nullable=False),
    Column("raised_at", UTCDateTime(), nullable=True),
    Column("resolved_at", UTCDateTime(), nullable=True),
    Column("evaluated_at", UTCDateTime(), nullable=False),
    Index(None, "state"),
)

# Outbound fulfillment: one row per delivery order, from its release to the WMS to its
# invoice (flows/outbound). `request` is the last FulfillmentRequest from Odoo, `shipped` the
# quantities shipped per line, `confirmations` the WMS ship confirmations already applied.
fulfillments = Table(
    "fulfillments",
    metadata,
    Column("fulfillment_id", String(255), primary_key=True),
    Column("correlation_id", String(255), nullable=True),
    Column("odoo_partner", String(64), nullable=True),
    Column("wms_partner", String(64), nullable=True),
    Column("picking_id", Integer(), nullable=True),
    Column("warehouse", String(64), nullable=True),
    Column("customer", String(255), nullable=True),
    Column("state", String(32), nullable=False),
    Column("hold_reason", Text(), nullable=True),
    Column("wms_order_id", String(255), nullable=True),
    Column("request", Json, nullable=False),
    Column("shipped", Json, nullable=False),
    Column("confirmations", Json, nullable=False),
    Column("tracking_numbers", Json, nullable=False),
    Column("packages", Json, nullable=False),
    Column("carrier_code", String(64), nullable=True),
    Column("service_level", String(255), nullable=True),
    Column("backorder_id", Integer(), nullable=True),
    Column("delivered_at", UTCDateTime(), nullable=True),
    Column("proof_of_delivery", SmallInteger(), nullable=False),
    Column("invoice_ids", Json, nullable=False),
    Column("invoiced_at", UTCDateTime(), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index(None, "state", "updated_at"),
    Index(None, "correlation_id"),
)

# Exceptions a person must see: holds, short picks, refused shipments, cancellation conflicts.
# `event_id` is the derived id of the event that announced it: a replayed step adds no row.
fulfillment_exceptions = Table(
    "fulfillment_exceptions",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("event_id", String(36), nullable=False, unique=True),
    Column("fulfillment_id", String(255), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("detail", Text(), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Index(None, "fulfillment_id"),
)

# Updates refused because the system that sent them does not own the field (both values kept).
ownership_conflicts = Table(
    "ownership_conflicts",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("event_id", String(36), nullable=False, unique=True),
    Column("entity", String(255), nullable=False),
    Column("field", String(64), nullable=False),
    Column("owner", String(64), nullable=False),
    Column("reported_by", String(64), nullable=False),
    Column("owner_value", Text(), nullable=True),
    Column("reported_value", Text(), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Index(None, "entity"),
)

# EDI interchanges received from and sent to suppliers, for acknowledgement bookkeeping:
# an inbound row keeps the 997 / CONTRL sent back in `reply_body` (a repeated interchange
# gets the same one); an outbound row keeps the bytes sent there and waits for the
# partner's acknowledgement until `ack_due_at`.
edi_interchanges = Table(
    "edi_interchanges",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("partner", String(64), nullable=False),
    Column("direction", String(3), nullable=False),
    Column("standard", String(8), nullable=False),
    Column("sender", String(64), nullable=False),
    Column("receiver", String(64), nullable=False),
    Column("control_number", String(32), nullable=False),
    Column("document", String(128), nullable=True),
    Column("message_id", String(36), nullable=True),
    Column("file_name", String(255), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    # pending, accepted, rejected, overdue (alert raised), none (not to be acknowledged).
    Column("ack_status", String(16), nullable=False),
    Column("ack_due_at", UTCDateTime(), nullable=True),
    Column("ack_received_at", UTCDateTime(), nullable=True),
    Column("ack_detail", Json, nullable=True),
    Column("reply_file", String(255), nullable=True),
    Column("reply_body", LargeBinary(), nullable=True),
    UniqueConstraint("partner", "direction", "sender", "control_number"),
    Index(None, "ack_status", "ack_due_at"),
    Index(None, "partner", "direction", "document"),
)

# The procurement flow's state, one row per purchase order (docs/procurement.md): what was
# ordered, acknowledged, shipped, received and billed, and the exceptions raised on the way.
procurement_orders = Table(
    "procurement_orders",
    metadata,
    Column("po_number", String(64), primary_key=True),
    Column("supplier", String(64), nullable=True),
    Column("state", String(32), nullable=False),
    Column("purchase_order", Json, nullable=False),
    Column("progress", Json, nullable=False),
    Column("exceptions", Json, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index(None, "state", "updated_at"),
)

# Carrier labels Crossdock booked itself (for warehouses that do not book the carrier).
shipping_labels = Table(
    "shipping_labels",
    metadata,
    Column("tracking_number", String(255), primary_key=True),
    Column("fulfillment_id", String(255), nullable=False),
    Column("carrier_partner", String(64), nullable=False),
    Column("carrier_code", String(64), nullable=False),
    Column("service_level", String(255), nullable=True),
    Column("label_format", String(16), nullable=False),
    Column("label", Text(), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Index(None, "fulfillment_id"),
    # The rate shopped for it (docs/outbound.md "Rate shopping"): chosen rate and why.
    Column("rate", Json, nullable=True),
)

# One row per partner endpoint (resource), shared by every worker on the database: its
# circuit breaker, its rate-limit token bucket and a pause asked for by the partner itself
# (429/503 with Retry-After). Fetching locks the row, so admissions are atomic across workers.
resource_states = Table(
    "resource_states",
    metadata,
    Column("resource", String(128), primary_key=True),
    # closed (calls flow), open (no calls until retry_at), half_open (a few probes).
    Column("state", String(16), nullable=False),
    Column("consecutive_failures", Integer(), nullable=False),
    Column("window_started_at", UTCDateTime(), nullable=True),
    Column("window_calls", Integer(), nullable=False),
    Column("window_failures", Integer(), nullable=False),
    Column("opened_at", UTCDateTime(), nullable=True),
    Column("retry_at", UTCDateTime(), nullable=True),
    Column("probe_successes", Integer(), nullable=False),
    Column("times_opened", Integer(), nullable=False),
    Column("tokens", Float(), nullable=True),
    Column("tokens_at", UTCDateTime(), nullable=True),
    Column("paused_until", UTCDateTime(), nullable=True),
    Column("last_error", Text(), nullable=True),
    Column("updated_at", UTCDateTime(), nullable=False),
)

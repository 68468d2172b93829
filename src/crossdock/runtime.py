"""Wiring: one object that builds the store, queue, inbox, partners, routes and job types."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from crossdock.clock import Clock, SystemClock
from crossdock.config import Config
from crossdock.connectors.base import ConnectorServices
from crossdock.connectors.catalog import CONNECTORS
from crossdock.connectors.notify import wiring as notify
from crossdock.errors import ConfigError
from crossdock.flows import status_board, tracking
from crossdock.flows.outbound import wiring as outbound
from crossdock.flows.outbound.gateway import WarehouseGateways
from crossdock.flows.procurement import wiring as procurement
from crossdock.flows.tracking_sinks import TrackingSink
from crossdock.observe.monitors import job as monitors
from crossdock.partners import PartnerDirectory
from crossdock.pipeline.intake import GroupCommitter
from crossdock.pipeline.registry import JobRegistry
from crossdock.pipeline.route import Router
from crossdock.pipeline.translate import (
    TRANSLATE_JOB,
    TRANSLATE_POLICY,
    make_translate_handler,
    translate_job_factory,
)
from crossdock.pipeline.worker import Worker, WorkerSettings
from crossdock.resilience.gate import PartnerGate
from crossdock.security.prod_checks import ensure_fit_for_environment
from crossdock.store.engine import Store
from crossdock.store.inbox import Inbox
from crossdock.store.jobs import JobQueue

Plugin = Callable[[JobRegistry, Router], None]


def load_plugin(reference: str) -> Plugin:
    """Import `package.module:function`; the function registers job types and routes."""
    module_name, _, attribute = reference.partition(":")
    if not module_name or not attribute:
        raise ConfigError(f"plugin {reference!r} must look like 'package.module:function'")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ConfigError(f"plugin {reference!r}: cannot import {module_name}: {exc}") from None
    plugin = getattr(module, attribute, None)
    if not callable(plugin):
        raise ConfigError(f"plugin {reference!r}: {module_name} has no function {attribute}")
    return cast(Plugin, plugin)


@dataclass
class Runtime:
    config: Config
    clock: Clock
    store: Store
    queue: JobQueue
    inbox: Inbox
    registry: JobRegistry
    router: Router
    partners: PartnerDirectory

    @classmethod
    def build(cls, config: Config, clock: Clock | None = None) -> Runtime:
        ensure_fit_for_environment(config)
        store = Store.from_url(
            config.database.url,
            pool_size=config.database.pool_size,
            sqlite_synchronous=config.database.sqlite_synchronous,
        )
        gate = PartnerGate(config.resilience, store.dialect) if config.resilience.enabled else None
        queue = JobQueue(store, gate)
        inbox = Inbox(store, queue)
        registry = JobRegistry(
            {name: policy.to_policy() for name, policy in config.job_policies.items()}
        )
        router = Router()
        partners = PartnerDirectory(config, clock)
        registry.register(
            TRANSLATE_JOB, make_translate_handler(inbox, partners, router), TRANSLATE_POLICY
        )
        status_board.register(registry, router)
        notify.register(registry, router, config.notifications)
        tracking_sinks: list[TrackingSink] = []
        tracking.register(registry, router, config.tracking, tracking_sinks)
        monitors.register(registry, router, config.monitors)
        warehouse_gateways = WarehouseGateways()
        outbound.register(registry, router, config.outbound, warehouse_gateways, partners.config)
        services = ConnectorServices(
            registry=registry,
            router=router,
            inbox=inbox,
            partner_config=partners.config,
            translate_job=translate_job_factory(partners),
            partners=config.partners,
            tracking_sinks=tracking_sinks,
            warehouse_gateways=warehouse_gateways,
        )
        kinds = {partner.kind: CONNECTORS.get(partner.kind) for partner in config.partners}
        for connector in kinds.values():
            if connector is not None and connector.register is not None:
                connector.register(services)
        procurement.register(registry, router, config, partners)
        for reference in config.plugins:
            load_plugin(reference)(registry, router)
        return cls(
            config=config,
            clock=clock or SystemClock(),
            store=store,
            queue=queue,
            inbox=inbox,
            registry=registry,
            router=router,
            partners=partners,
        )

    def schedule_startup_jobs(self) -> int:
        """Enqueue what each partner's connector needs running (first polls, …); repeated
        calls by many processes create each job once (idempotency keys)."""
        now = self.clock.now()
        specs = []
        for partner in self.config.partners:
            connector = CONNECTORS.get(partner.kind)
            if connector is not None and connector.startup_jobs is not None:
                specs.extend(connector.startup_jobs(partner, now))
        specs.extend(monitors.startup_jobs(self.config.monitors, now))
        return len(self.queue.enqueue(specs, now)) if specs else 0

    def worker(self, worker_id: str | None = None) -> Worker:
        settings = self.config.workers
        return Worker(
            self.queue,
            self.registry,
            self.clock,
            WorkerSettings(
                concurrency=settings.concurrency,
                lease=settings.lease,
                poll_interval=settings.poll_interval,
                reclaim_interval=settings.reclaim_interval,
            ),
            worker_id=worker_id,
        )

    def committer(self, on_commit: Callable[[], None] | None = None) -> GroupCommitter:
        return GroupCommitter(
            self.inbox,
            translate_job_factory(self.partners),
            max_batch=self.config.intake.group_commit_max_batch,
            max_wait=self.config.intake.group_commit_max_wait,
            on_commit=on_commit,
        )

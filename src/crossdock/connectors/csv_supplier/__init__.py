"""The `csv_supplier` connector kind: a supplier without EDI, exchanging CSV files over a
drop folder or SFTP (`connectors/files`). Confirmed purchase orders go out as CSV files;
its acknowledgement, ship notice and invoice files come back through the inbox and
translate to the events of their X12 / EDIFACT counterparts, so the procurement flow
handles them unchanged. See docs/procurement.md."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from crossdock.config import PartnerConfig
from crossdock.connectors.base import ConnectorKind, ConnectorServices, NoWebhooks
from crossdock.connectors.csv_supplier.jobs import register_jobs
from crossdock.connectors.csv_supplier.settings import KIND, CsvSupplierSettings
from crossdock.connectors.csv_supplier.translate import FILE_HEADER, PRODUCES, translate
from crossdock.connectors.files.jobs import (
    FileIntake,
    content_keyed,
    no_follow_ups,
    register_intake,
    startup_poll,
)
from crossdock.connectors.files.settings import FolderTransport, SftpTransport
from crossdock.store.jobs import JobSpec


def _verifier(secrets: Sequence[str], settings: Mapping[str, Any]) -> NoWebhooks:
    return NoWebhooks()


def transport_of(partner: PartnerConfig) -> FolderTransport | SftpTransport:
    return CsvSupplierSettings.model_validate(partner.settings).transport


message_for = content_keyed(FILE_HEADER, "text/csv")


def register(services: ConnectorServices) -> None:
    register_intake(services, KIND, FileIntake(transport_of, message_for, no_follow_ups))
    register_jobs(services)


def startup_jobs(partner: PartnerConfig, now: datetime) -> list[JobSpec]:
    return [startup_poll(partner.id, transport_of(partner), now)]


CONNECTOR = ConnectorKind(
    kind=KIND,
    description="A supplier exchanging CSV files (orders out; acknowledgements, ship notices "
    "and invoices in) over a drop folder or SFTP",
    capabilities=frozenset({"exchange_files", "send_orders"}),
    make_verifier=_verifier,
    translate=translate,
    produces=PRODUCES,
    settings_model=CsvSupplierSettings,
    secret_required=False,
    register=register,
    startup_jobs=startup_jobs,
)

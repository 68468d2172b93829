"""The `csv_supplier` connector kind: a supplier without EDI, exchanging CSV files over a
drop folder or SFTP (`connectors/files`). Confirmed purchase orders go out as CSV files;
its acknowledgement, ship notice and invoice files come back through the inbox and
translate to the events of their X12 / EDIFACT counterparts, so the procurement flow
handles them unchanged. See docs/procurement.md."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from crossdock.config import PartnerConfig
from crossdock.connectors.base import ConnectorKind, ConnectorServices, NoWebhooks
from crossdock.connectors.csv_supplier.jobs import register_jobs
from crossdock.connectors.csv_supplier.settings import KIND, CsvSupplierSettings
from crossdock.connectors.csv_supplier.translate import FILE_HEADER, PRODUCES, translate
from crossdock.connectors.files.jobs import FileIntake, register_intake, startup_poll
from crossdock.connectors.files.settings import FolderTransport, SftpTransport
from crossdock.ids import new_id
from crossdock.store.inbox import IncomingMessage
from crossdock.store.jobs import JobSpec


def _verifier(secrets: Sequence[str], settings: Mapping[str, Any]) -> NoWebhooks:
    return NoWebhooks()


def transport_of(partner: PartnerConfig) -> FolderTransport | SftpTransport:
    return CsvSupplierSettings.model_validate(partner.settings).transport


def message_for(partner_id: str, name: str, body: bytes, now: datetime) -> IncomingMessage:
    """Keyed by content: the same file dropped again (or under a new name) is one message."""
    return IncomingMessage(
        id=new_id(),
        partner=partner_id,
        dedup_key=f"sha256:{hashlib.sha256(body).hexdigest()}",
        received_at=now,
        headers={FILE_HEADER: name},
        body=body,
        content_type="text/csv",
    )


def _no_follow_ups(*_args: object) -> list[JobSpec]:
    return []


def register(services: ConnectorServices) -> None:
    register_intake(services, KIND, FileIntake(transport_of, message_for, _no_follow_ups))
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

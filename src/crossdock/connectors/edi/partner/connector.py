"""The `edi_supplier` connector kind: a supplier exchanging X12 or EDIFACT files over a drop
folder or SFTP. Files come in through the file transport (`connectors/files`) into the
inbox, keyed by interchange; translation maps each set to canonical events; the jobs in
`jobs.py` answer, send and watch."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from crossdock.config import PartnerConfig
from crossdock.connectors.base import (
    ConnectorKind,
    ConnectorServices,
    NoWebhooks,
)
from crossdock.connectors.edi.partner.identify import dedup_key
from crossdock.connectors.edi.partner.jobs import KIND, ack_job, register_jobs, watch_job
from crossdock.connectors.edi.partner.settings import EdiPartnerSettings
from crossdock.connectors.edi.partner.translate import PRODUCES, translate
from crossdock.connectors.files.jobs import FileIntake, register_intake, startup_poll
from crossdock.connectors.files.settings import FolderTransport, SftpTransport
from crossdock.ids import new_id
from crossdock.store.inbox import IncomingMessage

CONTENT_TYPES = {"x12": "application/edi-x12", "edifact": "application/edifact"}
FILE_HEADER = "x-crossdock-file"


def _verifier(secrets: Sequence[str], settings: Mapping[str, Any]) -> NoWebhooks:
    return NoWebhooks("this partner exchanges files; it has no webhook")


def transport_of(partner: PartnerConfig) -> FolderTransport | SftpTransport:
    return EdiPartnerSettings.model_validate(partner.settings).transport


def message_for(partner_id: str, name: str, body: bytes, now: datetime) -> IncomingMessage:
    return IncomingMessage(
        id=new_id(),
        partner=partner_id,
        dedup_key=dedup_key(body),
        received_at=now,
        headers={FILE_HEADER: name},
        body=body,
        content_type=CONTENT_TYPES[
            "x12" if body.lstrip(b"\xef\xbb\xbf \r\n").startswith(b"ISA") else "edifact"
        ],
    )


def register(services: ConnectorServices) -> None:
    register_intake(services, KIND, FileIntake(transport_of, message_for, ack_job))
    register_jobs(services)


def startup_jobs(partner: PartnerConfig, now: datetime) -> list[Any]:
    settings = EdiPartnerSettings.model_validate(partner.settings)
    return [startup_poll(partner.id, settings.transport, now), watch_job(partner.id, settings, now)]


CONNECTOR = ConnectorKind(
    kind=KIND,
    description="A supplier exchanging X12 or EDIFACT files over a drop folder or SFTP",
    capabilities=frozenset({"exchange_files", "send_orders"}),
    make_verifier=_verifier,
    translate=translate,
    produces=PRODUCES,
    settings_model=EdiPartnerSettings,
    secret_required=False,
    register=register,
    startup_jobs=startup_jobs,
)

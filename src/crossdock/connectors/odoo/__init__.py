"""Crossdock's Odoo connector: a client for Odoo's external API and the batching that makes it fast.

Crossdock reaches Odoo only through its external API (JSON-RPC up to 18.0, JSON-2 from 19.0);
see docs/connectors/odoo.md.
"""

from crossdock.connectors.odoo.batching import Update, WritePlan, WriteStep, plan_writes
from crossdock.connectors.odoo.client import OdooClient, make_http_client
from crossdock.connectors.odoo.errors import (
    OdooAccessDenied,
    OdooAccessError,
    OdooBadRequest,
    OdooConcurrencyError,
    OdooConnectionError,
    OdooError,
    OdooLockError,
    OdooMissingError,
    OdooPermanentError,
    OdooPrivateMethod,
    OdooRetryableError,
    OdooServerError,
    OdooTimeout,
    OdooUnavailable,
    OdooUsageError,
    OdooUserError,
    OdooValidationError,
    OdooWriteSkipped,
    error_from_json2,
    error_from_jsonrpc,
)
from crossdock.connectors.odoo.operations import LoadResult
from crossdock.connectors.odoo.settings import OdooPoolLimits, OdooSettings, OdooTimeouts
from crossdock.connectors.odoo.upsert import upsert_by_external_id, upsert_by_field
from crossdock.connectors.odoo.writer import CoalescingWriter

__all__ = [
    "CoalescingWriter",
    "LoadResult",
    "OdooAccessDenied",
    "OdooAccessError",
    "OdooBadRequest",
    "OdooClient",
    "OdooConcurrencyError",
    "OdooConnectionError",
    "OdooError",
    "OdooLockError",
    "OdooMissingError",
    "OdooPermanentError",
    "OdooPoolLimits",
    "OdooPrivateMethod",
    "OdooRetryableError",
    "OdooServerError",
    "OdooSettings",
    "OdooTimeout",
    "OdooTimeouts",
    "OdooUnavailable",
    "OdooUsageError",
    "OdooUserError",
    "OdooValidationError",
    "OdooWriteSkipped",
    "Update",
    "WritePlan",
    "WriteStep",
    "error_from_json2",
    "error_from_jsonrpc",
    "make_http_client",
    "plan_writes",
    "upsert_by_external_id",
    "upsert_by_field",
]

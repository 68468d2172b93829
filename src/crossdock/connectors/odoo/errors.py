"""Odoo failures as one typed tree, split into what the job queue retries and what it dead-letters.

Every error keeps what Odoo said: the fully qualified exception `name`, its `message`, its
`arguments` and the server traceback in `debug`. Two pure functions turn wire errors into
these classes, so the mapping is tested without a network:

- `error_from_jsonrpc(payload)`: JSON-RPC answers HTTP 200 with an `error` object whose `data`
  is `serialize_exception(exc)` (odoo/http.py `JsonRPCDispatcher.handle_error`: `code` 200 up
  to 18.0, 0 in 19.0; 404 for an unknown route, 100 for an expired session).
- `error_from_json2(status, body, headers)`: JSON-2 answers 4xx/5xx with the same
  `{name, message, arguments, context, debug}` object (odoo/http.py
  `Json2Dispatcher.handle_error`, 19.0; the status is the exception's `http_status`: 422 for
  UserError and ValidationError, 403 AccessError/AccessDenied, 404 MissingError, 409
  LockError; 401 `werkzeug.exceptions.Unauthorized` for a bad API key).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

from crossdock.errors import CrossdockError, PermanentError, RetryableError


class OdooError(CrossdockError):
    """Base of every Odoo failure; `name` is Odoo's exception name, e.g. `odoo.exceptions.X`."""

    def __init__(
        self,
        message: str,
        *,
        name: str = "",
        arguments: tuple[Any, ...] = (),
        debug: str = "",
        status: int | None = None,
    ) -> None:
        self.message = message
        self.name = name
        self.arguments = arguments
        self.debug = debug
        self.status = status
        super().__init__(f"{name}: {message}" if name else message)


class OdooPermanentError(OdooError, PermanentError):
    """Will fail again the same way: dead-lettered at once."""


class OdooRetryableError(OdooError, RetryableError):
    """May succeed later: retried with backoff."""


class OdooServerError(OdooPermanentError):
    """An exception Odoo does not classify (a bug, a TypeError in a method): not retried."""


class OdooBadRequest(OdooPermanentError):
    """Odoo rejected the request itself: unknown model, method or route, or bad arguments."""


class OdooUsageError(OdooBadRequest):
    """Crossdock refused to send a request that cannot work (caught client-side)."""


class OdooUserError(OdooPermanentError):
    """`odoo.exceptions.UserError`: a business rule refused the operation."""


class OdooValidationError(OdooUserError):
    """`odoo.exceptions.ValidationError`, also SQL constraint violations and failed `load` rows."""


class OdooMissingError(OdooUserError):
    """`odoo.exceptions.MissingError`: the records do not exist (any more)."""


class OdooAccessDenied(OdooPermanentError):
    """Authentication failed: wrong login, password or API key, or an expired session."""


class OdooAccessError(OdooPermanentError):
    """`odoo.exceptions.AccessError`: authenticated, but not allowed to do this."""


class OdooPrivateMethod(OdooAccessError):
    """A method whose name starts with `_`: Odoo never serves those remotely."""


class OdooConcurrencyError(OdooRetryableError):
    """Serialization failure or deadlock between transactions, after Odoo's own retries."""


class OdooLockError(OdooRetryableError):
    """`odoo.exceptions.LockError` (18.0+) or PostgreSQL `LockNotAvailable`: records are locked."""


class OdooUnavailable(OdooRetryableError):
    """Odoo or its proxy is overloaded or down (HTTP 429/502/503/504); honour `retry_after`."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kw: Any) -> None:
        self.retry_after = retry_after
        super().__init__(message, **kw)


class OdooTimeout(OdooRetryableError):
    """No answer in time. When `request_sent`, Odoo may have applied the call anyway."""

    def __init__(self, message: str, *, request_sent: bool = True, **kw: Any) -> None:
        self.request_sent = request_sent
        super().__init__(message, **kw)


class OdooConnectionError(OdooRetryableError):
    """The connection to Odoo failed or broke."""


class OdooWriteSkipped(OdooRetryableError):
    """Not attempted because an earlier update it must follow failed; `cause` is that failure."""

    def __init__(self, message: str, *, cause: BaseException) -> None:
        self.cause = cause
        super().__init__(message)


# Matched on the class name: Odoo moved some classes between modules across versions
# (SessionExpiredException left odoo.http for odoo.http.session), the names stayed.
_BY_CLASS_NAME: dict[str, type[OdooError]] = {
    "UserError": OdooUserError,
    "RedirectWarning": OdooUserError,
    "except_orm": OdooUserError,
    "ValidationError": OdooValidationError,
    "MissingError": OdooMissingError,
    "AccessDenied": OdooAccessDenied,
    "SessionExpiredException": OdooAccessDenied,
    "AccessError": OdooAccessError,
    "LockError": OdooLockError,
    "LockNotAvailable": OdooLockError,
    # odoo/service/model.py `retrying` re-raises PostgreSQL's concurrency errors once its own
    # five tries are spent (psycopg2.errors.SerializationFailure and DeadlockDetected, both
    # psycopg2.extensions.TransactionRollbackError); 18.0 adds odoo.exceptions.ConcurrencyError.
    "ConcurrencyError": OdooConcurrencyError,
    "SerializationFailure": OdooConcurrencyError,
    "DeadlockDetected": OdooConcurrencyError,
    "TransactionRollbackError": OdooConcurrencyError,
    "QueryCanceled": OdooTimeout,
    "QueryCanceledError": OdooTimeout,
    # A bare psycopg2.OperationalError carries no SQLSTATE: Odoo lost its database connection.
    "OperationalError": OdooUnavailable,
    "Unauthorized": OdooAccessDenied,
    "Forbidden": OdooAccessError,
    "NotFound": OdooBadRequest,
    "BadRequest": OdooBadRequest,
    "MethodNotAllowed": OdooBadRequest,
    "UnprocessableEntity": OdooBadRequest,
    "TooManyRequests": OdooUnavailable,
    "ServiceUnavailable": OdooUnavailable,
}
_KNOWN_MODULES = ("odoo.", "werkzeug.", "psycopg2.")
_UNAVAILABLE_STATUSES = frozenset({429, 502, 503, 504})
# JSON-RPC error codes other than the generic 200 (<= 18.0) and 0 (19.0).
_BY_JSONRPC_CODE: dict[int, type[OdooError]] = {404: OdooBadRequest, 100: OdooAccessDenied}
# JSON-2 statuses that identify the UserError family when the exception is a subclass we
# do not know by name (an addon's own UserError subclass keeps its parent's http_status).
_BY_STATUS: dict[int, type[OdooError]] = {
    401: OdooAccessDenied,
    403: OdooAccessError,
    409: OdooLockError,
    422: OdooUserError,
}


def class_for(name: str) -> type[OdooError] | None:
    """The class for an Odoo exception name, or None when the name is not one we know."""
    if not name.startswith(_KNOWN_MODULES) and "." in name:
        return None
    return _BY_CLASS_NAME.get(name.rsplit(".", 1)[-1])


def _refine(cls: type[OdooError], data: Mapping[str, Any]) -> type[OdooError]:
    """A missing database is reported as a bare OperationalError too: that one is permanent."""
    name = str(data.get("name") or "")
    if name.endswith(".OperationalError") and "does not exist" in str(data.get("message") or ""):
        return OdooBadRequest
    return cls


def _build(
    cls: type[OdooError],
    data: Mapping[str, Any],
    status: int | None,
    headers: Mapping[str, str],
    now: datetime | None = None,
) -> OdooError:
    cls = _refine(cls, data)
    name = str(data.get("name") or "")
    raw_args = data.get("arguments")
    arguments = tuple(raw_args) if isinstance(raw_args, list | tuple) else ()
    message = data.get("message")
    if not isinstance(message, str) or not message:
        message = str(arguments[0]) if arguments else "Odoo error"
    debug = str(data.get("debug") or "")
    if issubclass(cls, OdooUnavailable):
        retry_after = parse_retry_after(_header(headers, "retry-after"), now)
        return cls(
            message,
            name=name,
            arguments=arguments,
            debug=debug,
            status=status,
            retry_after=retry_after,
        )
    return cls(message, name=name, arguments=arguments, debug=debug, status=status)


def error_from_jsonrpc(payload: Mapping[str, Any]) -> OdooError:
    """The error in a JSON-RPC response (the whole response or just its `error` member)."""
    error = payload.get("error", payload)
    if not isinstance(error, Mapping):
        return OdooServerError(f"malformed JSON-RPC error: {error!r}")
    data = error.get("data")
    if not isinstance(data, Mapping):
        data = {}
    code = error.get("code")
    name = str(data.get("name") or "")
    cls = class_for(name)
    if cls is None:
        cls = _BY_JSONRPC_CODE.get(code, OdooServerError) if isinstance(code, int) else None
        cls = cls or OdooServerError
    if not data.get("message"):
        data = {**data, "message": str(error.get("message") or "Odoo Server Error")}
    return _build(cls, data, None, {})


def error_from_json2(
    status: int,
    body: Any,
    headers: Mapping[str, str] | None = None,
    now: datetime | None = None,
) -> OdooError:
    """The error in a JSON-2 (or any non-200 HTTP) response, from its status, body and headers."""
    headers = headers or {}
    data: Mapping[str, Any]
    if isinstance(body, Mapping):
        data = body
    elif isinstance(body, str) and body:
        data = {"message": body}  # early 19.0 builds answered with a bare JSON string
    else:
        data = {"message": f"HTTP {status}"}
    name = str(data.get("name") or "")
    cls = class_for(name) if name else None
    if status in _UNAVAILABLE_STATUSES and cls is not OdooLockError:
        cls = OdooUnavailable
    if cls is None:
        cls = _BY_STATUS.get(status)
    if cls is None:
        cls = OdooBadRequest if 400 <= status < 500 else OdooServerError
    return _build(cls, data, status, headers, now)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP-date (RFC 9110)."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    reference = now or datetime.now(when.tzinfo)
    return max(0.0, (when - reference).total_seconds())


def _header(headers: Mapping[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None

"""Odoo's exceptions as the sandbox raises them, and their wire form.

The classes mirror ``odoo/exceptions.py`` (their fully qualified names travel in every error
response, and 19's JSON-2 maps them to HTTP statuses through ``http_status``: UserError and
ValidationError 422, AccessDenied and AccessError 403, MissingError 404, LockError 409).
``serialize`` follows ``serialize_exception`` in ``odoo/http.py``: ``name``, ``debug``,
``message``, ``arguments`` and ``context``. Any other Python exception is reported the way
Odoo reports it, as ``builtins.<Type>``; database failures carry psycopg2's names.
"""

from __future__ import annotations

from typing import Any, ClassVar


class OdooError(Exception):
    """Base of every error the sandbox sends back as Odoo would."""

    odoo_name: ClassVar[str] = "odoo.exceptions.UserError"
    http_status: ClassVar[int] = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)

    @property
    def message(self) -> str:
        return str(self.args[0])


class UserError(OdooError):
    odoo_name = "odoo.exceptions.UserError"
    http_status = 422


class ValidationError(UserError):
    odoo_name = "odoo.exceptions.ValidationError"


class AccessError(UserError):
    odoo_name = "odoo.exceptions.AccessError"
    http_status = 403


class AccessDenied(UserError):
    """Bad login, password or API key (no traceback in Odoo either)."""

    odoo_name = "odoo.exceptions.AccessDenied"
    http_status = 403

    def __init__(self, message: str = "Access Denied") -> None:
        super().__init__(message)


class MissingError(UserError):
    odoo_name = "odoo.exceptions.MissingError"
    http_status = 404


class LockError(UserError):
    """19's failure to lock rows (``lock_for_update`` in odoo/models.py)."""

    odoo_name = "odoo.exceptions.LockError"
    http_status = 409


class DatabaseError(OdooError):
    """A psycopg2 error that Odoo lets through after ``retrying`` gave up."""

    def __init__(self, odoo_name: str, message: str) -> None:
        super().__init__(message)
        self._name = odoo_name

    @property
    def name(self) -> str:
        return self._name


def serialization_failure() -> DatabaseError:
    """What Odoo reports once its 5 tries on a concurrent update are spent."""
    return DatabaseError(
        "psycopg2.errors.SerializationFailure",
        "could not serialize access due to concurrent update\n",
    )


def lock_not_available(table: str) -> DatabaseError:
    """A ``FOR UPDATE NOWAIT`` that found the row locked (before 19's LockError)."""
    return DatabaseError(
        "psycopg2.errors.LockNotAvailable",
        f'could not obtain lock on row in relation "{table}"\n',
    )


def unknown_database(db: str) -> DatabaseError:
    return DatabaseError(
        "psycopg2.OperationalError",
        f'connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: '
        f'FATAL:  database "{db}" does not exist\n',
    )


class HttpError(Exception):
    """A werkzeug HTTP exception, as JSON-2 raises them (NotFound, Unauthorized...)."""

    names: ClassVar[dict[int, tuple[str, str]]] = {
        400: ("BadRequest", "Bad Request"),
        401: ("Unauthorized", "Unauthorized"),
        403: ("Forbidden", "Forbidden"),
        404: ("NotFound", "Not Found"),
        405: ("MethodNotAllowed", "Method Not Allowed"),
        422: ("UnprocessableEntity", "Unprocessable Entity"),
    }

    def __init__(self, code: int, description: str, headers: dict[str, str] | None = None):
        super().__init__(description, code)
        self.code = code
        self.description = description
        self.headers = headers or {}

    @property
    def name(self) -> str:
        return f"werkzeug.exceptions.{self.names[self.code][0]}"


def exception_name(exc: BaseException) -> str:
    """The ``name`` Odoo gives an exception: its module and class."""
    if isinstance(exc, DatabaseError):
        return exc.name
    if isinstance(exc, HttpError):
        return exc.name
    if isinstance(exc, OdooError):
        return exc.odoo_name
    module = type(exc).__module__
    return f"{module}.{type(exc).__name__}" if module else type(exc).__name__


def exception_message(exc: BaseException) -> str:
    """``exception_to_unicode``: the first argument for Odoo errors, ``str()`` otherwise."""
    if isinstance(exc, HttpError):
        return exc.description
    if isinstance(exc, OdooError):
        return exc.message
    return str(exc)


def fake_traceback(exc: BaseException) -> str:
    """A traceback shaped like the ones Odoo sends; the sandbox's own frames stay private."""
    return (
        "Traceback (most recent call last):\n"
        '  File "/usr/lib/python3/dist-packages/odoo/http.py", line 1780, in _serve_db\n'
        "    return service_model.retrying(self._serve_ir_http, self.env)\n"
        '  File "/usr/lib/python3/dist-packages/odoo/service/model.py", line 133, in retrying\n'
        "    result = func()\n"
        '  File "/usr/lib/python3/dist-packages/odoo/api.py", line 468, in call_kw\n'
        "    result = _call_kw_multi(method, model, args, kwargs)\n"
        f"{exception_name(exc)}: {exception_message(exc)}\n"
    )


def serialize(exc: BaseException) -> dict[str, Any]:
    """``serialize_exception`` of odoo/http.py."""
    if isinstance(exc, HttpError):
        arguments: list[Any] = [exc.description, exc.code]
    else:
        arguments = [str(arg) if isinstance(arg, BaseException) else arg for arg in exc.args]
    return {
        "name": exception_name(exc),
        "debug": fake_traceback(exc),
        "message": exception_message(exc),
        "arguments": arguments,
        "context": {},
    }

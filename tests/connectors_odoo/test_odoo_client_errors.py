"""Odoo failures map to one typed tree on both protocols; the job queue retries the right ones."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import httpx
import pytest

from crossdock.connectors.odoo.errors import (
    OdooAccessDenied,
    OdooAccessError,
    OdooBadRequest,
    OdooConcurrencyError,
    OdooConnectionError,
    OdooError,
    OdooLockError,
    OdooMissingError,
    OdooServerError,
    OdooTimeout,
    OdooUnavailable,
    OdooUserError,
    OdooValidationError,
    error_from_json2,
    error_from_jsonrpc,
    parse_retry_after,
)
from crossdock.connectors.odoo.settings import OdooTimeouts
from crossdock.errors import PermanentError, RetryableError
from crossdock.pipeline.retry import RetryPolicy
from tests.connectors_odoo.odoo_fakes import FakeOdoo, FakeOdooError, client_for

# (Odoo exception name, JSON-2 status, expected class, retried by the job queue)
CASES: list[tuple[str, int, type[OdooError], bool]] = [
    ("odoo.exceptions.UserError", 422, OdooUserError, False),
    ("odoo.exceptions.ValidationError", 422, OdooValidationError, False),
    ("odoo.exceptions.MissingError", 404, OdooMissingError, False),
    ("odoo.exceptions.AccessError", 403, OdooAccessError, False),
    ("odoo.exceptions.AccessDenied", 403, OdooAccessDenied, False),
    ("odoo.exceptions.LockError", 409, OdooLockError, True),
    ("odoo.exceptions.ConcurrencyError", 500, OdooConcurrencyError, True),
    ("psycopg2.errors.SerializationFailure", 500, OdooConcurrencyError, True),
    ("psycopg2.errors.DeadlockDetected", 500, OdooConcurrencyError, True),
    ("psycopg2.extensions.TransactionRollbackError", 500, OdooConcurrencyError, True),
    ("psycopg2.errors.LockNotAvailable", 500, OdooLockError, True),
    ("werkzeug.exceptions.NotFound", 404, OdooBadRequest, False),
    ("builtins.TypeError", 500, OdooServerError, False),
    ("odoo.addons.stock.models.stock_picking.Surprise", 500, OdooServerError, False),
]
POLICY = RetryPolicy()


def jsonrpc_error(name: str, code: int = 200) -> dict[str, object]:
    return {
        "jsonrpc": "2.0",
        "id": 3,
        "error": {
            "code": code,
            "message": "Odoo Server Error",
            "data": {
                "name": name,
                "debug": "Traceback (most recent call last): ...",
                "message": "The operation cannot be completed",
                "arguments": ["The operation cannot be completed", "detail"],
                "context": {},
            },
        },
    }


@pytest.mark.parametrize(("name", "status", "cls", "retried"), CASES)
@pytest.mark.parametrize("code", [200, 0])
def test_jsonrpc_errors_keep_odoo_name_message_arguments_and_debug(
    name: str, status: int, cls: type[OdooError], retried: bool, code: int
) -> None:
    error = error_from_jsonrpc(jsonrpc_error(name, code))
    assert type(error) is cls
    assert error.name == name
    assert error.message == "The operation cannot be completed"
    assert error.arguments == ("The operation cannot be completed", "detail")
    assert error.debug.startswith("Traceback")
    assert POLICY.is_permanent(error) is not retried
    assert isinstance(error, RetryableError if retried else PermanentError)


@pytest.mark.parametrize(("name", "status", "cls", "retried"), CASES)
def test_json2_errors_map_by_name(
    name: str, status: int, cls: type[OdooError], retried: bool
) -> None:
    body = {"name": name, "message": "m", "arguments": ["m"], "context": {}, "debug": "tb"}
    error = error_from_json2(status, body, {})
    assert type(error) is cls
    assert (error.name, error.message, error.arguments, error.debug) == (name, "m", ("m",), "tb")
    assert error.status == status
    assert POLICY.is_permanent(error) is not retried


def test_json2_bad_api_key_is_access_denied() -> None:
    body = {
        "name": "werkzeug.exceptions.Unauthorized",
        "message": "Invalid apikey",
        "arguments": ["Invalid apikey", 401],
        "context": {},
        "debug": "Traceback ...",
    }
    error = error_from_json2(401, body, {})
    assert isinstance(error, OdooAccessDenied)
    assert error.arguments == ("Invalid apikey", 401)


@pytest.mark.parametrize(
    ("status", "cls"),
    [(401, OdooAccessDenied), (403, OdooAccessError), (409, OdooLockError), (422, OdooUserError)],
)
def test_json2_addon_subclasses_fall_back_on_their_status(
    status: int, cls: type[OdooError]
) -> None:
    body = {"name": "odoo.addons.x.models.CustomerBlocked", "message": "blocked"}
    assert type(error_from_json2(status, body)) is cls


def test_lost_database_is_retried_but_a_missing_one_is_not() -> None:
    lost = {"name": "psycopg2.OperationalError", "message": "server closed the connection"}
    missing = {
        "name": "psycopg2.OperationalError",
        "message": 'FATAL:  database "prod" does not exist',
    }
    assert isinstance(error_from_jsonrpc({"error": {"code": 200, "data": lost}}), OdooUnavailable)
    assert isinstance(error_from_jsonrpc({"error": {"code": 200, "data": missing}}), OdooBadRequest)


def test_jsonrpc_route_codes_without_a_known_name() -> None:
    not_found = {"error": {"code": 404, "message": "404: Not Found", "data": {}}}
    expired = {"error": {"code": 100, "message": "Odoo Session Expired", "data": {}}}
    assert isinstance(error_from_jsonrpc(not_found), OdooBadRequest)
    assert error_from_jsonrpc(not_found).message == "404: Not Found"
    assert isinstance(error_from_jsonrpc(expired), OdooAccessDenied)
    assert isinstance(error_from_jsonrpc({"error": "boom"}), OdooServerError)


@pytest.mark.parametrize("status", [429, 502, 503, 504])
def test_overload_statuses_are_unavailable_with_retry_after(status: int) -> None:
    error = error_from_json2(status, "<html>Bad Gateway</html>", {"Retry-After": "120"})
    assert isinstance(error, OdooUnavailable)
    assert error.retry_after == 120.0
    assert not POLICY.is_permanent(error)


def test_retry_after_accepts_seconds_and_http_dates() -> None:
    now = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    assert parse_retry_after("30", now) == 30.0
    assert parse_retry_after("Thu, 01 Jan 2026 12:01:30 GMT", now) == 90.0
    assert parse_retry_after("Thu, 01 Jan 2026 11:00:00 GMT", now) == 0.0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


@pytest.mark.parametrize(("version", "protocol"), [(16, "jsonrpc"), (18, "jsonrpc"), (19, "json2")])
@pytest.mark.parametrize(("name", "status", "cls", "retried"), CASES)
async def test_the_client_raises_the_mapped_class_on_both_protocols(
    version: int,
    protocol: str,
    name: str,
    status: int,
    cls: type[OdooError],
    retried: bool,
) -> None:
    odoo = FakeOdoo(version=version)

    def fail(call: object) -> None:
        raise FakeOdooError(name, "nope", status)

    odoo.on("stock.picking", "button_validate", fail)
    client = odoo.client(protocol=protocol)
    with pytest.raises(cls) as caught:
        await client.call_button("stock.picking", "button_validate", [4])
    assert caught.value.name == name and caught.value.message == "nope"
    assert "Traceback" in caught.value.debug
    assert client.rpc_counts[("stock.picking", "button_validate")] == 1


async def test_json2_wrong_key_raises_access_denied() -> None:
    odoo = FakeOdoo(version=19)
    client = odoo.client(protocol="json2", api_key="env:ODOO_PASSWORD")  # "pw" is not the key
    with pytest.raises(OdooAccessDenied, match="Invalid apikey"):
        await client.search("res.partner", [])


async def test_gateway_errors_through_the_client_carry_retry_after() -> None:
    def gateway(request: httpx.Request) -> httpx.Response:
        return httpx.Response(503, text="<html>down</html>", headers={"Retry-After": "7"})

    client = client_for(gateway, protocol="json2")
    with pytest.raises(OdooUnavailable) as caught:
        await client.search("res.partner", [])
    assert caught.value.retry_after == 7.0 and caught.value.status == 503


@pytest.mark.parametrize(
    ("exception", "cls", "sent"),
    [
        (httpx.ReadTimeout("read timed out"), OdooTimeout, True),
        (httpx.ConnectTimeout("connect timed out"), OdooTimeout, False),
        (httpx.PoolTimeout("pool exhausted"), OdooTimeout, False),
        (httpx.ConnectError("refused"), OdooConnectionError, None),
        (httpx.RemoteProtocolError("peer closed"), OdooConnectionError, None),
    ],
)
async def test_transport_failures_are_retryable(
    exception: Exception, cls: type[OdooError], sent: bool | None
) -> None:
    def broken(request: httpx.Request) -> httpx.Response:
        raise exception

    client = client_for(broken, protocol="jsonrpc")
    with pytest.raises(cls) as caught:
        await client.search("res.partner", [])
    assert not POLICY.is_permanent(caught.value)
    if sent is not None:
        assert isinstance(caught.value, OdooTimeout)
        assert caught.value.request_sent is sent
    assert caught.value.__cause__ is exception
    assert client.rpc_counts[("common", "authenticate")] == 1


async def test_the_total_timeout_bounds_a_slow_answer() -> None:
    async def slow(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(5)
        return httpx.Response(200, json={})

    timeouts = OdooTimeouts(connect=0.01, read=10, total=0.05)
    client = client_for(slow, protocol="json2", timeouts=timeouts)  # type: ignore[arg-type]
    with pytest.raises(OdooTimeout, match="in total"):
        await client.search("res.partner", [])


async def test_a_non_json_200_is_a_server_error() -> None:
    client = client_for(lambda r: httpx.Response(200, text="<html>login</html>"), protocol="json2")
    with pytest.raises(OdooServerError, match="not JSON"):
        await client.search("res.partner", [])


async def test_a_missing_jsonrpc_route_is_a_bad_request() -> None:
    client = client_for(lambda r: httpx.Response(404, text="<html>404</html>"), protocol="jsonrpc")
    with pytest.raises(OdooBadRequest):
        await client.search("res.partner", [])

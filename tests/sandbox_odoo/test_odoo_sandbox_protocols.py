"""The Odoo sandbox's wire protocols: version routes, JSON-RPC, JSON-2 and their error shapes."""

from __future__ import annotations

import pytest

from crossdock.sandbox.odoo import (
    ADMIN_API_KEY,
    ADMIN_UID,
    BOT_API_KEY,
    BOT_PASSWORD,
    BOT_UID,
    READONLY_API_KEY,
    READONLY_PASSWORD,
    READONLY_UID,
    SANDBOX_DB,
)
from tests.sandbox_odoo.odoo_sandbox_support import RpcFault, Sandbox, running

# --- version routes -------------------------------------------------------------------------


@pytest.mark.parametrize("version", [16, 17, 18, 19])
async def test_version_info_answers_the_rpc_version_of_each_release(version: int) -> None:
    async with running(version) as box:
        response = await box.http.post(
            f"{box.url}/web/webclient/version_info",
            json={"jsonrpc": "2.0", "method": "call", "params": {}, "id": 3},
        )
        assert response.status_code == 200
        assert response.json() == {
            "jsonrpc": "2.0",
            "id": 3,
            "result": {
                "server_version": f"{version}.0",
                "server_version_info": [version, 0, 0, "final", 0, ""],
                "server_serie": f"{version}.0",
                "protocol_version": 1,
            },
        }
        assert await box.rpc("common", "version") == response.json()["result"]
        web_version = await box.http.get(f"{box.url}/web/version")
        if version >= 19:
            assert web_version.json() == {
                "version_info": [19, 0, 0, "final", 0, ""],
                "version": "19.0",
            }
        else:
            assert web_version.status_code == 404
            assert "text/html" in web_version.headers["content-type"]


# --- JSON-RPC: common service ---------------------------------------------------------------


async def test_authenticate_and_login_answer_the_uid_or_false(box: Sandbox) -> None:
    assert await box.rpc("common", "authenticate", SANDBOX_DB, "admin", "admin", {}) == ADMIN_UID
    assert await box.rpc("common", "login", SANDBOX_DB, "bot", BOT_PASSWORD) == BOT_UID
    assert await box.rpc("common", "authenticate", SANDBOX_DB, "bot", BOT_API_KEY, {}) == BOT_UID
    assert await box.rpc("common", "authenticate", SANDBOX_DB, "admin", "wrong", {}) is False
    assert await box.rpc("common", "login", SANDBOX_DB, "nobody", "admin") is False


async def test_unknown_database_is_a_psycopg2_operational_error(box: Sandbox) -> None:
    with pytest.raises(RpcFault) as fault:
        await box.rpc("common", "authenticate", "nope", "admin", "admin", {})
    assert fault.value.name == "psycopg2.OperationalError"
    assert 'database "nope" does not exist' in fault.value.message


# --- JSON-RPC: error shape ------------------------------------------------------------------


async def test_jsonrpc_error_shape_and_code_per_version(box: Sandbox) -> None:
    body = await box.rpc_raw(
        "object", "execute_kw", SANDBOX_DB, ADMIN_UID, "wrong", "res.partner", "search", [[]], {}
    )
    assert "result" not in body
    error = body["error"]
    assert error["code"] == 200
    assert error["message"] == "Odoo Server Error"
    data = error["data"]
    assert set(data) == {"name", "debug", "message", "arguments", "context"}
    assert data["name"] == "odoo.exceptions.AccessDenied"
    assert data["message"] == "Access Denied"
    assert data["arguments"] == ["Access Denied"]
    assert data["context"] == {}
    assert data["debug"].startswith("Traceback (most recent call last):")


async def test_odoo_19_sends_error_code_zero(box19: Sandbox) -> None:
    body = await box19.rpc_raw(
        "object", "execute_kw", SANDBOX_DB, ADMIN_UID, "wrong", "res.partner", "search", [[]], {}
    )
    assert body["error"]["code"] == 0
    assert body["error"]["data"]["name"] == "odoo.exceptions.AccessDenied"


async def test_api_key_works_in_the_password_slot(box: Sandbox) -> None:
    ids = await box.execute(
        "res.partner", "search", [["is_company", "=", True]], password=ADMIN_API_KEY
    )
    assert len(ids) >= 13


async def test_private_methods_are_refused_as_each_version_words_it(box: Sandbox) -> None:
    with pytest.raises(RpcFault) as fault:
        await box.execute("sale.order", "_action_confirm", [1])
    assert fault.value.name == "odoo.exceptions.AccessError"
    if box.version == 16:
        assert (
            fault.value.message
            == "Private methods (such as _action_confirm) cannot be called remotely."
        )
    else:
        assert fault.value.message == (
            "Private methods (such as 'sale.order._action_confirm') cannot be called remotely."
        )


async def test_unknown_model_and_unknown_method(box: Sandbox) -> None:
    with pytest.raises(RpcFault) as fault:
        await box.execute("no.such.model", "search", [])
    assert fault.value.name == "odoo.exceptions.UserError"
    assert fault.value.message == "Object no.such.model doesn't exist"
    with pytest.raises(RpcFault) as fault:
        await box.execute("sale.order", "fly", [1])
    assert fault.value.name == "builtins.AttributeError"
    if box.version == 16:
        assert fault.value.message == "type object 'sale.order' has no attribute 'fly'"
    else:
        assert fault.value.message == "The method 'sale.order.fly' does not exist"


async def test_unknown_service_method_and_bad_json(box: Sandbox) -> None:
    with pytest.raises(RpcFault) as fault:
        await box.rpc("common", "fly")
    assert fault.value.name == "builtins.Exception"
    assert fault.value.message == "Method not found: fly"
    with pytest.raises(RpcFault) as fault:
        await box.rpc("object", "fly", SANDBOX_DB, ADMIN_UID, "admin", "res.partner", "search")
    assert fault.value.name == "builtins.NameError"
    response = await box.http.post(
        f"{box.url}/jsonrpc", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.text == "Invalid JSON data"


async def test_access_rights_of_the_bot_and_readonly_users(box: Sandbox) -> None:
    with pytest.raises(RpcFault) as fault:
        await box.execute(
            "ir.model.data",
            "search_read",
            [],
            ["module", "name"],
            uid=BOT_UID,
            password=BOT_PASSWORD,
        )
    assert fault.value.name == "odoo.exceptions.AccessError"
    assert fault.value.message == (
        "You are not allowed to access 'Model Data' (ir.model.data) records.\n\n"
        "This operation is allowed for the following groups:\n\t- Administration/Settings\n\n"
        "Contact your administrator to request access if necessary."
    )
    partner = await box.execute(
        "res.partner", "create", {"name": "Bot made"}, uid=BOT_UID, password=BOT_PASSWORD
    )
    assert isinstance(partner, int)
    assert (
        await box.execute(
            "res.partner", "search_count", [], uid=READONLY_UID, password=READONLY_PASSWORD
        )
        > 0
    )
    with pytest.raises(RpcFault) as fault:
        await box.execute(
            "res.partner",
            "write",
            [partner],
            {"name": "x"},
            uid=READONLY_UID,
            password=READONLY_PASSWORD,
        )
    assert fault.value.name == "odoo.exceptions.AccessError"
    assert fault.value.message.startswith(
        "You are not allowed to modify 'Contact' (res.partner) records."
    )
    with pytest.raises(RpcFault) as fault:
        await box.execute(
            "stock.picking", "button_validate", [1], uid=READONLY_UID, password=READONLY_PASSWORD
        )
    assert fault.value.name == "odoo.exceptions.AccessError"


async def test_serialization_failure_on_demand_then_success(box: Sandbox) -> None:
    box.odoo.fail_next(2, kind="serialization", model="res.partner", method="write")
    for _ in range(2):
        with pytest.raises(RpcFault) as fault:
            await box.execute("res.partner", "write", [1], {"phone": "+31 10 000 00 00"})
        assert fault.value.name == "psycopg2.errors.SerializationFailure"
        assert fault.value.message == "could not serialize access due to concurrent update\n"
    assert box.odoo.record("res.partner", 1)["phone"] is False
    assert await box.execute("res.partner", "write", [1], {"phone": "+31 10 000 00 00"}) is True
    assert box.odoo.record("res.partner", 1)["phone"] == "+31 10 000 00 00"


async def test_lock_failure_before_19_is_psycopg2_lock_not_available(box: Sandbox) -> None:
    box.odoo.fail_next(kind="lock")
    with pytest.raises(RpcFault) as fault:
        await box.execute("stock.picking", "button_validate", [1])
    assert fault.value.name == "psycopg2.errors.LockNotAvailable"
    assert fault.value.message == 'could not obtain lock on row in relation "stock_picking"\n'


@pytest.mark.parametrize(("kind", "status"), [("http503", 503), ("http429", 429)])
async def test_proxy_errors_on_demand(box18: Sandbox, kind: str, status: int) -> None:
    box18.odoo.fail_next(kind=kind)  # type: ignore[arg-type]
    response = await box18.http.post(
        f"{box18.url}/jsonrpc",
        json={
            "jsonrpc": "2.0",
            "method": "call",
            "params": {
                "service": "object",
                "method": "execute_kw",
                "args": [SANDBOX_DB, ADMIN_UID, "admin", "res.partner", "search", [[]]],
            },
            "id": 1,
        },
    )
    assert response.status_code == status
    assert "nginx" in response.text
    if status == 429:
        assert response.headers["retry-after"] == "1"
    assert isinstance(await box18.execute("res.partner", "search", []), list)


# --- JSON-2 ---------------------------------------------------------------------------------


async def test_json2_does_not_exist_before_19(box18: Sandbox) -> None:
    response = await box18.json2("res.partner", "search", domain=[])
    assert response.status_code == 404


async def test_json2_search_read_and_create(box19: Sandbox) -> None:
    response = await box19.json2(
        "res.partner",
        "search_read",
        domain=[["name", "ilike", "%bv%"], ["is_company", "=", True]],
        fields=["name", "country_id"],
        context={"lang": "en_US"},
    )
    assert response.status_code == 200
    rows = response.json()
    assert {row["name"] for row in rows} == {"Delta Home BV", "Canal Garden BV", "PackSource BV"}
    assert rows[0]["country_id"][1] == "Netherlands"
    created = await box19.json2("res.partner", "create", vals_list=[{"name": "Json Two"}])
    assert created.status_code == 200
    [new_id] = created.json()
    read = await box19.json2("res.partner", "read", ids=[new_id], fields=["name"])
    assert read.json() == [{"id": new_id, "name": "Json Two"}]
    uid = await box19.json2("res.users", "context_get")
    assert uid.json()["uid"] == ADMIN_UID


async def test_json2_authentication_errors(box19: Sandbox) -> None:
    missing = await box19.json2("res.partner", "search", key=None, domain=[])
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"] == "Bearer"
    body = missing.json()
    assert body["name"] == "werkzeug.exceptions.Unauthorized"
    assert (
        body["message"]
        == "User not authenticated, use an API Key with a Bearer Authorization header."
    )
    wrong = await box19.json2("res.partner", "search", key="0" * 40, domain=[])
    assert wrong.status_code == 401
    assert wrong.json()["message"] == "Invalid apikey"
    assert wrong.json()["arguments"] == ["Invalid apikey", 401]


async def test_json2_error_statuses(box19: Sandbox) -> None:
    forbidden = await box19.json2("ir.model.data", "search", key=BOT_API_KEY, domain=[])
    assert forbidden.status_code == 403
    assert forbidden.json()["name"] == "odoo.exceptions.AccessError"
    assert set(forbidden.json()) == {"name", "message", "arguments", "context", "debug"}

    readonly = await box19.json2(
        "res.partner", "write", key=READONLY_API_KEY, ids=[1], vals={"name": "x"}
    )
    assert readonly.status_code == 403

    invalid = await box19.json2("sale.order", "create", vals_list=[{"note": "no customer"}])
    assert invalid.status_code == 422
    assert invalid.json()["name"] == "odoo.exceptions.ValidationError"
    assert invalid.json()["message"] == (
        "The operation cannot be completed: "
        "Missing required value for the field 'Customer' (partner_id)"
    )

    cancelled = await box19.json2("stock.picking", "action_cancel", ids=[1])
    assert cancelled.status_code == 200
    user_error = await box19.json2("stock.picking", "button_validate", ids=[1])
    assert user_error.status_code == 422
    assert user_error.json()["name"] == "odoo.exceptions.UserError"

    partner = (await box19.json2("res.partner", "create", vals_list=[{"name": "Gone"}])).json()
    assert (await box19.json2("res.partner", "unlink", ids=partner)).json() is True
    missing = await box19.json2("res.partner", "write", ids=partner, vals={"name": "Back"})
    assert missing.status_code == 404
    assert missing.json()["name"] == "odoo.exceptions.MissingError"
    assert missing.json()["message"].startswith("Record does not exist or has been deleted.")

    private = await box19.json2("res.partner", "_read", ids=[1])
    assert private.status_code == 403
    assert (
        private.json()["message"]
        == "Private methods (such as 'res.partner._read') cannot be called remotely."
    )

    unknown_model = await box19.json2("no.model", "search", domain=[])
    assert unknown_model.status_code == 404
    assert unknown_model.json()["message"] == "the model 'no.model' does not exist"
    unknown_method = await box19.json2("res.partner", "fly")
    assert unknown_method.status_code == 404
    assert unknown_method.json()["name"] == "werkzeug.exceptions.NotFound"

    ids_on_model_method = await box19.json2("res.partner", "search", ids=[1], domain=[])
    assert ids_on_model_method.status_code == 422
    assert ids_on_model_method.json()["message"] == "cannot call res.partner.search with ids"
    bad_arguments = await box19.json2("res.partner", "search", domian=[])
    assert bad_arguments.status_code == 422
    assert bad_arguments.json()["name"] == "werkzeug.exceptions.UnprocessableEntity"

    get = await box19.http.get(
        f"{box19.url}/json/2/res.partner/search",
        headers={"Authorization": f"bearer {ADMIN_API_KEY}"},
    )
    assert get.status_code == 405


async def test_json2_lock_and_serialization_faults(box19: Sandbox) -> None:
    box19.odoo.fail_next(kind="lock", model="stock.picking")
    locked = await box19.json2("stock.picking", "button_validate", ids=[1])
    assert locked.status_code == 409
    assert locked.json()["name"] == "odoo.exceptions.LockError"
    assert locked.json()["message"] == "Cannot grab a lock on records"
    box19.odoo.fail_next(kind="serialization")
    failed = await box19.json2("res.partner", "search", domain=[])
    assert failed.status_code == 500
    assert failed.json()["name"] == "psycopg2.errors.SerializationFailure"
    assert (await box19.json2("res.partner", "search", domain=[])).status_code == 200

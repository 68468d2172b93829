"""Upserts: by external id through `load`, by a unique field in three RPCs at most."""

from __future__ import annotations

import pytest

from crossdock.connectors.odoo.errors import OdooUsageError, OdooValidationError
from crossdock.connectors.odoo.upsert import upsert_by_external_id, upsert_by_field
from tests.connectors_odoo.odoo_fakes import MemoryOdoo


async def test_external_id_upsert_is_one_load_per_column_set() -> None:
    odoo = MemoryOdoo()
    rows = [
        {"id": "SKU-1", "name": "Pallet", "sale_ok": True, "list_price": 12.5},
        {"id": "SKU-2", "name": "Box", "sale_ok": False, "list_price": 3},
        {"id": "SKU-3", "name": "Tape"},
    ]
    ids = await upsert_by_external_id(odoo, "product.product", "crossdock", rows)

    assert list(ids) == ["SKU-1", "SKU-2", "SKU-3"]
    loads = [kw for _, method, _, kw in odoo.calls if method == "load"]
    assert loads == [
        {
            "fields": ["id", "list_price", "name", "sale_ok"],
            "data": [
                ["crossdock.SKU-1", "12.5", "Pallet", "1"],
                ["crossdock.SKU-2", "3", "Box", ""],
            ],
        },
        {"fields": ["id", "name"], "data": [["crossdock.SKU-3", "Tape"]]},
    ]


async def test_external_id_upsert_chunks_large_batches() -> None:
    odoo = MemoryOdoo()
    rows = [{"id": f"P{i}", "name": f"n{i}"} for i in range(25)]
    ids = await upsert_by_external_id(odoo, "res.partner", "crossdock", rows, chunk_size=10)
    assert len(ids) == 25 and odoo.count("load") == 3


async def test_load_errors_become_a_validation_error_with_the_messages() -> None:
    odoo = MemoryOdoo()
    message = {
        "type": "error",
        "message": "No matching record found for external id 'crossdock.X'",
        "rows": {"from": 0, "to": 0},
        "field": "partner_id",
    }
    odoo.load_result = {"ids": False, "messages": [message]}
    with pytest.raises(OdooValidationError, match="No matching record") as caught:
        await upsert_by_external_id(
            odoo, "sale.order", "crossdock", [{"id": "SO1", "partner_id/id": "crossdock.X"}]
        )
    assert caught.value.arguments == (message,)


async def test_external_id_upsert_refuses_bad_input() -> None:
    odoo = MemoryOdoo()
    with pytest.raises(OdooUsageError):
        await upsert_by_external_id(odoo, "res.partner", "cross.dock", [{"id": "x"}])
    with pytest.raises(OdooUsageError):
        await upsert_by_external_id(odoo, "res.partner", "crossdock", [{"name": "no id"}])
    with pytest.raises(OdooUsageError, match="text cells"):
        await upsert_by_external_id(odoo, "res.partner", "crossdock", [{"id": "a", "x": [1]}])
    assert odoo.calls == []


async def test_field_upsert_reads_once_creates_once_and_groups_writes() -> None:
    odoo = MemoryOdoo()
    a = odoo.add("res.partner", {"ref": "A", "name": "old", "active": True})
    b = odoo.add("res.partner", {"ref": "B", "name": "old", "active": False})  # archived
    c = odoo.add("res.partner", {"ref": "C", "name": "same", "active": True})
    rows = [
        {"ref": "A", "name": "new"},
        {"ref": "B", "name": "new"},
        {"ref": "C", "name": "same"},
        {"ref": "D", "name": "created"},
        {"ref": "E", "name": "created"},
    ]
    ids = await upsert_by_field(odoo, "res.partner", "ref", rows, context={"lang": "en_US"})

    assert ids["A"] == a and ids["B"] == b and ids["C"] == c
    assert set(ids) == {"A", "B", "C", "D", "E"}
    methods = [(method, ids_) for _, method, ids_, _ in odoo.calls]
    assert methods == [("search_read", None), ("create", None), ("write", [a, b])]
    search = odoo.calls[0][3]
    assert search["domain"] == [("ref", "in", ["A", "B", "C", "D", "E"])]
    assert search["fields"] == ["name", "ref"]
    assert odoo.calls[2][3] == {"vals": {"name": "new"}}


async def test_field_upsert_without_compare_writes_every_existing_row() -> None:
    odoo = MemoryOdoo()
    odoo.add("res.partner", {"ref": "A", "name": "same"})
    await upsert_by_field(odoo, "res.partner", "ref", [{"ref": "A", "name": "same"}], compare=False)
    assert odoo.calls[0][3]["fields"] == ["ref"]
    assert odoo.count("write") == 1


async def test_field_upsert_merges_duplicate_rows_in_order() -> None:
    odoo = MemoryOdoo()
    ids = await upsert_by_field(
        odoo, "res.partner", "ref", [{"ref": "A", "name": "x"}, {"ref": "A", "city": "Ghent"}]
    )
    created = odoo.records["res.partner"][ids["A"]]
    assert created == {"id": ids["A"], "ref": "A", "name": "x", "city": "Ghent"}
    assert odoo.count("create") == 1


async def test_field_upsert_needs_a_key_on_every_row() -> None:
    with pytest.raises(OdooUsageError):
        await upsert_by_field(MemoryOdoo(), "res.partner", "ref", [{"name": "no key"}])
    assert await upsert_by_field(MemoryOdoo(), "res.partner", "ref", []) == {}

"""Enrichment: read, in as few RPCs as possible, every related row a change's mapping needs.

A change (an automation-rule webhook body or a polled row, both shaped
``{"_model", "_id", <fields>}``) carries only the fields selected for it. The poll or webhook
job calls `enrich_many` on a batch *before* the message is translated and stores the result
under ``"_enriched"``, so translation stays pure and replayable.

Cost: one ``search_read`` per model per batch, never per record. The changed records are
re-read once per model; then every related model is read once, when all the models that
point at it have been read (a topological order over `mapping_links.links`), reads at the
same depth running concurrently. Related rows are read by id with ``active_test`` off (an
archived product on an open order is still that product) and in English, so unit names
match `codes.UOM_CODES`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

from crossdock.connectors.odoo.mapping_fields import read_fields
from crossdock.connectors.odoo.mapping_links import (
    Link,
    Pool,
    closure,
    links,
    reachable,
    referenced,
)
from crossdock.connectors.odoo.mapping_record import EnrichedRecord, Row, m2o_id
from crossdock.connectors.odoo.polling import ChangeSource
from crossdock.connectors.odoo.wire import ServerVersion
from crossdock.errors import MappingError

READ_CONTEXT: Mapping[str, Any] = {"active_test": False, "lang": "en_US"}
CHUNK = 1000


class EnrichClient(ChangeSource, Protocol):
    """What enrichment needs of a client: reads, and the version (field names differ)."""

    async def server_version(self) -> ServerVersion: ...


async def enrich(client: EnrichClient, change: Mapping[str, Any]) -> EnrichedRecord:
    """Enrich one change; prefer `enrich_many` for a batch."""
    return (await enrich_many(client, [change]))[0]


async def enrich_many(
    client: EnrichClient, changes: Sequence[Mapping[str, Any]]
) -> list[EnrichedRecord]:
    """Enrich a batch of changes with one read per model, in the order given."""
    if not changes:
        return []
    version = (await client.server_version()).major
    fields, plan = read_fields(version), links(version)
    keys = [_key(change) for change in changes]
    by_model: dict[str, list[Mapping[str, Any]]] = {}
    for (model, _), change in zip(keys, changes, strict=True):
        by_model.setdefault(model, []).append(change)
    fresh = await _gather(
        {
            model: ([_key(c)[1] for c in group], fields[model])
            for model, group in by_model.items()
            if model in fields and _needs_read(model, group)
        },
        client,
    )
    pool: Pool = {model: dict(rows) for model, rows in fresh.items()}
    # One merge per change, not per record: two changes of one record in a batch (a webhook
    # for "assigned", then one for "done") each keep the state they announced.
    merged = [
        _merge(change, pool.get(model, {}).get(rid))
        for (model, rid), change in zip(keys, changes, strict=True)
    ]
    sources: dict[str, list[Row]] = {}
    for (model, _), record in zip(keys, merged, strict=True):
        sources.setdefault(model, []).append(record)
    if "stock.quant" in sources:
        pool.setdefault("stock.quant", {}).update(
            await _quant_siblings(client, sources["stock.quant"], fields["stock.quant"])
        )
    await _follow(client, plan, fields, sources, pool)
    return [
        EnrichedRecord(
            model=model,
            id=rid,
            version=version,
            record=record,
            related=closure(model, record, plan, pool),
            action=change.get("_action") if isinstance(change.get("_action"), str) else None,
            missing=model in fresh and rid not in fresh[model],
        )
        for (model, rid), change, record in zip(keys, changes, merged, strict=True)
    ]


def webhook_shape(model: str, record: Mapping[str, Any]) -> dict[str, Any]:
    """A polled row in the webhook's shape, so both change-capture paths store the same body."""
    return {"_model": model, "_id": record["id"], **record}


def with_enrichment(change: Mapping[str, Any], enriched: EnrichedRecord) -> dict[str, Any]:
    """The message body to store: the change as received plus its ``"_enriched"`` object."""
    return {**change, "_enriched": enriched.to_json()}


def _key(change: Mapping[str, Any]) -> tuple[str, int]:
    model, rid = change.get("_model"), change.get("_id", change.get("id"))
    if not isinstance(model, str) or not isinstance(rid, int) or isinstance(rid, bool):
        raise MappingError("a change needs _model (a model name) and _id (a record id)")
    return model, rid


def _needs_read(model: str, changes: Sequence[Mapping[str, Any]]) -> bool:
    # A quant change that names its product, location and write date needs no re-read: its
    # siblings are read anyway, and a quant Odoo deleted (emptied) must still report zero.
    if model == "stock.quant":
        needed = ("product_id", "location_id", "write_date")
        return not all(all(c.get(name) for name in needed) for c in changes)
    return True


def _merge(change: Mapping[str, Any], fresh: Row | None) -> dict[str, Any]:
    """The fresh read, overridden by what the change announced (its state, its write date),
    except where the change has a bare id and the read the same id with its name."""
    merged = dict(fresh or {})
    for name, value in change.items():
        if name.startswith("_"):
            continue
        old = merged.get(name)
        if isinstance(old, list) and not isinstance(value, list) and m2o_id(old) == value:
            continue
        merged[name] = value
    merged["id"] = _key(change)[1]
    return merged


async def _read(client: EnrichClient, model: str, ids: set[int], names: Sequence[str]) -> Pool:
    rows: dict[int, Row] = {}
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        found = await client.search_read(model, [("id", "in", chunk)], names, context=READ_CONTEXT)
        rows.update({row["id"]: row for row in found})
    return {model: rows}


async def _gather(
    wanted: Mapping[str, tuple[Iterable[int], Sequence[str]]], client: EnrichClient
) -> Pool:
    tasks = [_read(client, m, set(ids), names) for m, (ids, names) in wanted.items() if ids]
    pool: Pool = {}
    for part in await asyncio.gather(*tasks):
        pool.update(part)
    return pool


async def _quant_siblings(
    client: EnrichClient, quants: Iterable[Row], names: Sequence[str]
) -> dict[int, Row]:
    """Every quant of the changed (product, location) pairs: a balance is their sum, since
    Odoo splits one SKU at one location into quants per lot, package and owner."""
    pairs = {(m2o_id(q.get("product_id")), m2o_id(q.get("location_id"))) for q in quants}
    products = sorted({p for p, _ in pairs if p})
    locations = sorted({loc for _, loc in pairs if loc})
    if not products or not locations:
        return {}
    domain = [("product_id", "in", products), ("location_id", "in", locations)]
    found = await client.search_read("stock.quant", domain, names, context=READ_CONTEXT)
    return {
        row["id"]: row
        for row in found
        if (m2o_id(row.get("product_id")), m2o_id(row.get("location_id"))) in pairs
    }


async def _follow(
    client: EnrichClient,
    plan: Sequence[Link],
    fields: Mapping[str, Sequence[str]],
    sources: Mapping[str, Sequence[Row]],
    pool: Pool,
) -> None:
    """Read each linked model once, after every model that links to it (Kahn's order)."""
    relevant = reachable(set(sources), plan)
    pending = {link.target for link in plan if link.source in relevant}
    while pending:
        ready = {
            model
            for model in pending
            if not any(link.target == model and link.source in pending for link in plan)
        }
        if not ready:
            raise RuntimeError(f"mapping links form a cycle among {sorted(pending)}")
        wanted: dict[str, tuple[Iterable[int], Sequence[str]]] = {}
        for model in ready:
            ids: set[int] = set()
            for link in (lk for lk in plan if lk.target == model and lk.source in relevant):
                rows = [*sources.get(link.source, ()), *pool.get(link.source, {}).values()]
                ids |= referenced(link, rows)
            wanted[model] = (ids - set(pool.get(model, {})), fields[model])
        for model, found in (await _gather(wanted, client)).items():
            pool.setdefault(model, {}).update(found)
        pending -= ready

"""Typed helpers over `call` for the ORM methods Crossdock uses, with Odoo's rules built in.

Parameter names are those of the ORM methods (odoo/models.py), because JSON-2 passes them by
name; the JSON-RPC encoder turns them into `execute_kw` arguments. Helpers refuse what would
be slow or wrong before it reaches Odoo: reading all fields, creating one record per RPC.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from crossdock.connectors.odoo.errors import OdooServerError, OdooUsageError, OdooValidationError
from crossdock.connectors.odoo.wire import check_method

Domain = Sequence[Any]  # [("state", "=", "sale"), "|", ...] as in odoo/osv/expression.py
Context = Mapping[str, Any]
Record = dict[str, Any]


@dataclass(frozen=True)
class LoadResult:
    """What `load` answers: one id per imported row, or messages saying why nothing was saved."""

    ids: list[int]
    messages: list[dict[str, Any]]

    @property
    def errors(self) -> list[dict[str, Any]]:
        return [m for m in self.messages if m.get("type") == "error"]

    def raise_for_errors(self, model: str) -> None:
        """`load` reports bad rows as messages and saves nothing: turn them into an error."""
        if errors := self.errors:
            lines = "; ".join(
                f"row {m.get('rows', {}).get('from', '?')}: {m.get('message', '')}" for m in errors
            )
            raise OdooValidationError(
                f"{model}.load refused {len(errors)} row(s): {lines}",
                name="odoo.models.load",
                arguments=tuple(errors),
            )


class OdooOperations(ABC):
    """The typed helpers; subclasses supply the transport through `call`."""

    @abstractmethod
    async def call(
        self,
        model: str,
        method: str,
        *,
        ids: Sequence[int] | None = None,
        args: Sequence[Any] = (),
        kwargs: Mapping[str, Any] | None = None,
        context: Context | None = None,
    ) -> Any: ...

    async def search_read(
        self,
        model: str,
        domain: Domain,
        fields: Sequence[str],
        *,
        limit: int | None = None,
        offset: int = 0,
        order: str | None = None,
        context: Context | None = None,
    ) -> list[Record]:
        """Records matching `domain`, with only `fields` (never all fields: that is slow)."""
        kwargs: dict[str, Any] = {"domain": list(domain), "fields": _fields(fields)}
        kwargs.update(_paging(limit, offset, order))
        result = await self.call(model, "search_read", kwargs=kwargs, context=context)
        return _records(result, model, "search_read")

    async def read(
        self,
        model: str,
        ids: Sequence[int],
        fields: Sequence[str],
        *,
        context: Context | None = None,
    ) -> list[Record]:
        if not ids:
            return []
        result = await self.call(
            model, "read", ids=ids, kwargs={"fields": _fields(fields)}, context=context
        )
        return _records(result, model, "read")

    async def search(
        self,
        model: str,
        domain: Domain,
        *,
        limit: int | None = None,
        offset: int = 0,
        order: str | None = None,
        context: Context | None = None,
    ) -> list[int]:
        kwargs: dict[str, Any] = {"domain": list(domain), **_paging(limit, offset, order)}
        return _ids(await self.call(model, "search", kwargs=kwargs, context=context))

    async def search_count(
        self, model: str, domain: Domain, *, context: Context | None = None
    ) -> int:
        result = await self.call(
            model, "search_count", kwargs={"domain": list(domain)}, context=context
        )
        return int(result)

    async def create(
        self, model: str, vals_list: Sequence[Mapping[str, Any]], *, context: Context | None = None
    ) -> list[int]:
        """Create many records in one RPC (`@api.model_create_multi`); answers ids in order."""
        if isinstance(vals_list, Mapping):
            raise OdooUsageError("create takes a list of values: one RPC for many records")
        if not vals_list:
            return []
        vals = [dict(v) for v in vals_list]
        return _ids(await self.call(model, "create", kwargs={"vals_list": vals}, context=context))

    async def write(
        self,
        model: str,
        ids: Sequence[int],
        vals: Mapping[str, Any],
        *,
        context: Context | None = None,
    ) -> bool:
        """Write the same `vals` on every record of `ids` in one RPC."""
        if not ids:
            return True
        result = await self.call(
            model, "write", ids=ids, kwargs={"vals": dict(vals)}, context=context
        )
        return bool(result)

    async def unlink(
        self, model: str, ids: Sequence[int], *, context: Context | None = None
    ) -> bool:
        if not ids:
            return True
        return bool(await self.call(model, "unlink", ids=ids, context=context))

    async def load(
        self,
        model: str,
        fields: Sequence[str],
        rows: Sequence[Sequence[Any]],
        *,
        context: Context | None = None,
    ) -> LoadResult:
        """Odoo's import: rows of strings; an `id` column holding external ids makes it an upsert.

        odoo/models.py `BaseModel.load(fields, data)` answers `{"ids": [...] | false,
        "messages": [...]}` and saves nothing when a message has type "error".
        """
        kwargs = {"fields": list(fields), "data": [list(row) for row in rows]}
        result = await self.call(model, "load", kwargs=kwargs, context=context)
        if not isinstance(result, Mapping):
            raise OdooServerError(f"{model}.load answered {result!r:.200}")
        ids = result.get("ids") or []
        messages = [dict(m) for m in result.get("messages") or [] if isinstance(m, Mapping)]
        return LoadResult(ids=_ids(ids), messages=messages)

    async def message_post(
        self,
        model: str,
        record_id: int,
        body: str,
        *,
        subject: str | None = None,
        message_type: str = "comment",
        subtype_xmlid: str = "mail.mt_note",
        context: Context | None = None,
        **extra: Any,
    ) -> int:
        """Post to a record's chatter (mail.thread); answers the new mail.message id."""
        kwargs: dict[str, Any] = {
            "body": body,
            "message_type": message_type,
            "subtype_xmlid": subtype_xmlid,
            **extra,
        }
        if subject is not None:
            kwargs["subject"] = subject
        result = await self.call(
            model, "message_post", ids=[record_id], kwargs=kwargs, context=context
        )
        # up to 18.0 @api.returns downgrades to one id; 19.0 answers the recordset's ids
        if isinstance(result, list) and result:
            result = result[0]
        if not isinstance(result, int):
            raise OdooServerError(f"{model}.message_post answered {result!r:.200}")
        return result

    async def call_button(
        self, model: str, method: str, ids: Sequence[int], context: Context | None = None
    ) -> Any:
        """Press a form button (a public method on records); answers an action dict or a value."""
        check_method(model, method)
        return await self.call(model, method, ids=ids, context=context)


def _fields(fields: Sequence[str]) -> list[str]:
    if isinstance(fields, str) or not fields:
        raise OdooUsageError("name the fields to read: reading all fields is slow and unstable")
    return list(fields)


def _paging(limit: int | None, offset: int, order: str | None) -> dict[str, Any]:
    paging: dict[str, Any] = {}
    if limit is not None:
        paging["limit"] = limit
    if offset:
        paging["offset"] = offset
    if order is not None:
        paging["order"] = order
    return paging


def _records(result: Any, model: str, method: str) -> list[Record]:
    if not isinstance(result, list) or not all(isinstance(r, dict) for r in result):
        raise OdooServerError(f"{model}.{method} answered {result!r:.200}")
    return result


def _ids(result: Any) -> list[int]:
    if isinstance(result, int) and not isinstance(result, bool):
        return [result]
    if not isinstance(result, list) or not all(isinstance(i, int) for i in result):
        raise OdooServerError(f"expected record ids, Odoo answered {result!r:.200}")
    return result

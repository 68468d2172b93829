"""Failures on demand, so clients can prove they retry what is retryable.

``serialization`` is what Odoo reports when ``retrying`` (odoo/service/model.py) spent its
five tries on a concurrent update: ``psycopg2.errors.SerializationFailure``. ``lock`` is 19's
``odoo.exceptions.LockError`` (HTTP 409 on JSON-2) and, before 19, the psycopg2
``LockNotAvailable`` of a ``FOR UPDATE NOWAIT``. ``http503`` and ``http429`` are what a
reverse proxy in front of Odoo answers (odoo.sh, nginx), before Odoo sees the request.
Every fault makes the call fail without changing any data, like a rolled back transaction.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Literal, get_args

FaultKind = Literal["serialization", "lock", "http503", "http429"]
FAULT_KINDS: tuple[str, ...] = get_args(FaultKind)


@dataclass
class _Pending:
    kind: FaultKind
    remaining: int
    model: str | None
    method: str | None

    def fits(self, model: str, method: str) -> bool:
        return (self.model is None or self.model == model) and (
            self.method is None or self.method == method
        )


class FaultInjector:
    """A queue of faults; each model-method call takes the first one that fits it."""

    def __init__(self) -> None:
        self._pending: list[_Pending] = []
        self._lock = threading.Lock()

    def fail_next(
        self,
        n: int = 1,
        kind: FaultKind = "serialization",
        model: str | None = None,
        method: str | None = None,
    ) -> None:
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; choose one of {FAULT_KINDS}")
        if n < 1:
            raise ValueError("n must be at least 1")
        with self._lock:
            self._pending.append(_Pending(kind, n, model, method))

    def take(self, model: str, method: str) -> FaultKind | None:
        with self._lock:
            for pending in self._pending:
                if pending.fits(model, method):
                    pending.remaining -= 1
                    if pending.remaining == 0:
                        self._pending.remove(pending)
                    return pending.kind
        return None

    def clear(self) -> None:
        with self._lock:
            self._pending.clear()

    @property
    def pending(self) -> int:
        with self._lock:
            return sum(p.remaining for p in self._pending)


class ProxyFault(Exception):
    """Raised to answer with a proxy's HTTP error instead of Odoo's reply."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status

"""Count and time every Odoo RPC: Odoo is the slowest party, so its calls are what to watch.

Two views of the same events: `RpcCounts`, a plain per-client counter that tests and
benchmarks read (`client.rpc_counts[("res.partner", "write")]`), and the process-wide
Prometheus series `crossdock_odoo_rpc_total{model,method,outcome}` and
`crossdock_odoo_rpc_seconds{model,method}`.
"""

from __future__ import annotations

from collections import Counter

from prometheus_client import Counter as PromCounter
from prometheus_client import Histogram

RPC_TOTAL = PromCounter(
    "crossdock_odoo_rpc_total",
    "Odoo RPCs sent, by model, method and outcome (ok or the Crossdock error class).",
    ("model", "method", "outcome"),
)
RPC_SECONDS = Histogram(
    "crossdock_odoo_rpc_seconds",
    "Latency of Odoo RPCs in seconds, by model and method.",
    ("model", "method"),
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0),
)


class RpcCounts(Counter[tuple[str, str]]):
    """RPCs sent by one client, keyed by (model, method); service calls use the service name.

    `total()` (from `Counter`) is every RPC sent.
    """

    def of(self, model: str, method: str | None = None) -> int:
        """Calls to `model.method`, or to any method of `model` when `method` is None."""
        if method is not None:
            return self[(model, method)]
        return sum(count for (m, _), count in self.items() if m == model)


def observe(counts: RpcCounts, model: str, method: str, outcome: str, seconds: float) -> None:
    """Record one RPC in the client's counter and in the Prometheus series."""
    counts[(model, method)] += 1
    RPC_TOTAL.labels(model=model, method=method, outcome=outcome).inc()
    RPC_SECONDS.labels(model=model, method=method).observe(seconds)

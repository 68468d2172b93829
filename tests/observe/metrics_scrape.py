"""Scrape `/metrics` and read it back with prometheus_client's own text parser."""

from __future__ import annotations

from collections.abc import Mapping

import httpx
from prometheus_client.parser import text_string_to_metric_families

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def parse(text: str) -> tuple[set[str], Samples]:
    """(family names, {(sample name, labels): value}); the parser raises on malformed text."""
    names: set[str] = set()
    samples: Samples = {}
    for family in text_string_to_metric_families(text):
        names.add(family.name)
        for sample in family.samples:
            samples[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return names, samples


def value(samples: Samples, name: str, labels: Mapping[str, str] | None = None) -> float:
    """Sum of the samples named `name` whose labels include `labels` (0 when there is none)."""
    wanted = set((labels or {}).items())
    return sum(v for (n, lbl), v in samples.items() if n == name and wanted <= lbl)


async def scrape(http: httpx.AsyncClient) -> tuple[set[str], Samples]:
    response = await http.get("/metrics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return parse(response.text)

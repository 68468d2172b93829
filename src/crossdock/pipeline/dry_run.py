"""A changed mapping tried on a partner's stored messages, with no effect on anything.

A mapping is a connector's pure `translate` function with the partner's `settings`
(`Mapping`). A candidate is either new settings (a YAML file, validated by the connector's
settings model: that is the whole mapping of a declarative connector such as the generic
JSON carrier) or another translate function (`package.module:function`, for a mapping in
code). Both mappings translate every stored raw message, and the events are compared: per
event type, how many would change and which fields, with examples, which would appear or
disappear, and which messages would start or stop mapping at all.
"""

from __future__ import annotations

import importlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, cast

import yaml
from pydantic import ValidationError
from sqlalchemy import Connection, select

from crossdock.canonical.envelope import Envelope
from crossdock.config import validation_problems
from crossdock.connectors.base import ConnectorKind, InboundMessage
from crossdock.errors import CrossdockError, MappingError
from crossdock.paths import flatten
from crossdock.store.schema import messages

Translate = Callable[[InboundMessage, Mapping[str, Any]], list[Envelope]]
EXAMPLES_PER_FIELD = 3
# Envelope attributes that say what an event means; `id`, `source` and the spec fields are
# bookkeeping and would only add noise to a comparison.
_COMPARED_ATTRIBUTES = ("type", "subject", "time", "lanekey", "correlationid", "partner")


class CandidateError(CrossdockError):
    """A candidate mapping that cannot be loaded: the message says what and where."""


@dataclass(frozen=True)
class MappingUnderTest:
    """One mapping: the function and the settings it is called with."""

    translate: Translate
    settings: Mapping[str, Any]


def candidate_from_file(connector: ConnectorKind, path: Path) -> MappingUnderTest:
    """New settings for the partner's connector, from a YAML file."""
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CandidateError(f"{path}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise CandidateError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(loaded, dict):
        raise CandidateError(f"{path}: a mapping file holds the partner's settings as a mapping")
    if connector.settings_model is not None:
        try:
            connector.settings_model.model_validate(loaded)
        except ValidationError as exc:
            raise CandidateError(f"{path}: " + "; ".join(validation_problems(exc))) from None
    return MappingUnderTest(connector.translate, loaded)


def candidate_from_reference(reference: str, settings: Mapping[str, Any]) -> MappingUnderTest:
    """Another translate function (`package.module:function`) with the current settings."""
    module_name, _, attribute = reference.partition(":")
    try:
        function = getattr(importlib.import_module(module_name), attribute, None)
    except ImportError as exc:
        raise CandidateError(f"{reference}: cannot import {module_name}: {exc}") from None
    if not callable(function):
        raise CandidateError(f"{reference}: {module_name} has no function {attribute!r}")
    return MappingUnderTest(cast(Translate, function), settings)


def stored_messages(
    conn: Connection, partner: str, since: datetime | None, limit: int
) -> Iterator[InboundMessage]:
    """The partner's raw messages as stored, oldest first, streamed."""
    query = (
        select(messages)
        .where(messages.c.partner == partner)
        .order_by(messages.c.received_at, messages.c.id)
        .limit(limit)
    )
    if since is not None:
        query = query.where(messages.c.received_at >= since)
    result = conn.execution_options(yield_per=500).execute(query)
    try:
        for row in result:
            yield InboundMessage(
                id=row.id,
                partner=row.partner,
                headers=row.headers,
                body=row.body,
                received_at=row.received_at,
                correlation_id=row.correlation_id,
            )
    finally:
        result.close()


@dataclass(frozen=True)
class Example:
    message_id: str
    event_id: str
    before: Any
    after: Any


@dataclass
class TypeReport:
    """What the candidate does to one event type."""

    events: int = 0
    changed: int = 0
    added: int = 0
    removed: int = 0
    fields: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[Example]] = field(default_factory=lambda: defaultdict(list))


@dataclass
class Report:
    messages: int = 0
    by_type: dict[str, TypeReport] = field(default_factory=lambda: defaultdict(TypeReport))
    # (message id, the error): mapped before, would no longer; failed before, would now map.
    newly_failing: list[tuple[str, str]] = field(default_factory=list)
    newly_mapping: list[tuple[str, str]] = field(default_factory=list)
    failing_both: int = 0

    @property
    def changed_events(self) -> int:
        return sum(t.changed + t.added + t.removed for t in self.by_type.values())


def _comparable(envelope: Envelope) -> dict[str, Any]:
    document = envelope.to_cloudevent()
    return flatten(
        {
            **{name: document.get(name) for name in _COMPARED_ATTRIBUTES},
            "data": document["data"],
        }
    )


def changed_fields(before: Envelope, after: Envelope) -> dict[str, tuple[Any, Any]]:
    old, new = _comparable(before), _comparable(after)
    return {
        path: (old.get(path), new.get(path))
        for path in sorted(old.keys() | new.keys())
        if old.get(path) != new.get(path)
    }


def _pairs(
    before: list[Envelope], after: list[Envelope]
) -> tuple[list[tuple[Envelope, Envelope]], list[Envelope], list[Envelope]]:
    """Match events of one message: by id, then (ids derived from content that changed) by
    type and position among that type's events; the rest appear or disappear."""
    new_by_id = {envelope.id: envelope for envelope in after}
    pairs = [(old, new_by_id[old.id]) for old in before if old.id in new_by_id]
    matched = {old.id for old, _ in pairs}
    old_rest = [e for e in before if e.id not in matched]
    new_rest = [e for e in after if e.id not in matched]
    by_type: dict[str, list[Envelope]] = defaultdict(list)
    for envelope in new_rest:
        by_type[envelope.type].append(envelope)
    removed = []
    for old in old_rest:
        candidates = by_type.get(old.type)
        if candidates:
            pairs.append((old, candidates.pop(0)))
        else:
            removed.append(old)
    added = [envelope for remaining in by_type.values() for envelope in remaining]
    return pairs, added, removed


def _translate(mapping: MappingUnderTest, message: InboundMessage) -> list[Envelope] | str:
    try:
        return mapping.translate(message, mapping.settings)
    except MappingError as exc:
        return str(exc)


def compare(
    stream: Iterable[InboundMessage], current: MappingUnderTest, candidate: MappingUnderTest
) -> Report:
    report = Report()
    for message in stream:
        report.messages += 1
        before, after = _translate(current, message), _translate(candidate, message)
        if isinstance(before, str) or isinstance(after, str):
            if isinstance(before, str) and isinstance(after, str):
                report.failing_both += 1
            elif isinstance(after, str):
                report.newly_failing.append((message.id, after))
            else:
                report.newly_mapping.append((message.id, str(before)))
                for envelope in after:
                    report.by_type[envelope.type].added += 1
            continue
        _compare_events(report, message.id, before, after)
    return report


def _compare_events(
    report: Report, message_id: str, before: list[Envelope], after: list[Envelope]
) -> None:
    pairs, added, removed = _pairs(before, after)
    for envelope in added:
        report.by_type[envelope.type].added += 1
    for envelope in removed:
        report.by_type[envelope.type].events += 1
        report.by_type[envelope.type].removed += 1
    for old, new in pairs:
        kind = report.by_type[old.type]
        kind.events += 1
        differences = changed_fields(old, new)
        if not differences:
            continue
        kind.changed += 1
        for path, (was, becomes) in differences.items():
            kind.fields[path] += 1
            if len(kind.examples[path]) < EXAMPLES_PER_FIELD:
                kind.examples[path].append(Example(message_id, old.id, was, becomes))

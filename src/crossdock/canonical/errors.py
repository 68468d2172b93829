"""Errors raised by the canonical model, each with a message that names the offending field."""

from __future__ import annotations

from pydantic import ValidationError


def describe_validation_error(error: ValidationError) -> str:
    """Render a pydantic error as ``field.path: message`` pairs, one line per problem."""
    problems = []
    for detail in error.errors():
        where = ".".join(str(part) for part in detail["loc"]) or "(root)"
        message = detail["msg"].removeprefix("Value error, ")
        problems.append(f"{where}: {message}")
    return "; ".join(problems)


# These names are public API already used by connectors, so they keep no Error suffix.
class InvalidEnvelope(ValueError):
    """A CloudEvent could not be read as a Crossdock envelope."""


class UnknownEventType(LookupError):
    """An event type is well formed but has no registered data model."""

    def __init__(self, event_type: str, known: tuple[str, ...]) -> None:
        self.event_type = event_type
        self.known = known
        super().__init__(f"unknown event type {event_type!r}; registered types: {', '.join(known)}")


class InvalidEventData(ValueError):
    """An envelope's ``data`` does not match the model registered for its type."""

    def __init__(self, event_type: str, error: ValidationError) -> None:
        self.event_type = event_type
        self.validation_error = error
        super().__init__(
            f"data of {event_type!r} event is invalid: {describe_validation_error(error)}"
        )

"""What `environment: prod` refuses at start: plain-HTTP endpoints, secrets that are missing,
weak or known defaults, and static operator tokens.

The whole validated config is walked, so a setting added later (a new connector's endpoint
or secret reference) is covered without being listed here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from crossdock.config import Config, format_location
from crossdock.connectors.catalog import CONNECTORS
from crossdock.errors import ConfigError
from crossdock.security.secrets import SECRET_REF_PATTERN, SecretError, resolve

PROD = "prod"
MIN_SECRET_LENGTH = 16
# Values that ship in examples, tutorials and sandboxes, or that people type when in a hurry.
KNOWN_DEFAULTS = frozenset(
    {
        "changeme",
        "change-me",
        "secret",
        "password",
        "token",
        "test",
        "dev",
        "default",
        "example",
        "crossdock",
        # The Standard Webhooks specification's example secret.
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    }
)
# Keys of shared, static operator tokens: in prod every client has its own identity and key.
# Shared static tokens: the subscriptions API's `notifications.api_tokens` and the
# dashboard's `dashboard.operators[].token`. In prod each person or client is an identity.
OPERATOR_TOKEN_KEYS = frozenset({"api_tokens", "operator_token", "operator_tokens"})
DASHBOARD_OPERATOR_TOKEN = ("dashboard", "operators", "token")


def _leaves(
    value: Any, place: tuple[int | str, ...] = ()
) -> Iterator[tuple[tuple[int | str, ...], Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*place, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, (*place, index))
    else:
        yield place, value


def _secret_problem(ref: str) -> str | None:
    try:
        value = resolve(ref)
    except SecretError as exc:
        return f"{exc} (a missing secret is refused in prod)"
    if value.strip().lower() in KNOWN_DEFAULTS or value.strip() in KNOWN_DEFAULTS:
        return f"{ref} holds a known default value; set a real secret"
    if len(value) < MIN_SECRET_LENGTH:
        return f"{ref} is {len(value)} characters; prod needs at least {MIN_SECRET_LENGTH}"
    return None


def environment_problems(config: Config, raw: dict[str, Any] | None = None) -> list[str]:
    """Everything prod refuses, each with its place; nothing outside prod."""
    if config.environment != PROD:
        return []
    problems: list[str] = []
    document = config.model_dump(mode="json")
    for place, value in _leaves(document):
        where = format_location(place)
        if isinstance(value, str) and value.lower().startswith("http://"):
            problems.append(f"{where}: plain HTTP endpoint {value!r} in prod; use https://")
        elif isinstance(value, str) and SECRET_REF_PATTERN.match(value):
            problem = _secret_problem(value)
            if problem:
                problems.append(f"{where}: {problem}")
    for place, _value in _leaves(raw if raw is not None else document):
        keys = tuple(part for part in place if isinstance(part, str))
        if keys == DASHBOARD_OPERATOR_TOKEN or any(key in OPERATOR_TOKEN_KEYS for key in keys):
            problems.append(
                f"{format_location(place)}: static operator tokens are refused in prod; give "
                "each client an identity and an API key (crossdock identities create, keys create)"
            )
    for index, partner in enumerate(config.partners):
        connector = CONNECTORS.get(partner.kind)
        if connector is not None and connector.secret_required and not partner.secrets:
            problems.append(f"partners[{index}].secrets: none given; prod needs a real secret")
    if config.security.audit_key is None:
        problems.append(
            "security.audit_key: not set; prod signs audit checkpoints (docs/security.md)"
        )
    return problems


def ensure_fit_for_environment(config: Config) -> None:
    """Refuse to start, naming every problem, when the environment forbids the config."""
    problems = environment_problems(config)
    if problems:
        raise ConfigError(f"refusing to start in {config.environment}: " + "; ".join(problems))

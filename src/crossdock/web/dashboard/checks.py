"""What `crossdock check` finds wrong in the `dashboard:` section, each with its place."""

from __future__ import annotations

from crossdock.security.secrets import SecretError, resolve
from crossdock.web.dashboard.settings import DashboardConfig


def dashboard_problems(settings: DashboardConfig) -> list[str]:
    problems: list[str] = []
    seen: dict[str, int] = {}
    tokens: dict[str, int] = {}
    for index, operator in enumerate(settings.operators):
        place = f"dashboard.operators[{index}]"
        if operator.name in seen:
            problems.append(
                f"{place}.name: {operator.name!r} is already used by "
                f"dashboard.operators[{seen[operator.name]}]"
            )
        seen.setdefault(operator.name, index)
        try:
            token = resolve(operator.token)
        except SecretError as exc:
            problems.append(f"{place}.token: {exc}")
            continue
        if token in tokens:
            # The audit trail could not tell the two operators apart.
            problems.append(
                f"{place}.token: the same token as dashboard.operators[{tokens[token]}]"
            )
        tokens.setdefault(token, index)
    return problems

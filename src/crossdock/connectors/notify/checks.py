"""What `crossdock check` finds wrong in the `notifications:` section, each with its place."""

from __future__ import annotations

from crossdock.connectors.notify.settings import NotificationsConfig
from crossdock.connectors.notify.signing import check_secret
from crossdock.security.secrets import SecretError, resolve


def notification_problems(settings: NotificationsConfig) -> list[str]:
    problems: list[str] = []
    seen: dict[str, int] = {}
    for index, sub in enumerate(settings.subscriptions):
        place = f"notifications.subscriptions[{index}]"
        if sub.name in seen:
            problems.append(
                f"{place}.name: {sub.name!r} is already used by "
                f"notifications.subscriptions[{seen[sub.name]}]"
            )
        seen.setdefault(sub.name, index)
        try:
            check_secret(resolve(sub.secret))
        except SecretError as exc:
            problems.append(f"{place}.secret: {exc}")
        except ValueError as exc:
            problems.append(f"{place}.secret: {sub.secret} is not a signing secret: {exc}")
    for index, ref in enumerate(settings.api_tokens):
        try:
            resolve(ref)
        except SecretError as exc:
            problems.append(f"notifications.api_tokens[{index}]: {exc}")
    return problems

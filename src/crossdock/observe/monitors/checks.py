"""What `crossdock check` finds wrong in the `monitors:` section, each with its place."""

from __future__ import annotations

from collections.abc import Collection

from crossdock.observe.monitors.settings import MonitorsConfig


def monitor_problems(settings: MonitorsConfig, partner_ids: Collection[str]) -> list[str]:
    """A silence limit for a partner the config does not have would watch nothing for ever."""
    return [
        f"monitors.partner_silence.{partner}: no partner {partner!r} is configured "
        f"(partners: {', '.join(sorted(partner_ids)) or 'none'})"
        for partner in sorted(settings.partner_silence)
        if partner not in partner_ids
    ]

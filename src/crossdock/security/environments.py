"""Config overlays per environment: `crossdock.yaml`, then `crossdock.<env>.yaml` on top.

The environment comes from `--env`, else $CROSSDOCK_ENV, else the base file's own
`environment:` key (default `dev`). An overlay merges into the base: mappings key by key,
`partners` by partner id (an overlay entry changes or adds one partner), any other list
replaced whole. What the environment forbids is in prod_checks.py.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

ENV_VAR = "CROSSDOCK_ENV"
DEFAULT_ENVIRONMENT = "dev"
ENVIRONMENT_PATTERN = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
# Lists whose entries are merged by a key rather than replaced.
_KEYED_LISTS = {"partners": "id"}


def selected_environment(base: dict[str, Any]) -> str:
    chosen = os.environ.get(ENV_VAR) or base.get("environment") or DEFAULT_ENVIRONMENT
    name = str(chosen)
    if not ENVIRONMENT_PATTERN.match(name):
        raise ValueError(
            f"environment {name!r}: lower-case letters, digits, _ and - only (dev, test, prod)"
        )
    return name


def overlay_path(base: Path, environment: str) -> Path:
    """`conf/crossdock.yaml` + `prod` → `conf/crossdock.prod.yaml`."""
    return base.with_name(f"{base.stem}.{environment}{base.suffix}")


def _merge_keyed(base: list[Any], overlay: list[Any], key: str) -> list[Any]:
    merged = list(base)
    positions = {
        item.get(key): index for index, item in enumerate(merged) if isinstance(item, dict)
    }
    for item in overlay:
        index = positions.get(item.get(key)) if isinstance(item, dict) else None
        if index is None:
            merged.append(item)
        else:
            merged[index] = merge(merged[index], item)
    return merged


def merge(base: Any, overlay: Any, key: str | None = None) -> Any:
    """`overlay` on top of `base` (neither is changed)."""
    if isinstance(base, dict) and isinstance(overlay, dict):
        result = dict(base)
        for name, value in overlay.items():
            result[name] = merge(base[name], value, name) if name in base else value
        return result
    if isinstance(base, list) and isinstance(overlay, list) and key in _KEYED_LISTS:
        return _merge_keyed(base, overlay, _KEYED_LISTS[key])
    return overlay

"""`crossdock check`: every problem in the config file, each with its place in the file."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from crossdock.config import Config, read_layers, validation_problems
from crossdock.connectors.catalog import CONNECTORS
from crossdock.connectors.csv_supplier.checks import csv_supplier_problems
from crossdock.connectors.edi.partner.checks import supplier_problems
from crossdock.connectors.notify.checks import notification_problems
from crossdock.connectors.wms.files.checks import file_wms_problems
from crossdock.errors import ConfigError
from crossdock.flows.outbound.checks import outbound_problems
from crossdock.flows.procurement.checks import procurement_problems
from crossdock.observe.monitors.checks import monitor_problems
from crossdock.runtime import load_plugin
from crossdock.security.prod_checks import environment_problems
from crossdock.security.secrets import SecretError, resolve
from crossdock.web.dashboard.checks import dashboard_problems


def check_config(path: Path) -> list[str]:
    """Problems in the file at `path`, each naming its place; the caller names the file."""
    if not path.exists():
        return ["config file does not exist"]
    try:
        raw, _layers = read_layers(path)
    except ConfigError as exc:
        return [str(exc).removeprefix(f"{path}: ")]
    try:
        config = Config.model_validate(raw)
    except ValidationError as exc:
        return validation_problems(exc)
    return semantic_problems(config)


def semantic_problems(config: Config) -> list[str]:
    problems: list[str] = []
    seen: dict[str, int] = {}
    for index, partner in enumerate(config.partners):
        place = f"partners[{index}]"
        if partner.id in seen:
            problems.append(
                f"{place}.id: {partner.id!r} is already used by partners[{seen[partner.id]}]"
            )
        seen.setdefault(partner.id, index)
        connector = CONNECTORS.get(partner.kind)
        if connector is None:
            known = ", ".join(sorted(CONNECTORS))
            problems.append(
                f"{place}.kind: unknown connector kind {partner.kind!r} (known: {known})"
            )
            continue
        if connector.secret_required and not partner.secrets:
            problems.append(f"{place}.secrets: kind {partner.kind!r} needs at least one secret")
        for secret_index, ref in enumerate(partner.secrets):
            try:
                resolve(ref)
            except SecretError as exc:
                problems.append(f"{place}.secrets[{secret_index}]: {exc}")
        if connector.settings_model is not None:
            try:
                connector.settings_model.model_validate(partner.settings)
            except ValidationError as exc:
                problems.extend(f"{place}.settings.{p}" for p in validation_problems(exc))
    for index, reference in enumerate(config.plugins):
        try:
            load_plugin(reference)
        except ConfigError as exc:
            problems.append(f"plugins[{index}]: {exc}")
    problems.extend(notification_problems(config.notifications))
    problems.extend(environment_problems(config))
    problems.extend(monitor_problems(config.monitors, seen))
    problems.extend(dashboard_problems(config.dashboard))
    problems.extend(outbound_problems(config))
    problems.extend(supplier_problems(config.partners))
    problems.extend(file_wms_problems(config.partners))
    problems.extend(procurement_problems(config))
    problems.extend(csv_supplier_problems(config.partners))
    return problems

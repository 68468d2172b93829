"""Make the plugin modules under tests/support importable as `tests.support.<module>`."""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
DLQ_PLUGIN = "tests.support.dlq_plugin:register"


def import_dlq_plugin(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """Import the dead-letter plugin, with its "fix" not deployed yet.

    pytest puts only tests/ on sys.path (rootdir conftest), so `tests.support` needs the
    repository root there too, for this test only.
    """
    monkeypatch.syspath_prepend(str(REPO_ROOT))
    module = importlib.import_module("tests.support.dlq_plugin")
    monkeypatch.delenv(module.FIXED_ENV, raising=False)
    return module

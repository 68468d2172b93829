"""Secret references (`env:NAME`, `file:/path`): config says where a secret lives, not what."""

from __future__ import annotations

import os
import re
from pathlib import Path

from crossdock.errors import ConfigError

SECRET_REF_PATTERN = re.compile(r"^(env|file):(.+)$")


class SecretError(ConfigError):
    """A secret reference that is malformed or points at nothing."""


def resolve(ref: str) -> str:
    """Return the secret a reference points at, or raise SecretError saying what is missing."""
    match = SECRET_REF_PATTERN.match(ref)
    if match is None:
        raise SecretError(
            f"{ref!r} is not a secret reference: write env:NAME or file:/path, never the secret"
        )
    scheme, target = match.groups()
    if scheme == "env":
        value = os.environ.get(target)
        if value is None:
            raise SecretError(f"env var {target} is not set")
        if not value:
            raise SecretError(f"env var {target} is empty")
        return value
    path = Path(target)
    try:
        value = path.read_text(encoding="utf-8").rstrip("\r\n")
    except FileNotFoundError:
        raise SecretError(f"file {target} does not exist") from None
    except OSError as exc:
        raise SecretError(f"file {target} cannot be read: {exc.strerror}") from None
    if not value:
        raise SecretError(f"file {target} is empty")
    return value

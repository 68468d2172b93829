"""The redaction policy for logs, API answers, dashboard pages and exports.

Secrets are always replaced. Personal data (people's names, street lines, phone numbers,
emails) is masked unless the reader holds `pii:read`. The policy works on JSON-like values
(dicts, lists, strings) by key and, for emails and international phone numbers, by value,
so it covers a partner's raw payload as well as Crossdock's canonical models. Logs never
have a reader who may see personal data: their processor masks both.

A person's `name` is told from a product's or a location's by its neighbours: a mapping
that also holds an email, a phone or an address is a party, and its name is personal.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, MutableMapping
from typing import Any

import orjson

from crossdock.security.scopes import PII_READ, ROLE_PREFIX, allows, effective

REDACTED = "[redacted]"
PERSONAL = "[personal]"

# Keys whose values are never shown, whatever code produced them.
SECRET_KEY = re.compile(
    r"(secret|password|passwd|token|api[_-]?key|authorization|signature|cookie|credential)",
    re.IGNORECASE,
)
# Keys that always hold personal data (normalized: lower case, no "_", "-" or spaces).
_PERSONAL_KEYS = frozenset(
    {
        "email",
        "emailaddress",
        "phone",
        "phonenumber",
        "mobile",
        "fax",
        "tel",
        "telephone",
        "firstname",
        "lastname",
        "fullname",
        "contactname",
        "contact",
        "recipient",
        "recipientname",
        "signedby",
        "attention",
        "street",
        "street1",
        "street2",
        "street3",
        "line1",
        "line2",
        "line3",
        "address1",
        "address2",
        "address3",
        "addressline1",
        "addressline2",
        "addressline3",
    }
)
# Neighbours that make a mapping a party, whose `name` is then a person's or a firm's.
_PARTY_HINTS = frozenset({"email", "phone", "mobile", "address", "street", "line1", "company"})
_NAME_KEYS = frozenset({"name", "displayname"})

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# International numbers only (+ and 7-15 digits with separators): bare digit runs are
# tracking numbers, order numbers and dates far more often than phones.
_PHONE = re.compile(r"\+\d[\d\s().-]{5,18}\d")


def _normal(key: str) -> str:
    return re.sub(r"[\s_-]", "", key).lower()


def may_read_personal_data(scopes: frozenset[str]) -> bool:
    return allows(scopes, PII_READ)


def redact_for(scopes: frozenset[str], value: Any) -> Any:
    """For pages and answers: `value` as a reader with these effective scopes may see it."""
    return redact(value, personal_data=may_read_personal_data(scopes))


def redact_for_role(role: str, value: Any) -> Any:
    """For dashboard pages: `value` as a user of `role` (viewer, operator, admin) may see it."""
    return redact_for(effective([ROLE_PREFIX + role]), value)


def mask_text(text: str) -> str:
    """Emails and international phone numbers inside free text."""
    return _PHONE.sub(PERSONAL, _EMAIL.sub(PERSONAL, text))


def _is_party(value: Mapping[str, Any]) -> bool:
    return any(_normal(str(key)) in _PARTY_HINTS for key in value)


def redact(value: Any, *, personal_data: bool = False) -> Any:
    """A copy of `value` with secrets replaced and, unless `personal_data`, personal data
    masked. Call it on anything shown or exported: API answers, pages, export rows."""
    if isinstance(value, Mapping):
        party = not personal_data and _is_party(value)
        result: dict[str, Any] = {}
        for key, item in value.items():
            name = _normal(str(key))
            if SECRET_KEY.search(str(key)) and item is not None:
                result[key] = REDACTED
            elif (
                not personal_data
                and item is not None
                and (name in _PERSONAL_KEYS or (party and name in _NAME_KEYS))
            ):
                result[key] = PERSONAL
            else:
                result[key] = redact(item, personal_data=personal_data)
        return result
    if isinstance(value, list | tuple):
        return [redact(item, personal_data=personal_data) for item in value]
    if isinstance(value, str) and not personal_data:
        return mask_text(value)
    return value


def redact_body(body: bytes, *, personal_data: bool = False) -> str:
    """A stored payload as text for a reader: JSON by key and value, anything else (XML,
    EDI, CSV) by value only."""
    try:
        parsed = orjson.loads(body)
    except orjson.JSONDecodeError:
        text = body.decode("utf-8", errors="replace")
        return text if personal_data else mask_text(text)
    return orjson.dumps(redact(parsed, personal_data=personal_data)).decode()


# Keys structlog's own processors read after this one; left as they are.
_LOG_MACHINERY = frozenset({"exc_info", "exception", "stack_info", "level", "timestamp"})


def redact_log_event(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """structlog processor: logs keep no secret and no personal data, whoever reads them."""
    for key in list(event_dict):
        if key in _LOG_MACHINERY:
            continue
        if key == "event":
            if isinstance(event_dict[key], str):
                event_dict[key] = mask_text(event_dict[key])
            continue
        if SECRET_KEY.search(key):
            event_dict[key] = REDACTED
        elif _normal(key) in _PERSONAL_KEYS:
            event_dict[key] = PERSONAL
        else:
            event_dict[key] = redact(event_dict[key])
    return event_dict

"""UN/EDIFACT service code values used in CONTRL: syntax errors (0085) and actions (0083).

Values and meanings follow the UN/EDIFACT service code lists, e.g.
https://service.gefeg.com/jwg1/Current/cl/cl15.htm (0085, syntax version 4 part 11) and
https://www.gefeg.com/jswg/cl/v3/19a/cl15.htm (0083, syntax version 3).
"""

from __future__ import annotations

from enum import StrEnum


class SyntaxErrorCode(StrEnum):
    """0085 Syntax error, coded: what a UCI, UCM, UCS or UCD reports."""

    SYNTAX_VERSION_NOT_SUPPORTED = "2"
    INVALID_VALUE = "12"
    MISSING = "13"
    VALUE_NOT_SUPPORTED_IN_POSITION = "14"
    NOT_SUPPORTED_IN_POSITION = "15"
    TOO_MANY_CONSTITUENTS = "16"
    UNSPECIFIED = "18"
    INVALID_SERVICE_CHARACTER = "20"
    REFERENCES_DO_NOT_MATCH = "28"
    CONTROL_COUNT_MISMATCH = "29"


class Action(StrEnum):
    """0083 Action, coded, as used in UCI and UCM."""

    REJECTED = "4"
    """This level and all lower levels rejected."""
    ACKNOWLEDGED = "7"
    """This level acknowledged, next lower level acknowledged if not explicitly rejected."""

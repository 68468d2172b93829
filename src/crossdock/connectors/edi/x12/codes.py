"""X12 code lists used in acknowledgements, kept in one place so every module agrees.

Values follow the X12 004010 data element dictionary; the public references checked were
the element 716/718/720/723 tables of the 004010 dictionary as published by EDI vendors
(IBM Sterling "AK502 transaction set level", eclaims.com "997 acknowledgment error codes",
Microsoft BizTalk "X12 997 acknowledgment error codes") and element I18 for TA105.
"""

from __future__ import annotations

from enum import StrEnum


class ErrorLevel(StrEnum):
    """Which envelope or structure an error belongs to, which decides where a 997 reports it."""

    INTERCHANGE = "interchange"
    GROUP = "group"
    TRANSACTION = "transaction"
    SEGMENT = "segment"
    ELEMENT = "element"


class InterchangeNote(StrEnum):
    """TA105 interchange note codes (element I18)."""

    CONTROL_NUMBER_MISMATCH = "001"
    INVALID_SEGMENT_TERMINATOR = "004"
    INVALID_CONTROL_NUMBER = "018"
    INVALID_GROUP_COUNT = "021"
    INVALID_CONTROL_STRUCTURE = "022"
    PREMATURE_END_OF_FILE = "023"
    INVALID_CONTENT = "024"
    INVALID_ELEMENT_SEPARATOR = "026"
    INVALID_COMPONENT_SEPARATOR = "027"


class GroupSyntaxError(StrEnum):
    """AK905-AK909 functional group syntax error codes (element 716)."""

    NOT_SUPPORTED = "1"
    VERSION_NOT_SUPPORTED = "2"
    TRAILER_MISSING = "3"
    CONTROL_NUMBER_MISMATCH = "4"
    SET_COUNT_MISMATCH = "5"
    CONTROL_NUMBER_SYNTAX = "6"


class SetSyntaxError(StrEnum):
    """AK502-AK506 transaction set syntax error codes (element 718)."""

    NOT_SUPPORTED = "1"
    TRAILER_MISSING = "2"
    CONTROL_NUMBER_MISMATCH = "3"
    SEGMENT_COUNT_MISMATCH = "4"
    SEGMENTS_IN_ERROR = "5"
    INVALID_SET_ID = "6"
    INVALID_CONTROL_NUMBER = "7"
    NOT_IN_GROUP = "18"
    CONTROL_NUMBER_NOT_UNIQUE = "23"


class SegmentSyntaxError(StrEnum):
    """AK304 segment syntax error codes (element 720)."""

    UNRECOGNIZED_SEGMENT_ID = "1"
    UNEXPECTED_SEGMENT = "2"
    MANDATORY_SEGMENT_MISSING = "3"
    LOOP_OVER_MAXIMUM = "4"
    SEGMENT_OVER_MAXIMUM_USE = "5"
    NOT_IN_TRANSACTION_SET = "6"
    OUT_OF_SEQUENCE = "7"
    HAS_ELEMENT_ERRORS = "8"


class ElementSyntaxError(StrEnum):
    """AK403 data element syntax error codes (element 723)."""

    MANDATORY_MISSING = "1"
    CONDITIONAL_REQUIRED_MISSING = "2"
    TOO_MANY_ELEMENTS = "3"
    TOO_SHORT = "4"
    TOO_LONG = "5"
    INVALID_CHARACTER = "6"
    INVALID_CODE_VALUE = "7"
    INVALID_DATE = "8"
    INVALID_TIME = "9"
    EXCLUSION_VIOLATED = "10"


class AckStatus(StrEnum):
    """AK501 / AK901 acknowledgement codes (elements 717 and 715)."""

    ACCEPTED = "A"
    ACCEPTED_WITH_ERRORS = "E"
    PARTIALLY_ACCEPTED = "P"
    REJECTED = "R"

"""Standard Webhooks verification against the reference libraries' own test vectors."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from crossdock.clock import FrozenClock
from crossdock.security.standard_webhooks import (
    SignatureError,
    StandardWebhooksVerifier,
    sign,
)

VECTORS_FILE = Path(__file__).parent / "fixtures" / "signatures" / "standard_webhooks_vectors.json"
VECTORS: dict[str, Any] = json.loads(VECTORS_FILE.read_text(encoding="utf-8"))
POSITIVE: list[dict[str, Any]] = VECTORS["vectors"]
PYTHON_VECTOR = next(v for v in POSITIVE if v["name"] == "sign_function")
RUST_VECTOR = next(v for v in POSITIVE if v["name"] == "rust_test_sign")
NEGATIVE: list[dict[str, Any]] = VECTORS["negative_vectors"]
DECOYS: list[str] = next(v["decoys"] for v in NEGATIVE if "decoys" in v)
BAD_SIGNATURES = [v["signature"] for v in NEGATIVE if "signature" in v]
PADDING = {k: v for k, v in VECTORS["secret_padding_cases"].items() if k != "note"}


def at(timestamp: int) -> datetime:
    """What a FrozenClock set to the vector's timestamp says."""
    return FrozenClock(datetime.fromtimestamp(timestamp, tz=UTC)).now()


def headers_for(vector: dict[str, Any], signature: str | None = None) -> dict[str, str]:
    return {
        "webhook-id": vector["msg_id"],
        "webhook-timestamp": str(vector["timestamp"]),
        "webhook-signature": signature or vector["expected_signature"],
    }


def raw_key(secret: str) -> bytes:
    """The HMAC key a secret stands for, decoded strictly with the padding it lacks."""
    encoded = secret.removeprefix("whsec_")
    return base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)


def hmac_signature(key: bytes, msg_id: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def test_fixture_holds_the_expected_vectors() -> None:
    assert VECTORS["source_repo"] == "standard-webhooks/standard-webhooks"
    assert len(POSITIVE) == 2
    assert len(BAD_SIGNATURES) == 2
    assert len(DECOYS) == 2
    assert set(PADDING) == {"no_padding_needed", "one_pad", "two_pad"}


@pytest.mark.parametrize("vector", POSITIVE, ids=[v["name"] for v in POSITIVE])
def test_positive_vector_verifies(vector: dict[str, Any]) -> None:
    verifier = StandardWebhooksVerifier([vector["secret"]])
    body = vector["payload"].encode()
    got = verifier.verify(headers_for(vector), body, at(vector["timestamp"]))
    assert got == vector["msg_id"]


@pytest.mark.parametrize("vector", POSITIVE, ids=[v["name"] for v in POSITIVE])
def test_sign_reproduces_the_vector(vector: dict[str, Any]) -> None:
    body = vector["payload"].encode()
    assert (
        sign(vector["secret"], vector["msg_id"], vector["timestamp"], body)
        == (vector["expected_signature"])
    )
    # The same signature computed by hand: the vector is what the scheme says, not what
    # the library happens to do.
    assert (
        hmac_signature(raw_key(vector["secret"]), vector["msg_id"], vector["timestamp"], body)
        == vector["expected_signature"]
    )


@pytest.mark.parametrize("vector", POSITIVE, ids=[v["name"] for v in POSITIVE])
def test_secret_without_prefix_verifies_too(vector: dict[str, Any]) -> None:
    verifier = StandardWebhooksVerifier([vector["secret"].removeprefix("whsec_")])
    body = vector["payload"].encode()
    assert verifier.verify(headers_for(vector), body, at(vector["timestamp"])) == vector["msg_id"]


@pytest.mark.parametrize(
    ("vector", "bad_signature"),
    [(PYTHON_VECTOR, BAD_SIGNATURES[0]), (RUST_VECTOR, BAD_SIGNATURES[1])],
    ids=["python_invalid_signature", "rust_no_verify"],
)
def test_negative_vector_is_rejected(vector: dict[str, Any], bad_signature: str) -> None:
    verifier = StandardWebhooksVerifier([vector["secret"]])
    body = vector["payload"].encode()
    with pytest.raises(SignatureError) as caught:
        verifier.verify(headers_for(vector, bad_signature), body, at(vector["timestamp"]))
    assert caught.value.detail == "no v1 signature matches any active secret"


@pytest.mark.parametrize("vector", POSITIVE, ids=[v["name"] for v in POSITIVE])
def test_tampered_body_id_or_timestamp_is_rejected(vector: dict[str, Any]) -> None:
    verifier = StandardWebhooksVerifier([vector["secret"]])
    body = vector["payload"].encode()
    now = at(vector["timestamp"])
    with pytest.raises(SignatureError, match="no v1 signature matches"):
        verifier.verify(headers_for(vector), body + b" ", now)
    with pytest.raises(SignatureError, match="no v1 signature matches"):
        verifier.verify({**headers_for(vector), "webhook-id": "msg_other"}, body, now)
    moved = {**headers_for(vector), "webhook-timestamp": str(vector["timestamp"] + 1)}
    with pytest.raises(SignatureError, match="no v1 signature matches"):
        verifier.verify(moved, body, now)


def test_decoys_then_valid_signature_pass() -> None:
    vector = PYTHON_VECTOR
    verifier = StandardWebhooksVerifier([vector["secret"]])
    header = " ".join([*DECOYS, vector["expected_signature"]])
    got = verifier.verify(
        headers_for(vector, header), vector["payload"].encode(), at(vector["timestamp"])
    )
    assert got == vector["msg_id"]
    # Order does not matter either.
    header = " ".join([vector["expected_signature"], *reversed(DECOYS)])
    got = verifier.verify(
        headers_for(vector, header), vector["payload"].encode(), at(vector["timestamp"])
    )
    assert got == vector["msg_id"]


def test_decoys_alone_are_rejected() -> None:
    vector = PYTHON_VECTOR
    verifier = StandardWebhooksVerifier([vector["secret"]])
    with pytest.raises(SignatureError) as caught:
        verifier.verify(
            headers_for(vector, " ".join(DECOYS)),
            vector["payload"].encode(),
            at(vector["timestamp"]),
        )
    assert caught.value.detail == "no v1 signature matches any active secret"


def test_v2_only_header_fails_even_with_the_right_bytes() -> None:
    vector = PYTHON_VECTOR
    verifier = StandardWebhooksVerifier([vector["secret"]])
    v2_of_valid = "v2," + vector["expected_signature"].partition(",")[2]
    v2_decoy = next(d for d in DECOYS if d.startswith("v2,"))
    for header in (v2_of_valid, v2_decoy, f"{v2_decoy} {v2_of_valid}"):
        with pytest.raises(SignatureError) as caught:
            verifier.verify(
                headers_for(vector, header), vector["payload"].encode(), at(vector["timestamp"])
            )
        assert caught.value.detail == "webhook-signature holds no v1 signature"


@pytest.mark.parametrize("case", sorted(PADDING))
def test_unpadded_secrets_work(case: str) -> None:
    secret = PADDING[case]
    vector = PYTHON_VECTOR
    body = vector["payload"].encode()
    # Signed independently with the strictly decoded (padded) key.
    signature = hmac_signature(raw_key(secret), vector["msg_id"], vector["timestamp"], body)
    assert sign(secret, vector["msg_id"], vector["timestamp"], body) == signature
    for given in (secret, "whsec_" + secret):
        verifier = StandardWebhooksVerifier([given])
        got = verifier.verify(headers_for(vector, signature), body, at(vector["timestamp"]))
        assert got == vector["msg_id"]


def test_no_padding_needed_secret_is_the_python_vector_secret() -> None:
    assert "whsec_" + PADDING["no_padding_needed"] == PYTHON_VECTOR["secret"]


class TestTimestampWindow:
    vector = PYTHON_VECTOR
    now = at(PYTHON_VECTOR["timestamp"])

    def signed(self, timestamp: int) -> dict[str, str]:
        body = self.vector["payload"].encode()
        return {
            "webhook-id": self.vector["msg_id"],
            "webhook-timestamp": str(timestamp),
            "webhook-signature": sign(
                self.vector["secret"], self.vector["msg_id"], timestamp, body
            ),
        }

    def verify(self, timestamp: int) -> str:
        verifier = StandardWebhooksVerifier([self.vector["secret"]])
        return verifier.verify(self.signed(timestamp), self.vector["payload"].encode(), self.now)

    def test_exactly_five_minutes_either_way_is_accepted(self) -> None:
        base = self.vector["timestamp"]
        assert self.verify(base - 300) == self.vector["msg_id"]
        assert self.verify(base + 300) == self.vector["msg_id"]

    def test_older_than_five_minutes_is_rejected(self) -> None:
        stale = self.vector["timestamp"] - 301
        with pytest.raises(SignatureError) as caught:
            self.verify(stale)
        assert caught.value.detail == (
            f"webhook-timestamp {stale} is older than the 300 s tolerance"
        )

    def test_newer_than_five_minutes_is_rejected(self) -> None:
        future = self.vector["timestamp"] + 301
        with pytest.raises(SignatureError) as caught:
            self.verify(future)
        assert caught.value.detail == f"webhook-timestamp {future} is in the future"

    def test_frozen_clock_moving_past_the_window_rejects(self) -> None:
        clock = FrozenClock(self.now)
        verifier = StandardWebhooksVerifier([self.vector["secret"]])
        body = self.vector["payload"].encode()
        headers = headers_for(self.vector)
        assert verifier.verify(headers, body, clock.now()) == self.vector["msg_id"]
        clock.advance(timedelta(minutes=5, seconds=1))
        with pytest.raises(SignatureError, match="older than the 300 s tolerance"):
            verifier.verify(headers, body, clock.now())

    def test_custom_tolerance_is_named_in_the_detail(self) -> None:
        verifier = StandardWebhooksVerifier([self.vector["secret"]], timedelta(seconds=30))
        stale = self.vector["timestamp"] - 31
        with pytest.raises(SignatureError) as caught:
            verifier.verify(self.signed(stale), self.vector["payload"].encode(), self.now)
        assert caught.value.detail == f"webhook-timestamp {stale} is older than the 30 s tolerance"

    @pytest.mark.parametrize("value", ["yesterday", "1614265330.5", "", "99999999999999999999"])
    def test_malformed_timestamp_is_rejected(self, value: str) -> None:
        verifier = StandardWebhooksVerifier([self.vector["secret"]])
        headers = {**headers_for(self.vector), "webhook-timestamp": value}
        with pytest.raises(SignatureError) as caught:
            verifier.verify(headers, self.vector["payload"].encode(), self.now)
        if value:
            assert caught.value.detail == (
                f"webhook-timestamp {value!r} is not whole seconds since the epoch"
            )
        else:
            assert caught.value.detail == "missing header(s): webhook-timestamp"


class TestRotation:
    old = PYTHON_VECTOR["secret"]
    new = RUST_VECTOR["secret"]
    third = "whsec_" + base64.b64encode(b"a third secret, not active!").decode()
    msg_id = "msg_rotation_1"
    timestamp = 1_700_000_000
    body = b'{"type": "crossdock.order.confirmed.v1"}'

    def headers(self, secret: str) -> dict[str, str]:
        return {
            "webhook-id": self.msg_id,
            "webhook-timestamp": str(self.timestamp),
            "webhook-signature": sign(secret, self.msg_id, self.timestamp, self.body),
        }

    @pytest.mark.parametrize("signed_with", ["old", "new"])
    def test_either_active_secret_verifies(self, signed_with: str) -> None:
        verifier = StandardWebhooksVerifier([self.old, self.new])
        secret = self.old if signed_with == "old" else self.new
        got = verifier.verify(self.headers(secret), self.body, at(self.timestamp))
        assert got == self.msg_id

    def test_a_third_secret_fails(self) -> None:
        verifier = StandardWebhooksVerifier([self.old, self.new])
        with pytest.raises(SignatureError) as caught:
            verifier.verify(self.headers(self.third), self.body, at(self.timestamp))
        assert caught.value.detail == "no v1 signature matches any active secret"

    def test_header_signed_with_both_during_rotation_verifies_with_either(self) -> None:
        both = " ".join(
            self.headers(secret)["webhook-signature"] for secret in (self.old, self.new)
        )
        headers = {**self.headers(self.old), "webhook-signature": both}
        for secrets in ([self.old], [self.new], [self.new, self.third]):
            verifier = StandardWebhooksVerifier(secrets)
            assert verifier.verify(headers, self.body, at(self.timestamp)) == self.msg_id

    def test_no_secret_is_refused(self) -> None:
        with pytest.raises(ValueError, match="at least one secret"):
            StandardWebhooksVerifier([])


@pytest.mark.parametrize(
    ("dropped", "detail"),
    [
        (["webhook-id"], "missing header(s): webhook-id"),
        (["webhook-timestamp"], "missing header(s): webhook-timestamp"),
        (["webhook-signature"], "missing header(s): webhook-signature"),
        (["webhook-id", "webhook-signature"], "missing header(s): webhook-id, webhook-signature"),
        (
            ["webhook-id", "webhook-timestamp", "webhook-signature"],
            "missing header(s): webhook-id, webhook-timestamp, webhook-signature",
        ),
    ],
)
def test_missing_headers_are_named(dropped: list[str], detail: str) -> None:
    vector = PYTHON_VECTOR
    verifier = StandardWebhooksVerifier([vector["secret"]])
    headers = {k: v for k, v in headers_for(vector).items() if k not in dropped}
    with pytest.raises(SignatureError) as caught:
        verifier.verify(headers, vector["payload"].encode(), at(vector["timestamp"]))
    assert caught.value.detail == detail


def test_empty_header_counts_as_missing() -> None:
    vector = PYTHON_VECTOR
    verifier = StandardWebhooksVerifier([vector["secret"]])
    headers = {**headers_for(vector), "webhook-signature": ""}
    with pytest.raises(SignatureError) as caught:
        verifier.verify(headers, vector["payload"].encode(), at(vector["timestamp"]))
    assert caught.value.detail == "missing header(s): webhook-signature"


def test_garbage_signature_entries_are_skipped_not_crashing() -> None:
    vector = PYTHON_VECTOR
    verifier = StandardWebhooksVerifier([vector["secret"]])
    junk = "v1 v1, v1,not*base64 nocomma v1,===="
    with pytest.raises(SignatureError) as caught:
        verifier.verify(
            headers_for(vector, junk), vector["payload"].encode(), at(vector["timestamp"])
        )
    assert caught.value.detail == "webhook-signature holds no v1 signature"
    header = f"{junk} {vector['expected_signature']}"
    got = verifier.verify(
        headers_for(vector, header), vector["payload"].encode(), at(vector["timestamp"])
    )
    assert got == vector["msg_id"]


def test_non_utf8_body_is_verified_on_its_raw_bytes() -> None:
    vector = PYTHON_VECTOR
    body = b"\xff\xfe not utf-8 \x80"
    signature = hmac_signature(
        raw_key(vector["secret"]), vector["msg_id"], vector["timestamp"], body
    )
    verifier = StandardWebhooksVerifier([vector["secret"]])
    got = verifier.verify(headers_for(vector, signature), body, at(vector["timestamp"]))
    assert got == vector["msg_id"]

"""`crossdock check` validates a generic carrier's declarative mapping, naming each place."""

from __future__ import annotations

from pathlib import Path

import yaml

from crossdock.checks import check_config


def test_bad_jmespath_and_bad_milestone_are_named_with_their_place(tmp_path: Path) -> None:
    secret = tmp_path / "carrier.secret"
    secret.write_text("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n", encoding="utf-8")
    config = tmp_path / "crossdock.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "partners": [
                    {
                        "id": "freight",
                        "kind": "generic_carrier",
                        "secrets": [f"file:{secret}"],
                        "settings": {
                            "carrier_code": "dhl_freight",
                            "events": "shipment.events",
                            "fields": {
                                "tracking_number": "trackingId",
                                "status": "statusCode",
                                "occurred_at": "timestamp",
                                "city": "location.[city",
                            },
                            "codes": {"DL": "deliverd"},
                        },
                    }
                ]
            }
        ),
        encoding="utf-8",
    )
    problems = check_config(config)
    assert any(p.startswith("partners[0].settings.fields.city") for p in problems), problems
    assert any(p.startswith("partners[0].settings.codes.DL") for p in problems), problems

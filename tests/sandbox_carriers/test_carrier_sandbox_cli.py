"""`crossdock sandbox carrier` against a real Crossdock server: every webhook is accepted and
translated; and `crossdock check` validates the carriers' api and polling settings."""

from __future__ import annotations

import asyncio
from pathlib import Path

import yaml

from crossdock.checks import check_config
from crossdock.config import PartnerConfig
from crossdock.sandbox.carriers import generic
from crossdock.sandbox.generic_partner import new_secret
from crossdock.web.app import create_app
from tests.support.cli import invoke
from tests.support.factories import make_config, make_runtime
from tests.support.server import serving

SECRETS = {
    "easypost": "whsec-easypost-cli",
    "aftership": "aftership-cli-secret",
    "shippo": "shippo-cli-token",
    "generic": new_secret(),
}
KINDS = {"easypost": "easypost", "aftership": "aftership", "shippo": "shippo"}


def _partners(tmp_path: Path) -> list[PartnerConfig]:
    partners = []
    for name, secret in SECRETS.items():
        path = tmp_path / f"{name}.secret"
        path.write_text(secret + "\n", encoding="utf-8")
        partners.append(
            PartnerConfig(
                id=f"{name}-demo",
                kind=KINDS.get(name, "generic_carrier"),
                secrets=[f"file:{path}"],
                settings=generic.SETTINGS if name == "generic" else {},
            )
        )
    return partners


async def test_sandbox_carrier_is_accepted_by_crossdock(sqlite_url: str, tmp_path: Path) -> None:
    runtime = make_runtime(make_config(sqlite_url, [], partners=_partners(tmp_path)))
    async with serving(create_app(runtime, run_workers=False)) as url:
        results = {}
        for index, (provider, secret) in enumerate(SECRETS.items()):
            args = [
                "sandbox", "carrier", "--provider", provider, "--target", url,
                "--partner", f"{provider}-demo", "--secret", secret,
                "--tracking", f"940011189922319742{index:04d}",
                "--scenario", "exception" if provider == "shippo" else "delivered",
            ]  # fmt: skip
            if provider == "aftership":
                args.append("--out-of-order")
            # The command runs its own event loop, in a thread; this loop serves Crossdock.
            results[provider] = await asyncio.to_thread(invoke, *args)
    for provider, result in results.items():
        assert result.exit_code == 0, (provider, result.output)
        lines = [line for line in result.output.splitlines() if "webhook " in line]
        expected = 6 if provider == "shippo" else 7
        assert len(lines) == expected, result.output
        assert all("HTTP 202" in line for line in lines), result.output
    await runtime.worker().run_until_idle()
    assert runtime.queue.dead_jobs() == []
    for provider in SECRETS:
        stored = runtime.inbox.list(partner=f"{provider}-demo")
        assert stored
        assert {m.status for m in stored} == {"translated"}, provider
    runtime.store.dispose()


def test_wrong_secret_exits_non_zero(sqlite_url: str, tmp_path: Path) -> None:
    async def scenario() -> tuple[int, str]:
        runtime = make_runtime(make_config(sqlite_url, [], partners=_partners(tmp_path)))
        async with serving(create_app(runtime, run_workers=False)) as url:
            result = await asyncio.to_thread(
                invoke,
                "sandbox", "carrier", "--provider", "easypost", "--target", url,
                "--partner", "easypost-demo", "--secret", "not-the-secret",
            )  # fmt: skip
        runtime.store.dispose()
        return result.exit_code, result.output

    code, output = asyncio.run(scenario())
    assert code == 1
    assert "HTTP 401" in output


def test_check_validates_api_and_polling(tmp_path: Path) -> None:
    secret = tmp_path / "carrier.secret"
    secret.write_text("whsec-check\n", encoding="utf-8")
    config = tmp_path / "crossdock.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "partners": [
                    {
                        "id": "easypost",
                        "kind": "easypost",
                        "secrets": [f"file:{secret}"],
                        "settings": {"polling": {"enabled": True, "carriers": ["usps"]}},
                    },
                    {
                        "id": "aftership",
                        "kind": "aftership",
                        "secrets": [f"file:{secret}"],
                        "settings": {
                            "api": {"api_key": "sk-plain-text"},
                            "polling": {"enabled": True, "max_per_minute": 0},
                        },
                    },
                    {
                        "id": "shippo",
                        "kind": "shippo",
                        "secrets": [f"file:{secret}"],
                        "settings": {
                            "api": {"api_key": f"file:{secret}"},
                            "polling": {
                                "enabled": True,
                                "carriers": ["usps"],
                                "run_every": "PT30S",
                            },
                        },
                    },
                    {
                        "id": "freight",
                        "kind": "generic_carrier",
                        "secrets": [f"file:{secret}"],
                        "settings": {
                            **generic.SETTINGS,
                            "api": {"url_template": "https://x/track"},
                        },
                    },
                ]
            }
        ),
        encoding="utf-8",
    )
    problems = check_config(config)
    assert any(p.startswith("partners[0].settings.polling") and "api" in p for p in problems)
    assert any(p.startswith("partners[1].settings.api.api_key") for p in problems), problems
    assert any(p.startswith("partners[1].settings.polling.max_per_minute") for p in problems)
    assert not any(p.startswith("partners[2]") for p in problems), problems
    assert any(p.startswith("partners[3].settings.api.url_template") for p in problems)

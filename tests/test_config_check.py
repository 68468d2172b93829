"""`crossdock check` and `load_config`: every problem named with its place in the file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from crossdock.config import CONFIG_ENV, Config, load_config
from crossdock.errors import ConfigError
from support.cli import invoke, write_config

UNSET = "CROSSDOCK_TEST_SECRET_THAT_IS_NOT_SET"

KNOWN_KINDS = (
    "aftership, carrier_labels, csv_supplier, easypost, edi_supplier, generic, "
    "generic_carrier, odoo, shippo, wms_files, wms_rest"
)


def lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.strip()]


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "acme.secret"
    path.write_text("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n", encoding="utf-8")
    return path


@pytest.fixture
def valid(tmp_path: Path, secret_file: Path) -> dict[str, Any]:
    return {
        "database": {"url": f"sqlite:///{tmp_path / 'crossdock.db'}"},
        "server": {"port": 8181},
        "intake": {"max_body_bytes": 4096},
        "partners": [
            {"id": "acme", "kind": "generic", "secrets": [f"file:{secret_file}"]},
            {"id": "globex", "kind": "generic", "secrets": ["env:CROSSDOCK_TEST_GLOBEX"]},
        ],
        "logging": {"level": "warning"},
    }


def test_valid_config_is_ok(tmp_path: Path, valid: dict[str, Any]) -> None:
    path = write_config(tmp_path / "crossdock.yaml", valid)
    result = invoke("check", "--config", str(path), env={"CROSSDOCK_TEST_GLOBEX": "whsec_x"})
    assert result.exit_code == 0, result.output
    assert lines(result.output) == [f"{path}: ok"]


def test_unset_env_secret_is_named_with_its_place(
    tmp_path: Path, valid: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(UNSET, raising=False)
    valid["partners"] = [{"id": "acme", "kind": "generic", "secrets": [f"env:{UNSET}"]}]
    path = write_config(tmp_path / "crossdock.yaml", valid)
    result = invoke("check", "-c", str(path))
    assert result.exit_code == 1
    assert f"partners[0].secrets[0]: env var {UNSET} is not set" in result.output
    assert lines(result.stderr) == [f"{path}: partners[0].secrets[0]: env var {UNSET} is not set"]
    assert "ok" not in result.stdout


def test_empty_env_secret_and_missing_secret_file(tmp_path: Path, valid: dict[str, Any]) -> None:
    valid["partners"] = [
        {
            "id": "acme",
            "kind": "generic",
            "secrets": ["env:CROSSDOCK_TEST_EMPTY", f"file:{tmp_path / 'gone.secret'}"],
        }
    ]
    path = write_config(tmp_path / "crossdock.yaml", valid)
    result = invoke("check", "-c", str(path), env={"CROSSDOCK_TEST_EMPTY": ""})
    assert result.exit_code == 1
    assert lines(result.stderr) == [
        f"{path}: partners[0].secrets[0]: env var CROSSDOCK_TEST_EMPTY is empty",
        f"{path}: partners[0].secrets[1]: file {tmp_path / 'gone.secret'} does not exist",
    ]


def test_literal_secret_is_refused_with_its_place_and_not_echoed(
    tmp_path: Path, valid: dict[str, Any]
) -> None:
    literal = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    valid["partners"][1]["secrets"] = ["env:CROSSDOCK_TEST_GLOBEX", literal]
    path = write_config(tmp_path / "crossdock.yaml", valid)
    result = invoke("check", "-c", str(path), env={"CROSSDOCK_TEST_GLOBEX": "whsec_x"})
    assert result.exit_code == 1
    assert lines(result.stderr) == [
        f"{path}: partners[1].secrets: Value error, secrets must be references "
        "(env:NAME or file:/path), never the secret itself"
    ]
    assert literal not in result.output


def test_unknown_partner_kind_is_named_with_its_place(
    tmp_path: Path, valid: dict[str, Any]
) -> None:
    valid["partners"].append({"id": "ftp-partner", "kind": "ftp", "secrets": []})
    path = write_config(tmp_path / "crossdock.yaml", valid)
    result = invoke("check", "-c", str(path), env={"CROSSDOCK_TEST_GLOBEX": "whsec_x"})
    assert result.exit_code == 1
    assert lines(result.stderr) == [
        f"{path}: partners[2].kind: unknown connector kind 'ftp' (known: {KNOWN_KINDS})"
    ]


def test_duplicate_partner_ids(tmp_path: Path, valid: dict[str, Any], secret_file: Path) -> None:
    valid["partners"].append({"id": "acme", "kind": "generic", "secrets": [f"file:{secret_file}"]})
    path = write_config(tmp_path / "crossdock.yaml", valid)
    result = invoke("check", "-c", str(path), env={"CROSSDOCK_TEST_GLOBEX": "whsec_x"})
    assert result.exit_code == 1
    assert lines(result.stderr) == [
        f"{path}: partners[2].id: 'acme' is already used by partners[0]"
    ]


def test_every_problem_is_reported_not_just_the_first(
    tmp_path: Path, valid: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(UNSET, raising=False)
    valid["partners"] = [
        {"id": "acme", "kind": "generic", "secrets": [f"env:{UNSET}"]},
        {"id": "acme", "kind": "ftp"},
        {"id": "globex", "kind": "generic"},
    ]
    valid["plugins"] = ["crossdock_no_such_module.flows:register", "json:no_such_function"]
    path = write_config(tmp_path / "crossdock.yaml", valid)
    result = invoke("check", "-c", str(path))
    assert result.exit_code == 1
    assert lines(result.stderr) == [
        f"{path}: partners[0].secrets[0]: env var {UNSET} is not set",
        f"{path}: partners[1].id: 'acme' is already used by partners[0]",
        f"{path}: partners[1].kind: unknown connector kind 'ftp' (known: {KNOWN_KINDS})",
        f"{path}: partners[2].secrets: kind 'generic' needs at least one secret",
        f"{path}: plugins[0]: plugin 'crossdock_no_such_module.flows:register': "
        "cannot import crossdock_no_such_module.flows: "
        "No module named 'crossdock_no_such_module'",
        f"{path}: plugins[1]: plugin 'json:no_such_function': json has no function "
        "no_such_function",
    ]


def test_invalid_yaml_reports_the_line(tmp_path: Path) -> None:
    path = tmp_path / "crossdock.yaml"
    path.write_text(
        "database:\n"
        "  url: sqlite:///x.db\n"
        "partners:\n"
        "  - id: acme\n"
        "    kind: generic\n"
        "   secrets: [env:X]\n",
        encoding="utf-8",
    )
    result = invoke("check", "-c", str(path))
    assert result.exit_code == 1
    assert "not valid YAML at line 6, column 4" in result.stderr
    assert str(path) in result.stderr


def test_top_level_that_is_not_a_mapping(tmp_path: Path) -> None:
    path = tmp_path / "crossdock.yaml"
    path.write_text("- just\n- a list\n", encoding="utf-8")
    result = invoke("check", "-c", str(path))
    assert result.exit_code == 1
    assert "the top level must be a mapping, not list" in result.stderr


def test_unknown_top_level_key_is_reported(tmp_path: Path, valid: dict[str, Any]) -> None:
    valid["databse"] = {"url": "sqlite:///typo.db"}
    path = write_config(tmp_path / "crossdock.yaml", valid)
    result = invoke("check", "-c", str(path), env={"CROSSDOCK_TEST_GLOBEX": "whsec_x"})
    assert result.exit_code == 1
    assert lines(result.stderr) == [f"{path}: databse: Extra inputs are not permitted"]


def test_unknown_nested_key_and_bad_value_are_placed(tmp_path: Path, valid: dict[str, Any]) -> None:
    valid["intake"] = {"max_body_bytes": 0, "max_body": 10}
    path = write_config(tmp_path / "crossdock.yaml", valid)
    result = invoke("check", "-c", str(path), env={"CROSSDOCK_TEST_GLOBEX": "whsec_x"})
    assert result.exit_code == 1
    assert lines(result.stderr) == [
        f"{path}: intake.max_body_bytes: Input should be greater than or equal to 1",
        f"{path}: intake.max_body: Extra inputs are not permitted",
    ]


def test_missing_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    result = invoke("check", "-c", str(path))
    assert result.exit_code == 1
    assert "config file does not exist" in result.stderr
    assert str(path) in result.stderr
    assert "ok" not in result.stdout


@pytest.mark.parametrize("case", ["missing file", "invalid yaml"])
def test_each_problem_line_names_the_file_once(tmp_path: Path, case: str) -> None:
    """`check` prefixes every problem with the path; a problem must not carry it again."""
    path = tmp_path / "crossdock.yaml"
    if case == "invalid yaml":
        path.write_text("partners: [\n", encoding="utf-8")
    result = invoke("check", "-c", str(path))
    assert result.exit_code == 1
    first = lines(result.stderr)[0]
    assert first.count(str(path)) == 1, first


def test_check_reads_the_file_named_by_the_env_var(
    tmp_path: Path, valid: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_config(tmp_path / "from-env.yaml", valid)
    monkeypatch.chdir(tmp_path)
    result = invoke("check", env={CONFIG_ENV: str(path), "CROSSDOCK_TEST_GLOBEX": "whsec_x"})
    assert result.exit_code == 0, result.output
    assert lines(result.output) == [f"{path}: ok"]


class TestLoadConfig:
    def test_honours_the_env_var(
        self, tmp_path: Path, valid: dict[str, Any], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        path = write_config(tmp_path / "elsewhere.yaml", valid)
        monkeypatch.chdir(tmp_path)
        monkeypatch.setenv(CONFIG_ENV, str(path))
        config = load_config()
        assert config.database.url == valid["database"]["url"]
        assert config.server.port == 8181
        assert config.intake.max_body_bytes == 4096
        assert [p.id for p in config.partners] == ["acme", "globex"]

    def test_explicit_path_beats_the_env_var(
        self, tmp_path: Path, valid: dict[str, Any], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        from_env = write_config(tmp_path / "env.yaml", valid)
        explicit = write_config(tmp_path / "explicit.yaml", {"server": {"port": 9999}})
        monkeypatch.setenv(CONFIG_ENV, str(from_env))
        assert load_config(explicit).server.port == 9999

    def test_env_var_naming_a_missing_file_is_an_error_not_defaults(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        missing = tmp_path / "missing.yaml"
        monkeypatch.chdir(tmp_path)
        monkeypatch.setenv(CONFIG_ENV, str(missing))
        with pytest.raises(ConfigError, match="config file does not exist") as caught:
            load_config()
        assert str(missing) in str(caught.value)

    def test_no_file_and_no_env_var_means_defaults(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.chdir(tmp_path)
        monkeypatch.delenv(CONFIG_ENV, raising=False)
        assert load_config() == Config()

    def test_invalid_file_names_every_place(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        path = write_config(
            tmp_path / "bad.yaml",
            {"server": {"port": 0}, "partners": [{"id": "acme", "kind": "generic", "x": 1}]},
        )
        monkeypatch.setenv(CONFIG_ENV, str(path))
        with pytest.raises(ConfigError) as caught:
            load_config()
        message = str(caught.value)
        assert message.startswith(f"{path}: ")
        assert "server.port: Input should be greater than or equal to 1" in message
        assert "partners[0].x: Extra inputs are not permitted" in message

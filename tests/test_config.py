"""Vendor configuration: the shipped example loads, overrides apply, bad values name their field."""

from __future__ import annotations

import pytest

from app.config import DEFAULT_CONFIG_PATH, load_config, with_overrides
from app.domain.errors import ConfigError


def test_shipped_example_is_valid() -> None:
    config = load_config(DEFAULT_CONFIG_PATH, environ={})
    assert config.product_name == "Your Product"
    assert config.api_url.startswith("https://")
    assert config.source == str(DEFAULT_CONFIG_PATH)


def test_environment_then_command_line_override_the_file(tmp_path) -> None:
    path = tmp_path / "v.toml"
    path.write_text('[vendor]\nproduct_name = "Studio"\napp_id = "com.studio"\n')
    env = {
        "ACTIVATION_WIZARD_API_URL": "http://127.0.0.1:9",
        "ACTIVATION_WIZARD_PRODUCT_NAME": "Env",
    }
    config = load_config(path, environ=env, overrides={"product_name": "Cli", "relay_url": None})
    assert (config.product_name, config.api_url, config.app_id) == (
        "Cli",
        "http://127.0.0.1:9",
        "com.studio",
    )


def test_list_from_environment_is_split() -> None:
    config = load_config(None, environ={"ACTIVATION_WIZARD_REQUIRED_ENTITLEMENTS": "pro, export"})
    assert config.required_entitlements == ("pro", "export")


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ('product_name = ""', "product_name"),
        ('app_id = "has spaces"', "app_id"),
        ('api_url = "ftp://x"', "api_url"),
        ('relay_url = "not a url"', "relay_url"),
        ('accent_color = "blue"', "accent_color"),
        ('environment = "staging"', "environment"),
        ('signing_key = "xyz"', "signing_key"),
        ("timeout_seconds = -1", "timeout_seconds"),
        ("required_entitlements = [1, 2]", "required_entitlements"),
        ('logo = "missing.png"', "logo"),
        ('colour = "#000000"', "colour"),
        ("product_name = [", "file"),
    ],
)
def test_invalid_value_names_the_field(tmp_path, text: str, field: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text + "\n")
    with pytest.raises(ConfigError) as info:
        load_config(path, environ={})
    assert info.value.field == field
    assert field in str(info.value) or field == "file"


def test_missing_file_is_a_config_error(tmp_path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "nope.toml", environ={})


def test_with_overrides_checks_values() -> None:
    config = load_config(None, environ={})
    assert with_overrides(config, api_url="http://127.0.0.1:1").api_url == "http://127.0.0.1:1"
    with pytest.raises(ConfigError):
        with_overrides(config, accent_color="nope")


@pytest.mark.parametrize(
    ("variable", "value", "field"),
    [
        ("ACTIVATION_WIZARD_TIMEOUT_SECONDS", "fast", "timeout_seconds"),
        ("ACTIVATION_WIZARD_API_URL", "ftp://x", "api_url"),
        ("ACTIVATION_WIZARD_SIGNING_KEY", "not-hex-secret", "signing_key"),
    ],
)
def test_invalid_environment_value_names_the_variable(variable, value, field) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(DEFAULT_CONFIG_PATH, environ={variable: value})
    assert info.value.field == field  # the setting, as for a value in the file
    assert f"environment variable {variable}" in info.value.message
    if field == "signing_key":
        assert value not in info.value.message  # a secret is never repeated


def test_invalid_file_value_does_not_blame_the_environment(tmp_path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('timeout_seconds = "fast"\n')
    env = {"ACTIVATION_WIZARD_API_URL": "http://127.0.0.1:9"}
    with pytest.raises(ConfigError) as info:
        load_config(path, environ=env)
    assert info.value.field == "timeout_seconds"
    assert "environment" not in info.value.message


def test_command_line_value_is_not_blamed_on_the_environment() -> None:
    env = {"ACTIVATION_WIZARD_API_URL": "http://127.0.0.1:9"}
    with pytest.raises(ConfigError) as info:
        load_config(DEFAULT_CONFIG_PATH, environ=env, overrides={"api_url": "ftp://x"})
    assert info.value.field == "api_url" and "environment" not in info.value.message

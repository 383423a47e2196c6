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


@pytest.mark.parametrize("field", ["api_url", "relay_url"])
@pytest.mark.parametrize(
    "url", ["http://licensing.example.com", "http://10.0.0.5:8080", "http://[2001:db8::1]/"]
)
def test_remote_plain_http_service_is_refused(field, url) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(None, environ={}, overrides={field: url})
    assert info.value.field == field and "https://" in info.value.message
    # The vendor may allow it knowingly (a test rig), never by accident.
    allowed = load_config(None, environ={}, overrides={field: url, "allow_insecure_http": True})
    assert getattr(allowed, field) == url


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8765", "http://127.8.9.10", "http://localhost:1", "http://[::1]:9"]
)
def test_loopback_plain_http_stays_allowed(url) -> None:
    config = load_config(None, environ={}, overrides={"api_url": url, "relay_url": url})
    assert (config.api_url, config.relay_url) == (url, url)


def test_https_remote_service_is_fine() -> None:
    config = load_config(None, environ={}, overrides={"relay_url": "https://relay.example.com"})
    assert config.relay_url == "https://relay.example.com"


def test_insecure_http_from_the_environment_is_refused_naming_the_variable() -> None:
    env = {"ACTIVATION_WIZARD_RELAY_URL": "http://relay.example.com"}
    with pytest.raises(ConfigError) as info:
        load_config(None, environ=env)
    assert "ACTIVATION_WIZARD_RELAY_URL" in info.value.message


@pytest.mark.parametrize(
    "variable", ["ACTIVATION_WIZARD_SIGNING_KEY", "ACTIVATION_WIZARD_PUBLIC_KEY"]
)
@pytest.mark.parametrize("empty", ["", "   "])
def test_an_empty_key_variable_is_an_error_not_a_silent_removal(tmp_path, variable, empty) -> None:
    path = tmp_path / "vendor.toml"
    path.write_text('signing_key = "' + "ab" * 32 + '"\n')
    with pytest.raises(ConfigError) as info:
        load_config(path, environ={variable: empty})
    assert variable in info.value.message and "empty" in info.value.message
    assert load_config(path, environ={}).signing_key == "ab" * 32


def test_proxy_settings_from_file_environment_and_command_line(tmp_path) -> None:
    file = tmp_path / "vendor.toml"
    file.write_text('proxy = "http://proxy.corp:3128"\n')
    env = {"ACTIVATION_WIZARD_PROXY_PAC_URL": "http://wpad.corp/proxy.pac"}

    config = load_config(file, environ=env)
    assert (config.proxy, config.proxy_pac_url) == (
        "http://proxy.corp:3128",
        env["ACTIVATION_WIZARD_PROXY_PAC_URL"],
    )
    assert load_config(file, environ=env, overrides={"proxy": "direct"}).proxy == "direct"
    with pytest.raises(ConfigError) as caught:
        load_config(file, environ={"ACTIVATION_WIZARD_PROXY": "proxy.corp:3128"})
    assert caught.value.field == "proxy"
    assert "ACTIVATION_WIZARD_PROXY" in caught.value.message

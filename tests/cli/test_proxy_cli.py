"""The command line through a real company proxy (Squid on loopback, Basic auth), chosen by
an environment variable and by a PAC file: the sign-in problem without a sign-in, success with
``--proxy-user`` and the password in the environment, a plain "wrong password", and the
password nowhere in the output, even with --verbose."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.cli.support import APP_ID, assert_explains, assert_no_state
from tests.services.support import machines_of, stored_key
from tests.support.auth_proxy import AuthProxy, pac_server, squid_proxy

PASSWORD = "c0rp-Pr0xy-Secret!"  # noqa: S105 - the test proxy's own password


@pytest.fixture(scope="module")
def proxy() -> Iterator[AuthProxy]:
    with squid_proxy("bob", PASSWORD) as running:
        yield running


@pytest.fixture(autouse=True)
def clean_proxy_env(monkeypatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    monkeypatch.delenv("ACTIVATION_WIZARD_PROXY_PASSWORD", raising=False)


@pytest.fixture
def key_file(tmp_path, fixtures):
    path = tmp_path / "license.txt"
    path.write_text(fixtures["valid"] + "\n")
    path.chmod(0o600)
    return str(path)


def _activate(cli, key_file, *extra):
    rc, out, err = cli.run("activate", "--key-file", key_file, "--json", "--verbose", *extra)
    assert PASSWORD not in out and PASSWORD not in err
    return rc, out, err


def _check_proxy_flow(cli, key_file, proxy, standin, data_dir, monkeypatch):
    rc, out, _ = _activate(cli, key_file)
    assert rc == 6, out
    assert '"code": "PROXY_AUTH_REQUIRED"' in out
    assert_no_state(data_dir)

    monkeypatch.setenv("ACTIVATION_WIZARD_PROXY_PASSWORD", "wrong-one")
    rc, out, _ = _activate(cli, key_file, "--proxy-user", "bob")
    assert rc == 6 and '"code": "PROXY_AUTH_FAILED"' in out
    assert "didn't accept that user name or password" in out

    monkeypatch.setenv("ACTIVATION_WIZARD_PROXY_PASSWORD", PASSWORD)
    rc, out, _ = _activate(cli, key_file, "--proxy-user", "bob")
    assert rc == 0, out
    assert len(machines_of(standin, "valid")) == 1
    assert stored_key(APP_ID)
    assert " bob " in proxy.access_log  # the activation really went through the proxy


def test_proxy_from_the_environment(cli, key_file, proxy, standin, data_dir, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    _check_proxy_flow(cli, key_file, proxy, standin, data_dir, monkeypatch)


def test_proxy_from_a_pac_file(cli, key_file, proxy, standin, data_dir, monkeypatch):
    with pac_server(proxy.url) as pac_url:
        monkeypatch.setenv("ACTIVATION_WIZARD_PROXY_PAC_URL", pac_url)
        _check_proxy_flow(cli, key_file, proxy, standin, data_dir, monkeypatch)


def test_the_sign_in_problem_in_words(cli, key_file, proxy, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    rc, payload = cli.json("activate", "--key-file", key_file)
    assert rc == 6
    assert_explains(payload, "PROXY_AUTH_REQUIRED")
    assert payload["actionId"] == "proxy_sign_in"
    assert "--proxy-user" in payload["steps"][0]
    assert "ACTIVATION_WIZARD_PROXY_PASSWORD" in payload["steps"][0]


def test_proxy_option_overrides_the_environment(cli, key_file, proxy, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    before = proxy.access_log
    rc, out, _ = _activate(cli, key_file, "--proxy", "direct")
    assert rc == 0, out
    assert proxy.access_log == before


def test_proxy_user_without_a_password_is_a_usage_error(cli, key_file):
    rc, payload = cli.json("activate", "--key-file", key_file, "--proxy-user", "bob")
    assert rc == 2 and "ACTIVATION_WIZARD_PROXY_PASSWORD" in payload["message"]

"""Proxies as a company has them, over real HTTP: Squid on loopback asking for Basic
authentication, chosen by an environment variable and by a PAC file served on loopback."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from app.api.proxies import (
    ProxyCredentials,
    ProxySettings,
    choose_proxy,
    credentials_in,
    strip_credentials,
)
from app.domain.errors import ProxyAuthFailedError, ProxyAuthRequiredError, ProxyError
from tests.support.auth_proxy import AuthProxy, pac_server, squid_proxy

PASSWORD = "Tr0ub4dor&3-squid"  # noqa: S105 - the test proxy's own password


@pytest.fixture(scope="module")
def proxy() -> Iterator[AuthProxy]:
    with squid_proxy("alice", PASSWORD) as running:
        yield running


@pytest.fixture
def no_env_proxies(monkeypatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


def _validate(make_client, fixtures, settings: ProxySettings | None = None):
    client = make_client(proxy=settings, max_retries=0)
    return client, client.validate_key(fixtures["valid"])


# --- chosen by the environment --------------------------------------------------------


def test_env_proxy_without_sign_in_is_the_sign_in_problem(
    proxy, make_client, fixtures, no_env_proxies, monkeypatch
):
    monkeypatch.setenv("HTTP_PROXY", proxy.url)

    with pytest.raises(ProxyAuthRequiredError) as caught:
        _validate(make_client, fixtures)

    assert type(caught.value) is ProxyAuthRequiredError
    assert caught.value.code == "PROXY_AUTH_REQUIRED"
    assert "TCP_DENIED/407" in proxy.access_log


def test_env_proxy_with_sign_in_reaches_the_service(
    proxy, make_client, fixtures, no_env_proxies, monkeypatch, caplog
):
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    caplog.set_level(logging.DEBUG)
    settings = ProxySettings(credentials=ProxyCredentials("alice", PASSWORD))

    client, result = _validate(make_client, fixtures, settings)

    assert result.valid
    assert client.proxy.source == "environment"
    assert " alice " in proxy.access_log  # squid logged the request as the signed-in user
    assert PASSWORD not in caplog.text


def test_sign_in_written_into_the_env_url_is_used_and_never_logged(
    proxy, make_client, fixtures, no_env_proxies, monkeypatch, caplog
):
    host = proxy.url.split("://", 1)[1]
    monkeypatch.setenv("http_proxy", f"http://alice:{PASSWORD}@{host}")
    caplog.set_level(logging.DEBUG)

    client, result = _validate(make_client, fixtures)

    assert result.valid
    assert client.proxy.display == proxy.url
    assert PASSWORD not in caplog.text and PASSWORD not in repr(client.proxy)


def test_a_wrong_password_says_so(proxy, make_client, fixtures, no_env_proxies, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    settings = ProxySettings(credentials=ProxyCredentials("alice", "not-the-password"))

    with pytest.raises(ProxyAuthFailedError) as caught:
        _validate(make_client, fixtures, settings)

    assert caught.value.code == "PROXY_AUTH_FAILED"
    assert "not-the-password" not in str(caught.value)


def test_no_proxy_sends_loopback_straight_to_the_service(
    proxy, make_client, fixtures, no_env_proxies, monkeypatch
):
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    before = proxy.access_log

    client, result = _validate(make_client, fixtures)

    assert result.valid and client.proxy.url is None
    assert proxy.access_log == before


# --- chosen by a PAC file ---------------------------------------------------------------


def test_pac_file_proxy_without_and_with_sign_in(proxy, make_client, fixtures, no_env_proxies):
    with pac_server(proxy.url) as pac_url:
        with pytest.raises(ProxyAuthRequiredError):
            _validate(make_client, fixtures, ProxySettings(pac_url=pac_url))
        signed_in = ProxySettings(pac_url=pac_url, credentials=ProxyCredentials("alice", PASSWORD))
        client, result = _validate(make_client, fixtures, signed_in)

    assert result.valid
    assert client.proxy.source == "pac"
    assert client.proxy.url == proxy.url


def test_explicit_setting_wins_over_the_environment(
    proxy, make_client, fixtures, no_env_proxies, monkeypatch
):
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # nothing listens there
    before = proxy.access_log

    client, result = _validate(make_client, fixtures, ProxySettings(proxy="direct"))

    assert result.valid and client.proxy.source == "setting"
    assert proxy.access_log == before


def test_an_unreachable_pac_file_is_a_proxy_problem(make_client, fixtures, no_env_proxies):
    with pytest.raises(ProxyError) as caught:
        _validate(make_client, fixtures, ProxySettings(pac_url="http://127.0.0.1:9/none.pac"))

    assert caught.value.code == "PROXY_FAILED"


# --- choosing, without a network ------------------------------------------------------


def test_choice_order_and_bypass():
    env = {"HTTPS_PROXY": "http://proxy.corp:8080", "NO_PROXY": "licensing.corp,.internal"}
    target = "https://api.licentric.com"

    assert choose_proxy(target, environ=env).url == "http://proxy.corp:8080"
    assert choose_proxy("https://licensing.corp", environ=env).url is None
    assert choose_proxy("https://x.internal", environ=env).url is None
    assert choose_proxy("http://plain.example", environ=env).url is None  # no HTTP_PROXY
    chosen = choose_proxy(target, ProxySettings(proxy="http://other:3128"), environ=env)
    assert (chosen.url, chosen.source) == ("http://other:3128", "setting")
    assert choose_proxy(target, ProxySettings(proxy="DIRECT"), environ=env).url is None
    assert choose_proxy(target, environ={"ACTIVATION_WIZARD_PROXY": "x"}).source != "environment"


def test_credentials_are_taken_out_of_urls():
    url = "http://dom%5Cann:p%40ss@proxy.corp:8080"

    assert strip_credentials(url) == "http://proxy.corp:8080"
    assert credentials_in(url) == ProxyCredentials("dom\\ann", "p@ss")
    assert "p@ss" not in repr(credentials_in(url))
    assert strip_credentials("http://proxy.corp:8080") == "http://proxy.corp:8080"

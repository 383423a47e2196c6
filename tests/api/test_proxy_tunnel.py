"""HTTPS through a company proxy: the CONNECT tunnel (Squid on loopback, Basic auth) to a TLS
endpoint the company's CA signed. A refused tunnel (407) is the sign-in problem too, and a
wrong password says so, though httpx reports a tunnel's 407 as an exception, not an answer."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

from app.api.client import LicentricClient
from app.api.proxies import ProxySettings
from app.domain.errors import ProxyAuthFailedError, ProxyAuthRequiredError
from app.domain.proxy_sign_in import ProxyCredentials
from tests.api.test_company_ca import (  # noqa: F401 - fixtures used by name
    install_company_ca,
    intercepted,
    pki,
    trust_store,
)
from tests.support.auth_proxy import AuthProxy, squid_proxy

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="as tests/api/test_company_ca")
PASSWORD = "Tunnel-Pa55"  # noqa: S105 - the test proxy's own password


@pytest.fixture(scope="module")
def proxy() -> Iterator[AuthProxy]:
    with squid_proxy("erin", PASSWORD) as running:
        yield running


def _client(url: str, proxy: AuthProxy, password: str | None) -> LicentricClient:
    creds = ProxyCredentials("erin", password) if password is not None else None
    return LicentricClient(url, max_retries=0, proxy=ProxySettings(proxy.url, credentials=creds))


def test_https_through_the_tunnel_needs_the_sign_in(
    intercepted, trust_store, pki, proxy, fixtures  # noqa: F811
):
    url, stats = intercepted
    install_company_ca(trust_store, pki)

    with _client(url, proxy, None) as client, pytest.raises(ProxyAuthRequiredError) as refused:
        client.validate_key(fixtures["valid"])
    assert type(refused.value) is ProxyAuthRequiredError
    with _client(url, proxy, "wrong") as client, pytest.raises(ProxyAuthFailedError):
        client.validate_key(fixtures["valid"])
    with _client(url, proxy, PASSWORD) as client:
        assert client.validate_key(fixtures["valid"]).valid

    assert "CONNECT 127.0.0.1" in proxy.access_log and " erin " in proxy.access_log
    assert stats.handshakes >= 1

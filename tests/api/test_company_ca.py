"""Corporate TLS interception over real TLS on loopback: a company CA that the operating
system trusts is trusted by the client (truststore), and without it the answer is TlsError.

On Linux truststore uses OpenSSL's default verify paths, which honour SSL_CERT_FILE and
SSL_CERT_DIR; the tests point those at a bundle in tmp_path with or without the company CA.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from app.api.client import LicentricClient
from app.api.http import tls_context
from app.cli import main
from app.domain.errors import TlsError
from app.presentation.problems import problem_for
from app.services import build_services
from tests.api.tls_forwarder import CompanyPki, ForwarderStats, make_company_pki, tls_forwarder
from tests.services.support import machines_of, make_config

pytestmark = pytest.mark.skipif(
    sys.platform != "linux",
    reason="SSL_CERT_FILE only stands in for the OS trust store on Linux (OpenSSL); "
    "macOS and Windows verify against their own keychain / certificate store",
)

#: Where Linux distributions keep the system CA bundle (the same list truststore searches).
SYSTEM_BUNDLES = (
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
    "/etc/pki/tls/cert.pem",
    "/etc/ssl/cert.pem",
    "/etc/ssl/ca-bundle.pem",
)


def system_bundle() -> Path:
    for candidate in SYSTEM_BUNDLES:
        if Path(candidate).is_file():
            return Path(candidate)
    pytest.skip("no system CA bundle found in " + ", ".join(SYSTEM_BUNDLES))


@pytest.fixture
def pki(tmp_path) -> CompanyPki:
    folder = tmp_path / "pki"
    folder.mkdir()
    return make_company_pki(folder)


@pytest.fixture
def intercepted(standin, pki) -> Iterator[tuple[str, ForwarderStats]]:
    """``https://127.0.0.1:<port>`` serving the stand-in through the company's certificate."""
    upstream = urlsplit(standin.url)
    with tls_forwarder(pki.server_context(), (upstream.hostname, upstream.port)) as (port, stats):
        yield f"https://127.0.0.1:{port}", stats


@pytest.fixture
def trust_store(tmp_path, monkeypatch) -> Iterator[Path]:
    """An OS trust store in tmp_path: a copy of the system bundle (SSL_CERT_FILE) and an empty
    hashed-cert folder (SSL_CERT_DIR), so only what a test adds to the bundle differs."""
    bundle = tmp_path / "trust" / "ca-certificates.crt"
    bundle.parent.mkdir()
    bundle.write_bytes(system_bundle().read_bytes())
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    monkeypatch.setenv("SSL_CERT_DIR", str(bundle.parent))
    # app.api.http caches one truststore context per process (functools.lru_cache) and
    # OpenSSL only ever adds certificates to it: a fresh one per test sees this store alone.
    tls_context.cache_clear()
    yield bundle
    tls_context.cache_clear()


def install_company_ca(bundle: Path, pki: CompanyPki) -> None:
    """What the company's IT does: append its root CA to the system bundle."""
    with bundle.open("ab") as fh:
        fh.write(b"\n" + pki.ca_pem)


def test_company_ca_not_installed_is_tls_untrusted(intercepted, trust_store, fixtures):
    url, stats = intercepted
    with LicentricClient(url, max_retries=0) as client, pytest.raises(TlsError) as info:
        client.validate_key(fixtures["valid"])
    assert "certificate verify failed" in str(info.value.__cause__)
    assert "unable to get local issuer certificate" in info.value.details["reason"]
    assert problem_for(info.value).code == "TLS_UNTRUSTED"
    # The client refused the company's certificate during the handshake: nothing was sent.
    assert "unknown ca" in " ".join(stats.wait_for_failure()).lower()
    assert stats.handshakes == 0


def test_activation_through_company_ca(intercepted, trust_store, pki, standin, fixtures):
    url, stats = intercepted
    install_company_ca(trust_store, pki)
    config = make_config(standin, api_url=url)
    with build_services(config) as services:
        outcome = services.activation.activate(fixtures["valid"], "Office PC")
    assert outcome.validation.code == "VALID"
    assert outcome.record.api_url == url
    # The server (read over plain http, not through our client) holds the new machine.
    live = {machine["id"] for machine in machines_of(standin, "valid")}
    assert outcome.record.machine_id in live
    assert stats.handshakes >= 1 and not stats.handshake_failures


def test_cli_activates_through_company_ca(intercepted, trust_store, pki, fixtures, capsys):
    url, stats = intercepted
    install_company_ca(trust_store, pki)
    capsys.readouterr()
    rc = main(["--api-url", url, "activate", "--key", fixtures["valid"], "--json"])
    payload = json.loads(capsys.readouterr().out)
    assert rc == 0, payload
    assert payload["ok"] is True and payload["machineId"]
    assert stats.handshakes >= 1 and not stats.handshake_failures

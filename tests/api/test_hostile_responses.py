"""Hostile and broken answers: each becomes the right typed error, never a crash or a 'valid'."""

from __future__ import annotations

import pytest

from app.api.http import MAX_BODY_BYTES
from app.domain.errors import (
    ConnectFailedError,
    ProxyError,
    RequestTimeoutError,
    ServerError,
    TlsError,
    UnexpectedResponseError,
)
from tests.api.conftest import identity
from tests.api.raw_server import raw_server, read_head, self_signed_context

FINGERPRINT = "de" * 32


def test_captive_portal_page_is_unexpected(standin, client):
    standin.add_fault("validate-key", "html", count=1, status=200)
    with pytest.raises(UnexpectedResponseError) as info:
        client.validate_key(standin.fixtures["valid"])
    assert info.value.details["contentType"].startswith("text/html")


@pytest.mark.parametrize("call", ["heartbeat", "deactivate"])
def test_captive_portal_never_confirms_a_machine_call(standin, client, call):
    key = standin.fixtures["valid"]
    machine = client.activate(key, identity(FINGERPRINT))
    standin.add_fault(call, "html", count=1, status=200)
    with pytest.raises(UnexpectedResponseError):
        getattr(client, call)(key, machine.id)
    # The deactivation did not happen behind the portal page.
    assert client.validate_key(key, FINGERPRINT).valid is True


def test_html_4xx_is_not_read_as_a_license_answer(standin, client):
    standin.add_fault("activate", "html", count=1, status=403)
    with pytest.raises(UnexpectedResponseError) as info:
        client.activate(standin.fixtures["valid"], identity(FINGERPRINT))
    assert info.value.status == 403


def test_html_5xx_is_a_server_error(standin, make_client):
    standin.add_fault("validate-key", "html", count=None, status=502)
    with pytest.raises(ServerError) as info:
        make_client(max_retries=1).validate_key(standin.fixtures["valid"])
    assert info.value.status == 502


def test_malformed_json_is_unexpected(standin, client):
    standin.add_fault("validate-key", "malformed", count=1)
    with pytest.raises(UnexpectedResponseError):
        client.validate_key(standin.fixtures["valid"])


def test_malformed_5xx_is_a_server_error(standin, make_client):
    standin.add_fault("validate-key", "malformed", count=None, status=500)
    with pytest.raises(ServerError):
        make_client(max_retries=0).validate_key(standin.fixtures["valid"])


def test_truncated_body_is_unexpected(standin, client):
    standin.add_fault("validate-key", "truncated", count=1)
    with pytest.raises(UnexpectedResponseError):
        client.validate_key(standin.fixtures["valid"])


def test_body_cut_off_mid_stream_is_connect_failed(standin, make_client):
    standin.add_fault("validate-key", "truncated", count=None, incomplete=True)
    with pytest.raises(ConnectFailedError):
        make_client(max_retries=0).validate_key(standin.fixtures["valid"])


@pytest.mark.parametrize(
    "body",
    [
        {"data": {"valid": "true", "code": "VALID", "license": None}},
        {"data": {"valid": 1, "code": "VALID"}},
        {"data": {"valid": True, "code": 200}},
        {"data": {"valid": True, "code": "VALID", "license": ["lic"]}},
        {"data": {"code": "VALID"}},
        {"data": None},
        {"valid": True, "code": "VALID"},
        [],
        "VALID",
    ],
)
def test_wrong_types_and_missing_fields_are_unexpected(standin, client, body):
    # A JSON body given as a dict/list is sent as JSON; a str is sent as text/plain.
    standin.add_fault("validate-key", "status", count=1, status=200, body=body)
    with pytest.raises(UnexpectedResponseError):
        client.validate_key(standin.fixtures["valid"])


def test_ok_without_data_is_unexpected_for_activation(standin, client):
    standin.add_fault("activate", "status", count=1, status=201, body={"ok": True})
    with pytest.raises(UnexpectedResponseError):
        client.activate(standin.fixtures["valid"], identity(FINGERPRINT))


def test_unknown_negative_code_is_kept(standin, client):
    body = {"data": {"valid": False, "code": "SOMETHING_NEW", "license": None}}
    standin.add_fault("validate-key", "status", count=1, status=200, body=body)
    result = client.validate_key(standin.fixtures["valid"])
    assert (result.valid, result.code) == (False, "SOMETHING_NEW")


def test_slow_server_is_a_timeout(standin, make_client):
    standin.add_fault("validate-key", "latency", count=None, ms=1500)
    with pytest.raises(RequestTimeoutError):
        make_client(timeout=0.3, max_retries=0).validate_key(standin.fixtures["valid"])


def _huge_answer(chunked: bool):
    size = 20 * 1024 * 1024
    block = b"x" * 65536

    def handle(conn):
        read_head(conn)
        length = b"Transfer-Encoding: chunked" if chunked else b"Content-Length: %d" % size
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + length + b"\r\n\r\n"
        )
        for _ in range(size // len(block)):
            conn.sendall(b"%x\r\n%s\r\n" % (len(block), block) if chunked else block)

    return handle


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_20_mb_body_is_refused_without_reading_it_all(make_client, chunked):
    # The stand-in cannot serve 20 MB, so a raw loopback server does.
    with raw_server(_huge_answer(chunked)) as port:
        client = make_client(base_url=f"http://127.0.0.1:{port}", max_retries=0)
        with pytest.raises(UnexpectedResponseError) as info:
            client.validate_key("DEMO-AAAA-BBBB-CCCC-DDDD")
    assert info.value.details["bytes"] <= MAX_BODY_BYTES


def test_untrusted_certificate_is_a_tls_error(make_client, tmp_path):
    # What corporate TLS interception without the company CA installed looks like.
    def handle(conn):
        read_head(conn)

    with raw_server(handle, tls=self_signed_context(tmp_path)) as port:
        client = make_client(base_url=f"https://127.0.0.1:{port}", max_retries=2)
        with pytest.raises(TlsError) as info:
            client.validate_key("DEMO-AAAA-BBBB-CCCC-DDDD")
    assert "certificate" in info.value.details["reason"].lower()
    assert client.connections_opened == 1  # a TLS failure is not retried


def test_proxy_refusing_connect_is_a_proxy_error(make_client, monkeypatch):
    def handle(conn):
        read_head(conn)
        conn.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")

    with raw_server(handle) as port:
        for name in ("ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{port}")
        client = make_client(base_url="https://licensing.example.com", max_retries=0)
        with pytest.raises(ProxyError):
            client.validate_key("DEMO-AAAA-BBBB-CCCC-DDDD")

"""Test-only TLS termination on loopback: a company CA, a server certificate it signed, and a
forwarder that decrypts https and passes the bytes to a plain-http server (the stand-in).

This is what corporate TLS interception looks like to the client: a certificate for the host it
asked for, issued by a CA that only the company's computers trust.
"""

from __future__ import annotations

import contextlib
import datetime
import ipaddress
import select
import socket
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

#: How long one forwarded connection may sit idle before the forwarder drops it.
IDLE_SECONDS = 10.0
_POLL_SECONDS = 0.1


@dataclass(frozen=True)
class CompanyPki:
    """PEM files in one folder: the company root CA and a server certificate it signed."""

    ca_pem: bytes
    cert_file: Path
    key_file: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert_file, self.key_file)
        return context


def make_company_pki(folder: Path) -> CompanyPki:
    """A fresh company root CA and a certificate for 127.0.0.1 / localhost signed by it."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name("Example Corp Interception Root CA")
    ca_cert = _ca_certificate(ca_key, ca_name)
    server_key = ec.generate_private_key(ec.SECP256R1())
    server_cert = _server_certificate(server_key, ca_key, ca_cert)
    cert_file = folder / "server.pem"
    key_file = folder / "server-key.pem"
    cert_file.write_bytes(server_cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        server_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return CompanyPki(ca_cert.public_bytes(serialization.Encoding.PEM), cert_file, key_file)


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Example Corp"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _validity(builder: x509.CertificateBuilder) -> x509.CertificateBuilder:
    now = datetime.datetime.now(datetime.UTC)
    return builder.not_valid_before(now - datetime.timedelta(hours=1)).not_valid_after(
        now + datetime.timedelta(days=1)
    )


def _ca_certificate(key: ec.EllipticCurvePrivateKey, name: x509.Name) -> x509.Certificate:
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(cert_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    return _validity(builder).sign(key, hashes.SHA256())


def _server_certificate(
    key: ec.EllipticCurvePrivateKey, ca_key: ec.EllipticCurvePrivateKey, ca: x509.Certificate
) -> x509.Certificate:
    names = [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name("127.0.0.1"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(cert_sign=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
    )
    return _validity(builder).sign(ca_key, hashes.SHA256())


def _key_usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not cert_sign,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


@dataclass
class ForwarderStats:
    """What the forwarder saw: handshakes that completed and those the client refused."""

    handshakes: int = 0
    handshake_failures: list[str] = field(default_factory=list)
    _changed: threading.Condition = field(default_factory=threading.Condition, repr=False)

    def record(self, failure: str | None) -> None:
        with self._changed:
            if failure is None:
                self.handshakes += 1
            else:
                self.handshake_failures.append(failure)
            self._changed.notify_all()

    def wait_for_failure(self, timeout: float = 5.0) -> list[str]:
        """The refused handshakes, once there is one (the client may give up before the
        forwarder's thread has noted it)."""
        with self._changed:
            self._changed.wait_for(lambda: self.handshake_failures, timeout)
            return list(self.handshake_failures)


@contextlib.contextmanager
def tls_forwarder(
    context: ssl.SSLContext, upstream: tuple[str, int]
) -> Iterator[tuple[int, ForwarderStats]]:
    """Terminate TLS on 127.0.0.1 and forward each connection to ``upstream`` (plain TCP).

    Yields (port, stats). Every thread it started has ended when the block is left.
    """
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(_POLL_SECONDS)
    stop = threading.Event()
    stats = ForwarderStats()
    workers: list[threading.Thread] = []

    def accept_loop() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            worker = threading.Thread(
                target=_serve,
                args=(conn, context, upstream, stop, stats),
                name="tls-forwarder",
                daemon=True,
            )
            workers.append(worker)
            worker.start()

    acceptor = threading.Thread(target=accept_loop, name="tls-forwarder-accept", daemon=True)
    acceptor.start()
    try:
        yield listener.getsockname()[1], stats
    finally:
        stop.set()
        acceptor.join(5)
        listener.close()
        for worker in workers:
            worker.join(5)


def _serve(
    conn: socket.socket,
    context: ssl.SSLContext,
    upstream: tuple[str, int],
    stop: threading.Event,
    stats: ForwarderStats,
) -> None:
    conn.settimeout(IDLE_SECONDS)
    try:
        tls = context.wrap_socket(conn, server_side=True)
    except (ssl.SSLError, OSError) as exc:
        # The client refusing our certificate ends up here (alert "unknown ca").
        stats.record(str(exc))
        conn.close()
        return
    stats.record(None)
    try:
        with tls, socket.create_connection(upstream, timeout=IDLE_SECONDS) as plain:
            _pump(tls, plain, stop)
    except OSError:  # either side hanging up mid-stream ends this connection only
        pass


def _pump(tls: ssl.SSLSocket, plain: socket.socket, stop: threading.Event) -> None:
    """Copy bytes both ways in one thread (an SSL socket must not be read and written from
    two threads at once) until either side closes or the forwarder stops."""
    while not stop.is_set():
        # Decrypted bytes may already wait in the TLS buffer, invisible to select().
        ready = [tls] if tls.pending() else select.select([tls, plain], [], [], _POLL_SECONDS)[0]
        if tls in ready:
            data = tls.recv(65536)
            if not data:
                return
            plain.sendall(data)
        if plain in ready:
            data = plain.recv(65536)
            if not data:
                return
            tls.sendall(data)

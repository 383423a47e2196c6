"""A real company proxy on loopback for tests: Squid (Debian ``squid``) asking for Basic
authentication (407) against a password file, and a PAC file served over loopback HTTP.

Squid drops root rights to its own account, so its folder is made in /tmp (reachable by it),
not under pytest's root-only tmp dir.
"""

from __future__ import annotations

import contextlib
import http.server
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.support.system import missing, require_binary

_BASIC_HELPER = Path("/usr/lib/squid/basic_ncsa_auth")
_CONFIG = """\
http_port 127.0.0.1:{port}
pid_filename {dir}/squid.pid
cache_log {dir}/cache.log
access_log {dir}/access.log
coredump_dir {dir}
cache deny all
cache_mem 4 MB
shutdown_lifetime 0 seconds
auth_param basic program {helper} {dir}/passwd
auth_param basic children 2 startup=1 idle=1
auth_param basic realm activation-wizard-tests
acl signed_in proxy_auth REQUIRED
http_access allow localhost signed_in
http_access deny all
"""


@dataclass(frozen=True)
class AuthProxy:
    """The running proxy: its address (no sign-in in it) and the one account it accepts."""

    url: str
    username: str
    password: str
    folder: Path

    @property
    def access_log(self) -> str:
        """Squid's log of every request: the user name each was made as, or ``-``."""
        path = self.folder / "access.log"
        return path.read_text() if path.exists() else ""


@contextlib.contextmanager
def squid_proxy(username: str, password: str) -> Iterator[AuthProxy]:
    """Squid on a free loopback port that lets only ``username``/``password`` through."""
    squid = require_binary("squid")
    openssl = require_binary("openssl")
    if not _BASIC_HELPER.exists():
        missing(f"{_BASIC_HELPER} is missing (Debian package `squid`)")
    folder = Path(tempfile.mkdtemp(prefix="aw-squid-"))
    folder.chmod(0o777)  # squid writes its logs here after dropping to its own account
    try:
        _write_password_file(folder, openssl, username, password)
        port = _free_port()
        config = folder / "squid.conf"
        config.write_text(_CONFIG.format(port=port, dir=folder, helper=_BASIC_HELPER))
        process = subprocess.Popen(
            [squid, "-N", "-f", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        try:
            _wait_for_port(port, process, folder)
            yield AuthProxy(f"http://127.0.0.1:{port}", username, password, folder)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _write_password_file(folder: Path, openssl: str, username: str, password: str) -> None:
    # The password goes to openssl on stdin, never on a command line.
    hashed = subprocess.run(
        [openssl, "passwd", "-apr1", "-stdin"],
        input=password,
        capture_output=True,
        text=True,
        check=True,
        timeout=10,
    ).stdout.strip()
    path = folder / "passwd"
    path.write_text(f"{username}:{hashed}\n")
    path.chmod(0o644)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_port(port: int, process: subprocess.Popen[bytes], folder: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = (folder / "cache.log").read_text() if (folder / "cache.log").exists() else ""
            err = process.stderr.read().decode() if process.stderr else ""
            raise RuntimeError(f"squid exited ({process.returncode}): {err}{log[-1500:]}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise RuntimeError("squid did not start listening within 20 s")


# --- a PAC file on loopback -----------------------------------------------------------

PAC_TEMPLATE = """\
function FindProxyForURL(url, host) {{
    if (host == "127.0.0.1" || host == "localhost") {{
        return "PROXY {proxy}; DIRECT";
    }}
    return "DIRECT";
}}
"""


@contextlib.contextmanager
def pac_server(proxy_url: str) -> Iterator[str]:
    """Serve a PAC file sending loopback traffic through ``proxy_url``; yields its address."""
    proxy_hostport = proxy_url.split("://", 1)[1]
    body = PAC_TEMPLATE.format(proxy=proxy_hostport).encode()

    class PacHandler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/x-ns-proxy-autoconfig")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), PacHandler)
    thread = threading.Thread(target=server.serve_forever, name="pac-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/proxy.pac"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

"""StandinServer: run the stand-in in-process (uvicorn in a background thread)."""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from typing import Any

import uvicorn

from .app import build_app
from .faults import Fault
from .limits import RELAXED_LIMITS
from .seed import DEFAULT_SEED
from .state import StandinState


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses (127.0.0.0/8, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


# Embedded servers default to limits nobody hits; pass rate_limits=DOCUMENTED_LIMITS for realism.
EMBEDDED_RATE_LIMITS = dict(RELAXED_LIMITS)


class StandinServer:
    """A Licentric-compatible server on loopback.

    >>> with StandinServer() as server:
    ...     server.url          # 'http://127.0.0.1:PORT'; clients append /api/v1
    ...     server.fixtures     # {'valid': 'DEMO-....', 'apiKey': 'lk_test_...', ...}
    """

    def __init__(
        self,
        db_path: str | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        rate_limits: dict[str, int] | None = None,
        rate_window: float = 60.0,
        seed: bool = True,
        key_seed: str = DEFAULT_SEED,
        log_level: str = "warning",
        public: bool = False,
    ) -> None:
        if not public and not is_loopback(host):
            raise ValueError(
                f"refusing to listen on {host}: the stand-in's keys are derived from a public "
                "seed; use a loopback address, or public=True (--public) for random API keys"
            )
        limits = EMBEDDED_RATE_LIMITS if rate_limits is None else rate_limits
        self.state = StandinState(
            db_path,
            seed=seed,
            key_seed=key_seed,
            rate_limits=limits,
            rate_window=rate_window,
            public=public,
        )
        self.host = host
        self._port = port
        self._log_level = log_level
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._sock: socket.socket | None = None

    # ---------------------------------------------------------------- lifecycle

    @property
    def port(self) -> int:
        return self._port

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self._port}"

    @property
    def api_url(self) -> str:
        return self.url + "/api/v1"

    def start(self, timeout: float = 10.0) -> StandinServer:
        """Bind, serve in a daemon thread, and return once requests are accepted."""
        if self._thread is not None:
            return self
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # Accepted sockets inherit this; without it, a socket handed to uvicorn meets
        # Nagle + delayed ACK and every keep-alive request costs ~40 ms.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind((self.host, self._port))
        sock.listen(128)
        self._sock = sock
        self._port = sock.getsockname()[1]
        config = uvicorn.Config(
            build_app(self.state),
            log_level=self._log_level,
            access_log=False,
            lifespan="off",
            date_header=False,
            server_header=False,
            timeout_keep_alive=30,
            timeout_graceful_shutdown=2,
            http="h11",
            loop="asyncio",
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [sock]},
            name=f"standin-{self._port}",
            daemon=True,
        )
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("stand-in server failed to start")
            time.sleep(0.005)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Shut uvicorn down, join its thread and free the port."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
        if self._sock is not None:
            self._sock.close()
        self._server = self._thread = self._sock = None

    def close(self) -> None:
        """Stop and close the database."""
        self.stop()
        self.state.store.close()

    def __enter__(self) -> StandinServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---------------------------------------------------------------- test controls

    @property
    def fixtures(self) -> dict[str, str]:
        """Scenario -> license key, plus apiKey*, signingKey (hex) and publicKey (SPKI b64)."""
        return self.state.fixtures

    @property
    def fixture_details(self) -> dict[str, dict[str, Any]]:
        """Scenario -> {key, licenseId, expectedCode, policy}."""
        return self.state.fixture_details

    def reset(self) -> None:
        """Seeded data back, faults cleared, rate counters/limits, clock and switches reset."""
        self.state.reset()

    def add_fault(
        self, route: str = "*", kind: str = "status", count: int | None = 1, **params: Any
    ) -> Fault:
        """Same as POST /_standin/faults, e.g. add_fault("activate", "drop", after=True)."""
        return self.state.faults.add({"route": route, "kind": kind, "count": count, **params})

    def clear_faults(self) -> None:
        self.state.faults.clear()

    def configure(
        self,
        *,
        unknown_key: str | None = None,
        duplicate_fingerprint: str | None = None,
        license_state_status: int | None = None,
        rate_limits: dict[str, int] | None = None,
        rate_window: float | None = None,
        checkout_fingerprint: bool | None = None,
    ) -> dict[str, Any]:
        """Runtime switches (the readings in Settings); rate limit changes reset the counters."""
        return self.state.configure(
            unknown_key=unknown_key,
            duplicate_fingerprint=duplicate_fingerprint,
            license_state_status=license_state_status,
            rate_limits=rate_limits,
            rate_window=rate_window,
            checkout_fingerprint=checkout_fingerprint,
        )

    def advance_clock(self, seconds: float) -> None:
        """Move the server's business clock (expiry, heartbeats); the Date header is real."""
        self.state.clock.shift += seconds

    def now(self) -> float:
        return self.state.clock.now()

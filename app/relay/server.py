"""Running the relay: in a background thread for tests and demos, or in the foreground."""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Callable, Iterable
from types import TracebackType

import uvicorn

from app.relay.app import build_app
from app.relay.offline_signing import OfflineSigner
from app.relay.peers import parse_network
from app.relay.protocol import with_deadline
from app.relay.scopes import RelayStartupError, check_scopes
from app.relay.settings import RelayLimits
from app.relay.shared import check_redis

log = logging.getLogger("app.relay")

__all__ = ["RelayServer", "RelayStartupError"]


class RelayServer:
    """The relay on `host:port` (0 = a free port) in front of the Licentric origin `upstream`.

    `start()` checks the API key's scopes (RelayStartupError when one is missing), then serves
    from a background thread and returns once requests are accepted. `stop()` frees the port.
    `trusted_proxies` (addresses or networks) are the peers whose `X-Forwarded-For` is
    believed; `redis_url` shares caches, limits and budget with every relay using that Redis.
    `offline_signer` holds the vendor key that signs offline license files (none: the offline
    page and `POST /v1/offline-activation` answer that offline activation is not set up).
    """

    def __init__(
        self,
        upstream: str,
        api_key: str,
        host: str = "127.0.0.1",
        port: int = 0,
        limits: RelayLimits | None = None,
        *,
        trusted_proxies: Iterable[str] = (),
        redis_url: str | None = None,
        offline_signer: OfflineSigner | None = None,
    ) -> None:
        if not api_key:
            raise RelayStartupError("No upstream API key given")
        try:
            self.trusted_proxies = tuple(str(parse_network(p)) for p in trusted_proxies)
        except ValueError as err:
            raise RelayStartupError(f"Not an address or network for --trusted-proxy: {err}") from err
        self.redis_url = redis_url
        self.offline_signer = offline_signer
        self._startup_calls = 0
        self.upstream = upstream.rstrip("/")
        self.host = host
        self.port = port
        self.limits = limits or RelayLimits()
        self._api_key = api_key
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> RelayServer:
        if self._thread is not None:
            return self
        self._check_dependencies()
        sock = self._bind()
        self._server = uvicorn.Server(self._config())
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, name="relay", daemon=True
        )
        self._thread.start()
        self._wait_ready(sock)
        log.info("relay for %s listening on %s", self.upstream, self.url)
        return self

    def serve_forever(self, on_ready: Callable[[str], None] | None = None) -> None:
        """Run in the calling (main) thread until interrupted; uvicorn handles the signals.

        `on_ready(url)` is called once the port is bound (so `port=0` reports the real one).
        """
        self._check_dependencies()
        sock = self._bind()
        if on_ready is not None:
            on_ready(self.url)
        uvicorn.Server(self._config()).run(sockets=[sock])

    def stop(self) -> None:
        if self._server is None or self._thread is None:
            return
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._server = None
        self._thread = None

    def __enter__(self) -> RelayServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _check_dependencies(self) -> None:
        self._startup_calls = check_scopes(
            self.upstream, self._api_key, timeout=self.limits.upstream_timeout
        )
        if self.redis_url:
            check_redis(self.redis_url)

    def _config(self) -> uvicorn.Config:
        app = build_app(
            self.upstream, self._api_key, self.limits,
            trusted_proxies=self.trusted_proxies, redis_url=self.redis_url,
            offline_signer=self.offline_signer,
            startup_calls=self._startup_calls,
        )  # fmt: skip
        # access_log off: uvicorn's line carries nothing we do not log ourselves, masked.
        # proxy_headers off: X-Forwarded-For is read by the app, only from --trusted-proxy peers
        # (uvicorn would believe it from 127.0.0.1 by default).
        return uvicorn.Config(
            app, host=self.host, port=self.port, log_level="warning", access_log=False,
            log_config=None,  # uvicorn's records go to the relay's own logging set-up
            lifespan="on", server_header=False, proxy_headers=False, loop="asyncio",
            http=with_deadline(self.limits.receive_timeout),
            limit_concurrency=self.limits.limit_concurrency,
            timeout_keep_alive=int(max(1, self.limits.keep_alive_seconds)),
            h11_max_incomplete_event_size=16 * 1024,
        )  # fmt: skip

    def _bind(self) -> socket.socket:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        # Listening at once: connections made right after on_ready wait in the backlog.
        sock.listen(128)
        sock.set_inheritable(True)
        self.port = sock.getsockname()[1]
        return sock

    def _wait_ready(self, sock: socket.socket) -> None:
        assert self._server is not None and self._thread is not None
        while not self._server.started:
            if not self._thread.is_alive():
                sock.close()
                self._server = self._thread = None
                raise RelayStartupError(f"The relay could not start on {self.host}:{self.port}")
            self._thread.join(timeout=0.01)

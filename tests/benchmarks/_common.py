"""Shared benchmark helpers: a request-counting loopback proxy, percentiles, markdown tables."""

from __future__ import annotations

import contextlib
import math
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

_LENGTH = re.compile(rb"^content-length:\s*(\d+)\s*$", re.IGNORECASE | re.MULTILINE)


def pct(values: Sequence[float], p: float) -> float:
    """The ``p`` quantile (nearest rank) of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(p * len(ordered)) - 1))]


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "n/a"


def command_line() -> str:
    """The command that ran this benchmark, relative to the repository root."""
    script = Path(sys.argv[0]).resolve()
    with contextlib.suppress(ValueError):
        script = script.relative_to(ROOT)
    return " ".join(["python", str(script), *sys.argv[1:]])


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


class CountingProxy:
    """A loopback TCP proxy in front of ``upstream`` that counts accepted connections and the
    HTTP/1.1 requests sent through it, independent of the client under test.

    Requests are counted by parsing the client's byte stream (request line, headers,
    ``Content-Length`` body), so keep-alive reuse and pipelining are counted correctly.
    Chunked request bodies are not supported (our client and httpx send Content-Length).
    """

    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self._upstream = (upstream_host, upstream_port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self.connections = 0
        self.requests: list[str] = []  # "METHOD /path" in arrival order
        self._thread = threading.Thread(target=self._accept_loop, daemon=True, name="proxy")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._listener.getsockname()[1]}"

    def start(self) -> CountingProxy:
        self._thread.start()
        return self

    def reset_counts(self) -> None:
        with self._lock:
            self.connections = 0
            self.requests = []

    def counts(self) -> tuple[int, int, list[str]]:
        with self._lock:
            return len(self.requests), self.connections, list(self.requests)

    def stop(self) -> None:
        self._stopped.set()
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        self._thread.join(5)

    def __enter__(self) -> CountingProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _accept_loop(self) -> None:
        while not self._stopped.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                self.connections += 1
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        upstream = socket.create_connection(self._upstream)
        for sock in (client, upstream):
            # Without this, Nagle + delayed ACK would add ~40 ms per request to the proxy hop.
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        back = threading.Thread(target=_pipe, args=(upstream, client), daemon=True)
        back.start()
        self._forward_counting(client, upstream)
        back.join(5)
        for sock in (client, upstream):
            sock.close()

    def _forward_counting(self, client: socket.socket, upstream: socket.socket) -> None:
        buffer, body_left = b"", 0
        while True:
            try:
                data = client.recv(65536)
            except OSError:
                data = b""
            if not data:
                with contextlib.suppress(OSError):
                    upstream.shutdown(socket.SHUT_WR)
                return
            upstream.sendall(data)
            buffer += data
            buffer, body_left = self._consume(buffer, body_left)

    def _consume(self, buffer: bytes, body_left: int) -> tuple[bytes, int]:
        """Count every complete request head in ``buffer``; returns what is still unparsed."""
        while True:
            if body_left:
                skipped = min(body_left, len(buffer))
                buffer, body_left = buffer[skipped:], body_left - skipped
                if body_left:
                    return buffer, body_left
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                return buffer, 0
            head, buffer = buffer[:end], buffer[end + 4 :]
            method, path = head.split(b"\r\n", 1)[0].split(b" ")[:2]
            with self._lock:
                self.requests.append(f"{method.decode()} {path.decode()}")
            length = _LENGTH.search(head)
            body_left = int(length.group(1)) if length else 0


def _pipe(source: socket.socket, sink: socket.socket) -> None:
    while True:
        try:
            data = source.recv(65536)
        except OSError:
            data = b""
        if not data:
            with contextlib.suppress(OSError):
                sink.shutdown(socket.SHUT_WR)
            return
        try:
            sink.sendall(data)
        except OSError:
            return


@contextlib.contextmanager
def fresh_keyring() -> Iterator[object]:
    """An empty in-memory keyring for the block (the real keychain is never touched)."""
    import keyring

    from tests.support.memory_keyring import MemoryKeyring

    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


class ProcessStandin:
    """``python -m app.standin`` in its own process (no GIL shared with the program under
    test, as with a real server), with the embedded server's test controls over HTTP."""

    def __init__(self, db: str) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.host = "127.0.0.1"
        self.url = f"http://{self.host}:{self.port}"
        self._db = db
        self._proc: subprocess.Popen[bytes] | None = None
        self.fixtures: dict[str, str] = {}

    def start(self) -> ProcessStandin:
        command = [sys.executable, "-m", "app.standin", "--db", self._db, "--port",
                   str(self.port), "--relaxed-limits"]  # fmt: skip
        self._proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL)  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.TransportError):
                self.fixtures = httpx.get(self.url + "/_standin/fixtures", timeout=1).json()
                return self
            time.sleep(0.05)
        self.stop()
        raise RuntimeError("the stand-in subprocess did not start")

    def reset(self) -> None:
        httpx.post(self.url + "/_standin/reset", timeout=10).raise_for_status()

    def add_fault(self, route: str = "*", kind: str = "status", count: int | None = 1,
                  **params: object) -> None:  # fmt: skip
        spec = {"route": route, "kind": kind, "count": count, **params}
        httpx.post(self.url + "/_standin/faults", json=spec, timeout=10).raise_for_status()

    def stop(self) -> None:
        if self._proc is not None:
            self._proc.terminate()
            self._proc.wait(10)
            self._proc = None

    def __enter__(self) -> ProcessStandin:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

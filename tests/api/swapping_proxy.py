"""A loopback HTTP proxy in front of the stand-in that rewrites each request's JSON body before
forwarding it: an attacker on the network replaying another computer's or license's answer."""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

Swap = Callable[[dict[str, Any]], dict[str, Any]]
_PASSED_HEADERS = ("content-type", "x-signature", "x-signature-timestamp", "date", "x-request-id")


@contextlib.contextmanager
def swapping_proxy(upstream: str, swap: Swap) -> Iterator[str]:
    """Serve on 127.0.0.1; POST bodies go through ``swap``; yields the proxy's origin."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            raw = self.rfile.read(int(self.headers.get("content-length") or 0))
            body = swap(json.loads(raw)) if raw else None
            headers = {k: v for k, v in self.headers.items() if k.lower() == "authorization"}
            answer = httpx.post(upstream + self.path, json=body, headers=headers)
            self.send_response(answer.status_code)
            for name in _PASSED_HEADERS:
                if name in answer.headers:
                    self.send_header(name, answer.headers[name])
            self.send_header("content-length", str(len(answer.content)))
            self.end_headers()
            self.wfile.write(answer.content)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)

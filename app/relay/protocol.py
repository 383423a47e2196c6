"""uvicorn's h11 protocol with a request-receipt deadline (uvicorn has no header/body timeout).

Each request must arrive whole (headers and body) within `receipt_timeout` seconds of its
first byte, and a new connection must start one within that time: a client that trickles its
headers, or opens connections and sends nothing, is cut off instead of holding a slot.
"""

from __future__ import annotations

import asyncio
import logging

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

log = logging.getLogger("app.relay")

_TIMEOUT_ANSWER = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain\r\n"
    b"content-length: 16\r\nconnection: close\r\n\r\nRequest timeout\n"
)
_RECEIVING = (h11.IDLE, h11.SEND_BODY)


class ReceiptDeadlineProtocol(H11Protocol):
    """H11Protocol that closes a connection whose request is not in after the deadline."""

    receipt_timeout: float = 10.0

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._receipt_timer: asyncio.TimerHandle | None = None
        self._arm()

    def data_received(self, data: bytes) -> None:
        if self._receipt_timer is None and self.conn.their_state is h11.IDLE:
            self._arm()  # the first bytes of the next request on a kept-alive connection
        super().data_received(data)
        if self.conn.their_state not in _RECEIVING:
            self._disarm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._receipt_timer = self.loop.call_later(self.receipt_timeout, self._expired)

    def _disarm(self) -> None:
        if self._receipt_timer is not None:
            self._receipt_timer.cancel()
            self._receipt_timer = None

    def _expired(self) -> None:
        self._receipt_timer = None
        if self.transport.is_closing() or self.conn.their_state not in _RECEIVING:
            return
        log.debug("request not received within %gs from %s; closing", self.receipt_timeout,
                  self.client[0] if self.client else "?")  # fmt: skip
        if self.cycle is None or self.cycle.response_complete:
            self.transport.write(_TIMEOUT_ANSWER)  # nothing answered yet on this request
        self.transport.close()


def with_deadline(seconds: float) -> type[ReceiptDeadlineProtocol]:
    """The protocol class uvicorn instantiates, with `seconds` as its deadline."""
    return type("ReceiptDeadlineProtocol", (ReceiptDeadlineProtocol,), {"receipt_timeout": seconds})

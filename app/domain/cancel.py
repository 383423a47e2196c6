"""A cancellation flag that long work checks between steps; thread-safe, no Qt."""

from __future__ import annotations

import threading

from app.domain.errors import CancelledError


class CancelToken:
    """Set from the UI thread, read by the worker between calls."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise CancelledError("cancelled by the user")

    def wait(self, seconds: float) -> bool:
        """Sleep up to ``seconds``; True when cancelled meanwhile (for countdowns and backoff)."""
        return self._event.wait(seconds)

"""Background work for the UI: a QRunnable that runs one service call in the global pool.

The worker only emits its own signals (superqt/napari style), so pages never touch a thread.
Every worker is tracked in a registry until its signals were delivered, which lets tests
assert that nothing is left running and lets the application wait for them on close.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from app.domain.errors import UnexpectedError, WizardError

log = logging.getLogger(__name__)

_lock = threading.Lock()
_active: set[ServiceWorker] = set()
# Finished workers are kept a little longer: dropping the last reference inside their own
# `done` slot would destroy the signals object while Qt is still delivering to it.
_retired: deque[ServiceWorker] = deque(maxlen=64)


class WorkerSignals(QObject):
    """Signals of one worker; lives in the UI thread so slots run there (queued)."""

    finished = Signal(object)  # the callable's result
    failed = Signal(object)  # a WizardError (unexpected exceptions are wrapped as one)
    progress = Signal(object)  # whatever the callable reported through its progress hook
    done = Signal()  # always last, after finished or failed

    def __init__(self, worker: ServiceWorker) -> None:
        super().__init__()
        self._worker: ServiceWorker | None = worker
        self.done.connect(self._forget)

    @Slot()
    def _forget(self) -> None:
        # A slot of a QObject living in the UI thread: runs there, after finished/failed.
        worker, self._worker = self._worker, None
        if worker is None:
            return
        with _lock:
            _active.discard(worker)
            _retired.append(worker)
        worker.release_relays()


class ServiceWorker(QRunnable):
    """Runs ``fn(*args, **kwargs)`` off the UI thread.

    With ``progress_kwarg="on_step"``, ``fn`` gets a keyword ``on_step``
    that forwards each event (a tuple when called with several values) to ``progress``.
    """

    def __init__(
        self,
        fn: Callable[..., Any],
        *args: Any,
        progress_kwarg: str | None = None,
        name: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__()
        # The pool must not delete us: the registry owns our lifetime until `done`.
        self.setAutoDelete(False)
        self.signals = WorkerSignals(self)
        self.name = name or getattr(fn, "__qualname__", "worker")
        self._fn = fn
        self._relays: list[_SlotRelay] = []
        self._args = args
        self._kwargs = dict(kwargs)
        if progress_kwarg:
            self._kwargs[progress_kwarg] = self._report

    def start(self, pool: QThreadPool | None = None) -> ServiceWorker:
        with _lock:
            _active.add(self)
        (pool or QThreadPool.globalInstance()).start(self)
        return self

    def connect(self, signal: Any, slot: Callable[[Any], None], context: QObject) -> None:
        """Deliver ``signal`` to ``slot`` in ``context``'s thread while ``context`` lives."""
        relay = _SlotRelay(slot, context)
        signal.connect(relay.call)
        self._relays.append(relay)

    def release_relays(self) -> None:
        """Drop the relays once every signal was delivered (UI thread, from ``done``).

        Not ``deleteLater``: a deferred delete racing the wrapper's own cleanup crashed
        PySide6 now and then; unparenting hands the object to Python, which frees it here.
        """
        relays, self._relays = self._relays, []
        for relay in relays:
            if shiboken6.isValid(relay):  # its context may already be gone (and it with it)
                relay.setParent(None)

    def _report(self, *event: Any) -> None:
        # Callbacks such as on_step(step, state) take several values: send them as one.
        self.signals.progress.emit(event[0] if len(event) == 1 else event)

    @Slot()
    def run(self) -> None:
        try:
            result = self._fn(*self._args, **self._kwargs)
        except WizardError as exc:
            log.info("%s failed: %r", self.name, exc)
            self.signals.failed.emit(exc)
        except Exception as exc:  # a bug in a lower layer: report it, never crash the pool
            log.exception("%s raised an unexpected error", self.name)
            wrapped = UnexpectedError(f"{type(exc).__name__} in {self.name}")
            wrapped.__cause__ = exc
            self.signals.failed.emit(wrapped)
        else:
            self.signals.finished.emit(result)
        self.signals.done.emit()


def run_in_worker(
    fn: Callable[..., Any],
    *args: Any,
    on_finished: Callable[[Any], None] | None = None,
    on_failed: Callable[[WizardError], None] | None = None,
    on_progress: Callable[[Any], None] | None = None,
    progress_kwarg: str | None = None,
    context: QObject,
    name: str = "",
    **kwargs: Any,
) -> ServiceWorker:
    """Start ``fn`` in the pool; the callbacks run in ``context``'s (the UI) thread and are
    dropped when ``context`` is destroyed. ``name`` labels the worker in logs and in the
    tests' leak check (default: ``fn``'s qualified name)."""
    worker = ServiceWorker(fn, *args, progress_kwarg=progress_kwarg, name=name, **kwargs)
    for signal, slot in (
        (worker.signals.finished, on_finished),
        (worker.signals.failed, on_failed),
        (worker.signals.progress, on_progress),
    ):
        if slot is not None:
            worker.connect(signal, slot, context)
    return worker.start()


class _SlotRelay(QObject):
    """A QObject child of ``context``: the connection dies with the page that asked."""

    def __init__(self, slot: Callable[..., Any], context: QObject) -> None:
        super().__init__(context)
        self._slot = slot

    @Slot(object)
    def call(self, value: Any) -> None:
        self._slot(value)


def active_workers() -> list[ServiceWorker]:
    """Workers started and not yet done (their signals not yet delivered)."""
    with _lock:
        return list(_active)


def wait_for_workers(msecs: int = 15000) -> bool:
    """Block until the pool is idle (used on close, never during normal work)."""
    return QThreadPool.globalInstance().waitForDone(msecs)

"""Workers: results, WizardErrors and bugs arrive as signals in the UI thread; the registry
knows what still runs."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QThread

from app.domain.cancel import CancelToken
from app.domain.errors import ConnectFailedError, UnexpectedError
from app.ui.workers import active_workers, run_in_worker


class _Receiver(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.results: list = []
        self.errors: list = []
        self.events: list = []
        self.threads: list = []

    def on_result(self, value) -> None:
        self.threads.append(QThread.currentThread())
        self.results.append(value)

    def on_error(self, error) -> None:
        self.threads.append(QThread.currentThread())
        self.errors.append(error)


def test_result_and_progress_arrive_in_the_ui_thread(qtbot):
    receiver = _Receiver()
    worker_threads: list[str] = []

    def work(*, on_step) -> int:
        worker_threads.append(threading.current_thread().name)
        on_step("first", "started")
        on_step("first", "done")
        return 42

    run_in_worker(
        work,
        progress_kwarg="on_step",
        on_finished=receiver.on_result,
        on_failed=receiver.on_error,
        on_progress=receiver.events.append,
        context=receiver,
    )
    qtbot.waitUntil(lambda: receiver.results == [42])
    assert receiver.events == [("first", "started"), ("first", "done")]
    assert receiver.threads == [QThread.currentThread()]
    assert worker_threads and worker_threads[0] != threading.current_thread().name
    qtbot.waitUntil(lambda: not active_workers())


def test_wizard_error_and_bug_arrive_as_failed(qtbot):
    receiver = _Receiver()

    def offline() -> None:
        raise ConnectFailedError("no route")

    def bug() -> None:
        raise KeyError("oops")

    for fn in (offline, bug):
        run_in_worker(fn, on_finished=receiver.on_result, on_failed=receiver.on_error,
                      context=receiver)  # fmt: skip
    qtbot.waitUntil(lambda: len(receiver.errors) == 2)
    kinds = {type(e) for e in receiver.errors}
    assert kinds == {ConnectFailedError, UnexpectedError}
    wrapped = next(e for e in receiver.errors if isinstance(e, UnexpectedError))
    assert isinstance(wrapped.__cause__, KeyError)
    assert receiver.results == []


def test_registry_lists_a_running_worker_until_it_is_done(qtbot):
    receiver = _Receiver()
    gate = CancelToken()
    worker = run_in_worker(gate.wait, 10, on_finished=receiver.on_result, context=receiver)
    assert worker in active_workers()
    gate.cancel()
    qtbot.waitUntil(lambda: receiver.results == [True])
    qtbot.waitUntil(lambda: worker not in active_workers())


def test_callbacks_are_dropped_when_the_receiver_is_gone(qtbot):
    receiver = _Receiver()
    gate = CancelToken()
    calls: list = []
    run_in_worker(gate.wait, 10, on_finished=calls.append, context=receiver)
    receiver.deleteLater()
    qtbot.waitUntil(lambda: not _alive(receiver))
    gate.cancel()
    qtbot.waitUntil(lambda: not active_workers())
    assert calls == []


def _alive(obj: QObject) -> bool:
    from shiboken6 import isValid

    return isValid(obj)

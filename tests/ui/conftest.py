"""UI test fixtures: a wizard wired to the stand-in, and a guard that fails any test leaving
a worker running."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QThreadPool

from app.config import load_config
from app.ui.context import WizardContext
from app.ui.demo_keys import demo_key_list
from app.ui.wiring import make_services
from app.ui.wizard import ActivationWizard
from app.ui.workers import active_workers


def _server_threads() -> set[threading.Thread]:
    return {t for t in threading.enumerate() if t.name.startswith(("standin", "relay"))}


@pytest.fixture(autouse=True)
def no_worker_left(qtbot) -> Iterator[None]:
    """Fails the test when a worker, or a server thread the test started (the demo's
    stand-in or relay), still runs shortly after it ended."""
    servers_before = _server_threads()
    yield
    try:
        qtbot.waitUntil(
            lambda: not active_workers() and QThreadPool.globalInstance().activeThreadCount() == 0,
            timeout=5000,
        )
    except AssertionError:
        names = [w.name for w in active_workers()]
        pytest.fail(f"workers still running after the test: {names}")
    try:
        qtbot.waitUntil(lambda: not (_server_threads() - servers_before), timeout=5000)
    except AssertionError:
        names = sorted(t.name for t in _server_threads() - servers_before)
        pytest.fail(f"server threads still running after the test: {names}")


@pytest.fixture
def make_config(standin, tmp_path):
    """Config against the stand-in; keyword arguments override fields."""

    def make(**overrides):
        values = {
            "api_url": standin.url,
            "product_name": "Studio Pro",
            "vendor_name": "Example Software",
            "app_id": "com.example.studio-test",
            "support_email": "support@example.com",
            "renew_url": "https://example.com/renew",
            "required_entitlements": ("pro",),
            "timeout_seconds": 5.0,
            **overrides,
        }
        return load_config(overrides=values, environ={})

    return make


@pytest.fixture
def make_wizard(qtbot, make_config, standin) -> Iterator[Callable[..., ActivationWizard]]:
    """Builds and shows a wizard; closes it and its services after the test."""
    made: list[ActivationWizard] = []

    def make(*, demo: bool = False, **overrides) -> ActivationWizard:
        config = make_config(**overrides)
        keys = demo_key_list(standin.fixtures) if demo else {}
        context = WizardContext(config=config, services=make_services(config), demo_keys=keys)
        wizard = ActivationWizard(context)
        qtbot.addWidget(wizard)
        wizard.show()
        made.append(wizard)
        return wizard

    yield make
    for wizard in made:
        wizard.result_page.stop_countdown()
        QThreadPool.globalInstance().waitForDone(10000)
        wizard.context.services.close()


@pytest.fixture
def ui_relay(standin_server):
    # One per test: the relay caches license answers, and the stand-in is reset per test.
    """The relay in front of the session's stand-in (device management)."""
    from app.relay import RelayServer

    server = RelayServer(standin_server.url, standin_server.fixtures["apiKeyRelay"]).start()
    yield server
    server.stop()

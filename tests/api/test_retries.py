"""What is retried (429 with a short Retry-After, 5xx, dropped connections) and what is not."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from app.domain.cancel import CancelToken
from app.domain.errors import (
    BadRequestError,
    CancelledError,
    ConflictError,
    ConnectFailedError,
    ForbiddenError,
    NotFoundError,
    RateLimitedError,
    ServerError,
)
from tests.api.conftest import identity

FINGERPRINT = "fe" * 32


def test_long_retry_after_raises_at_once(standin, make_client, count_requests):
    counter = count_requests("validate-key")
    standin.add_fault("validate-key", "rate_limit", count=None, retryAfter=60)
    client = make_client(max_retry_wait=10)
    started = time.monotonic()
    with pytest.raises(RateLimitedError) as info:
        client.validate_key(standin.fixtures["valid"])
    assert time.monotonic() - started < 2
    assert info.value.retry_after == 60 and info.value.status == 429
    assert counter.hits == 1


def test_real_rate_limit_window_is_reported(standin, make_client):
    standin.configure(
        rate_limits={"VALIDATION": 1}, rate_window=86400
    )  # aligned windows: ends > 5 s away
    client = make_client(max_retry_wait=5)
    client.validate_key(standin.fixtures["valid"])
    with pytest.raises(RateLimitedError) as info:
        client.validate_key(standin.fixtures["valid"])
    assert info.value.retry_after > 5
    assert info.value.code == "RATE_LIMITED"


def test_short_retry_after_is_waited_out(standin, make_client, count_requests):
    counter = count_requests("validate-key")
    standin.add_fault("validate-key", "rate_limit", count=1, retryAfter=1)
    client = make_client(max_retry_wait=5)
    started = time.monotonic()
    result = client.validate_key(standin.fixtures["valid"])
    assert result.valid is True
    assert time.monotonic() - started >= 0.9
    assert counter.hits == 2


def test_5xx_then_ok_is_retried(standin, make_client, count_requests):
    counter = count_requests("validate-key")
    standin.add_fault("validate-key", "status", count=2, status=503)
    result = make_client(max_retries=3).validate_key(standin.fixtures["valid"])
    assert result.valid is True
    assert counter.hits == 3


def test_5xx_gives_up_after_max_retries(standin, make_client, count_requests):
    counter = count_requests("validate-key")
    standin.add_fault("validate-key", "status", count=None, status=500)
    with pytest.raises(ServerError) as info:
        make_client(max_retries=2).validate_key(standin.fixtures["valid"])
    assert info.value.status == 500
    assert counter.hits == 3


@pytest.mark.parametrize(
    ("status", "error"),
    [(400, BadRequestError), (403, ForbiddenError), (404, NotFoundError), (409, ConflictError)],
)
def test_4xx_is_never_retried(standin, make_client, count_requests, status, error):
    counter = count_requests("activate")
    standin.add_fault("activate", "status", count=None, status=status)
    with pytest.raises(error):
        make_client(max_retries=3).activate(standin.fixtures["valid"], identity(FINGERPRINT))
    assert counter.hits == 1


def test_dropped_connection_is_retried_on_a_new_connection(standin, make_client, count_requests):
    counter = count_requests("validate-key")
    standin.add_fault("validate-key", "drop", count=1)
    client = make_client()
    assert client.validate_key(standin.fixtures["valid"]).valid is True
    assert counter.hits == 2
    assert client.connections_opened == 2


def test_server_that_keeps_dropping_is_connect_failed(standin, make_client):
    standin.add_fault("validate-key", "drop", count=None)
    with pytest.raises(ConnectFailedError) as info:
        make_client(max_retries=1).validate_key(standin.fixtures["valid"])
    assert isinstance(info.value.__cause__, httpx.TransportError)


def test_activation_lost_after_the_server_acted_is_a_conflict(standin, make_client):
    # The machine is created, then the answer is lost; the repeat meets the new machine.
    standin.add_fault("activate", "drop", count=1, after=True)
    key = standin.fixtures["valid"]
    client = make_client()
    with pytest.raises(ConflictError) as info:
        client.activate(key, identity(FINGERPRINT))
    assert info.value.machine_id == client.validate_key(key, FINGERPRINT).machine.id


def test_cancel_interrupts_the_backoff(standin, make_client, count_requests):
    counter = count_requests("validate-key")
    standin.add_fault("validate-key", "status", count=None, status=500)
    token = CancelToken()
    client = make_client(backoff_base=30, max_retries=3)
    threading.Timer(0.2, token.cancel).start()
    started = time.monotonic()
    with pytest.raises(CancelledError):
        client.validate_key(standin.fixtures["valid"], cancel=token)
    assert time.monotonic() - started < 5
    assert counter.hits == 1


def test_cancelled_token_sends_nothing(standin, make_client, count_requests):
    counter = count_requests()
    token = CancelToken()
    token.cancel()
    with pytest.raises(CancelledError):
        make_client(cancel=token).validate_key(standin.fixtures["valid"])
    assert counter.hits == 0

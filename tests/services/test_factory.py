"""build_services: a window sees every noticeable rate limit; a script waits short ones out."""

from __future__ import annotations

import pytest

from app.domain.errors import RateLimitedError
from app.services import build_services
from tests.services.support import make_config


def test_interactive_services_surface_a_short_rate_limit(standin, fixtures, data_dir):
    standin.add_fault("validate-key", "rate_limit", count=1, retryAfter=2)
    with (
        build_services(make_config(standin), interactive=True) as services,
        pytest.raises(RateLimitedError) as info,
    ):
        services.activation.activate(fixtures["valid"], "PC")
    assert info.value.retry_after == 2
    assert services.status.stored() is None


def test_script_services_wait_a_short_rate_limit_out(standin, fixtures, data_dir):
    standin.add_fault("validate-key", "rate_limit", count=1, retryAfter=1)
    with build_services(make_config(standin)) as services:
        outcome = services.activation.activate(fixtures["valid"], "PC")
    assert outcome.validation.valid

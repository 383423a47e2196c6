"""`check --max-age` and `check --online` for an online activation, over real HTTP."""

from __future__ import annotations

import time

from tests.services.support import request_counter


def test_max_age_uses_a_recent_saved_answer_without_a_request(cli, fixtures, standin):
    assert cli.json("activate", "--key", fixtures["valid"])[0] == 0
    counter = request_counter(standin)
    rc, payload = cli.json("check", "--max-age", "3600")
    assert rc == 0 and payload["licensed"] and payload["reused"] is True
    assert payload["online"] is False and payload["stale"] is False and payload["checkedAt"]
    assert counter.hits == 0
    rc, plain, _err = cli.run("check", "--max-age", "3600")
    assert rc == 0 and "without asking again" in plain and counter.hits == 0


def test_an_answer_older_than_max_age_is_checked_again(cli, fixtures, standin):
    assert cli.json("activate", "--key", fixtures["valid"])[0] == 0
    time.sleep(1.2)
    counter = request_counter(standin)
    rc, payload = cli.json("check", "--max-age", "1")
    assert rc == 0 and payload["online"] is True and payload["reused"] is False
    assert counter.hits == 1  # one validation
    standin.add_fault("validate-key", "status", status=403, code="LICENSE_SUSPENDED")
    rc, payload = cli.json("check", "--max-age", "60")  # the answer just saved still counts
    assert rc == 0 and payload["reused"] is True


def test_max_age_never_stretches_the_offline_grace(cli, fixtures, standin):
    cli.use(offline_grace_hours=0.0002)  # 0.72 s
    assert cli.json("activate", "--key", fixtures["valid"])[0] == 0
    time.sleep(1.0)
    standin.add_fault("validate-key", "drop", count=None)
    rc, payload = cli.json("check", "--max-age", "86400")
    assert rc == 6 and payload["code"] == "CONNECT_FAILED"


def test_online_asks_every_time_and_fails_when_unreachable(cli, fixtures, standin):
    assert cli.json("activate", "--key", fixtures["valid"])[0] == 0
    counter = request_counter(standin)
    for _ in range(2):
        rc, payload = cli.json("check", "--online")
        assert rc == 0 and payload["online"] is True and payload["stale"] is False
    assert counter.hits == 2
    standin.add_fault("validate-key", "drop", count=None)
    rc, payload = cli.json("check")  # plain check: the saved answer stands in
    assert rc == 0 and payload["stale"] is True
    rc, payload = cli.json("check", "--online")
    assert rc == 6 and payload["code"] == "CONNECT_FAILED" and payload["ok"] is False


def test_online_and_max_age_together_is_a_usage_error(cli, fixtures):
    assert cli.json("activate", "--key", fixtures["valid"])[0] == 0
    rc, payload = cli.json("check", "--online", "--max-age", "5")
    assert rc == 2 and payload["code"] == "USAGE"
    rc, payload = cli.json("check", "--max-age", "soon")
    assert rc == 2

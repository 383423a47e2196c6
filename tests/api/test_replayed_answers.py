"""A correctly signed validate-key answer made for another computer or another license is
refused (the HMAC covers only timestamp and body): shown by swapping the request body behind a
proxy, so the stand-in signs an answer for a request the client never sent."""

from __future__ import annotations

import httpx
import pytest

from app.config import with_overrides
from app.domain.errors import AnswerMismatchError
from app.presentation.problems import problem_for
from app.services import build_services
from tests.api.swapping_proxy import swapping_proxy
from tests.services.support import make_config

OTHER_COMPUTER = "0ther" * 13
THIS_COMPUTER = "7h15" * 16


def activate_upstream(standin, key: str, fingerprint: str) -> str:
    response = httpx.post(
        standin.api_url + "/machines",
        json={"fingerprint": fingerprint},
        headers={"Authorization": f"License {key}"},
    )
    assert response.status_code == 201
    return response.json()["data"]["id"]


def test_an_answer_for_another_computer_is_refused(standin, make_client):
    key = standin.fixtures["valid"]
    activate_upstream(standin, key, OTHER_COMPUTER)
    with swapping_proxy(standin.url, lambda body: {**body, "fingerprint": OTHER_COMPUTER}) as url:
        signed = make_client(base_url=url, signing_key=standin.fixtures["signingKey"])
        with pytest.raises(AnswerMismatchError) as caught:
            signed.validate_key(key, THIS_COMPUTER)
        assert caught.value.details["reason"] == "the answer names another computer"
        # Without a signing key nothing is verified: the swapped answer would be believed.
        assert make_client(base_url=url).validate_key(key, THIS_COMPUTER).code == "VALID"
    direct = make_client(signing_key=standin.fixtures["signingKey"])
    assert direct.validate_key(key, THIS_COMPUTER).code == "FINGERPRINT_NOT_FOUND"


def test_an_answer_for_another_license_is_refused(standin, make_client):
    other = standin.fixtures["valid-2"]
    stored_license = standin.fixture_details["valid"]["licenseId"]
    with swapping_proxy(standin.url, lambda body: {**body, "key": other}) as url:
        signed = make_client(base_url=url, signing_key=standin.fixtures["signingKey"])
        with pytest.raises(AnswerMismatchError) as caught:
            signed.validate_key(standin.fixtures["valid"], license_id=stored_license)
    assert caught.value.details["reason"] == "the answer names another license"


def test_status_refuses_a_replayed_answer_with_its_own_problem(standin, data_dir, fixtures):
    config = make_config(standin, signing_key=fixtures["signingKey"])
    with build_services(config, data_dir=data_dir) as services:
        services.activation.activate(fixtures["valid"], "PC")
    activate_upstream(standin, fixtures["valid-2"], OTHER_COMPUTER)

    def replay(body: dict) -> dict:  # another customer's good answer for another computer
        return {**body, "key": fixtures["valid-2"], "fingerprint": OTHER_COMPUTER}

    with swapping_proxy(standin.url, replay) as url:
        proxied = with_overrides(config, api_url=url)
        with build_services(proxied, data_dir=data_dir) as services:
            report = services.status.check()
    assert isinstance(report.problem, AnswerMismatchError)
    assert not report.licensed  # never falls back to the saved answer
    problem = problem_for(report.problem, product="Studio Pro")
    assert problem.support_code == "AW-NET-REPLAY"
    assert "another computer" in problem.title

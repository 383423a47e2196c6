"""A configuration still carrying the template's product name ("Your Product") never shows it
to users: the messages say "this product" (in the active language) instead."""

from __future__ import annotations

import pytest

from app.config import PLACEHOLDER_PRODUCT
from tests.cli.support import write_config

NOT_ACTIVATED_COMMANDS = [("status",), ("check",), ("devices",), ("deactivate",), ("heartbeat",)]


@pytest.mark.parametrize("command", NOT_ACTIVATED_COMMANDS, ids=lambda c: c[0])
def test_not_activated_never_names_the_placeholder(cli, relay, command):
    cli.use(product_name=PLACEHOLDER_PRODUCT, relay_url=relay.url)
    rc, payload = cli.json(*command)
    assert (rc, payload["code"]) == (8, "NOT_ACTIVATED")
    text = " ".join([payload["message"], *payload["steps"]])
    assert PLACEHOLDER_PRODUCT not in text
    assert "this product" in payload["message"]
    rc, _, err = cli.run(*command)
    assert rc == 8 and PLACEHOLDER_PRODUCT not in err and "this product" in err


def test_not_activated_in_german_uses_the_neutral_words(cli):
    cli.use(product_name=PLACEHOLDER_PRODUCT)
    rc, payload = cli.json("status", "--lang", "de")
    assert rc == 8 and PLACEHOLDER_PRODUCT not in payload["message"]
    # the neutral words fit the German sentence (not "von dieses Produkt")
    assert "für dieses Produkt keine Aktivierung" in payload["message"]


def test_a_real_product_name_is_still_shown(cli):
    rc, payload = cli.json("status")  # the tests' config names "Studio Pro"
    assert rc == 8 and "Studio Pro" in payload["message"]


def test_invalid_configuration_never_names_the_placeholder(cli, tmp_path):
    cli.config = write_config(tmp_path, "not a web address", product_name=PLACEHOLDER_PRODUCT)
    rc, payload = cli.json("status")
    assert payload["code"] == "CONFIG_INVALID", payload
    text = " ".join([payload["message"], *payload["steps"]])
    assert PLACEHOLDER_PRODUCT not in text and "this product" in text


def test_activated_with_the_placeholder_says_this_product(cli, fixtures):
    cli.use(product_name=PLACEHOLDER_PRODUCT)
    rc, payload = cli.json("activate", "--key", fixtures["valid"])
    assert rc == 0 and payload["message"] == "This product is activated on this computer."
    rc, out, _ = cli.run("status")
    assert rc == 0 and out.startswith("This product is activated on this computer.")
    assert PLACEHOLDER_PRODUCT not in out

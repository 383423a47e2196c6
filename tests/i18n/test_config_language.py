"""The vendor config's ``language`` (and ACTIVATION_WIZARD_LANGUAGE): checked like any setting."""

from __future__ import annotations

import pytest

from app.config import load_config
from app.domain.errors import ConfigError


@pytest.mark.parametrize("value", ["de", "de_AT", "zh_CN", "ar", "auto", "en_XA"])
def test_a_shipped_language_or_auto_is_accepted(value):
    assert load_config(overrides={"language": value}, environ={}).language == value


def test_an_unknown_language_names_the_setting():
    with pytest.raises(ConfigError) as caught:
        load_config(overrides={"language": "tlh"}, environ={})
    assert caught.value.field == "language" and "zh_CN" in caught.value.message


def test_the_environment_variable_sets_it():
    config = load_config(environ={"ACTIVATION_WIZARD_LANGUAGE": "ja"})
    assert config.language == "ja"

"""build.py's branding steps: the vendor config is validated first and bundled with its logo."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.config import load_config
from installer import build

LOGO = Path(__file__).resolve().parents[2] / "resources" / "icons" / "logo.png"


def _vendor(folder: Path, logo: str | None, accent: str = "#123456") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["[vendor]", 'product_name = "Acme Paint"', 'app_id = "com.acme.paint"',
             f'accent_color = "{accent}"']  # fmt: skip
    if logo:
        lines.append(f'logo = "{logo}"')
    path = folder / "vendor.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_invalid_config_stops_the_build_with_the_config_message(tmp_path, capsys):
    config = _vendor(tmp_path, None, accent="blue")
    assert build.main(["--config", str(config), "--work", str(tmp_path / "w")]) == 1
    err = capsys.readouterr().err
    assert "accent_color" in err and "invalid vendor config" in err
    assert not (tmp_path / "w" / "venv").exists(), "nothing is built after a bad config"


def test_valid_config_is_accepted(tmp_path):
    shutil.copy(LOGO, tmp_path / "acme.png")
    values = build.validate_config(_vendor(tmp_path, "acme.png"))
    assert values == {"product_name": "Acme Paint", "app_id": "com.acme.paint"}


def test_config_and_logo_beside_it_are_staged_as_the_default(tmp_path):
    (tmp_path / "brand").mkdir()
    shutil.copy(LOGO, tmp_path / "brand" / "acme.png")
    staged = build.stage_resources(_vendor(tmp_path, "brand/acme.png"), tmp_path / "staging")
    config = load_config(staged / "vendor.toml", environ={})
    assert config.product_name == "Acme Paint"
    assert config.logo_path == staged / "brand" / "acme.png"
    assert config.logo_path.read_bytes() == LOGO.read_bytes()
    assert (staged / "styles" / "wizard.qss").is_file(), "the shipped resources come along"


def test_logo_outside_the_config_folder_is_copied_into_the_bundle(tmp_path):
    shutil.copy(LOGO, tmp_path / "shared-logo.png")
    config = _vendor(tmp_path / "vendor", "../shared-logo.png")
    staged = build.stage_resources(config, tmp_path / "staging")
    loaded = load_config(staged / "vendor.toml", environ={})
    assert loaded.logo == "branding/shared-logo.png"
    assert loaded.logo_path.is_file()


def test_missing_logo_is_reported_before_anything_is_staged(tmp_path):
    with pytest.raises(build.BuildError, match="logo"):
        build.validate_config(_vendor(tmp_path, "nowhere.png"))


def test_without_a_config_the_shipped_resources_are_staged_unchanged(tmp_path):
    staged = build.stage_resources(None, tmp_path / "staging")
    shipped = LOGO.parents[1] / "vendor.toml"
    assert (staged / "vendor.toml").read_bytes() == shipped.read_bytes()

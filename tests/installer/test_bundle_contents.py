"""What the one-folder build must not contain: the servers, the test tools, API keys, or any
license key of the stand-in's fixtures (scanned in every file, zip and PYZ module)."""

from __future__ import annotations

import re

import pytest

from tests.installer.bundle_scan import bundle_blobs, module_names

pytestmark = [pytest.mark.frozen, pytest.mark.slow]

FORBIDDEN_MODULES = ("app.standin", "app.relay", "pytest", "_pytest", "hypothesis",
                     "starlette", "uvicorn", "licentric", "tests")  # fmt: skip
FORBIDDEN_FILES = re.compile(r"(?:^|[/\\])(?:app[/\\](?:standin|relay)|_?pytest|hypothesis|"
                             r"starlette|uvicorn)(?:[/\\]|-|\.py)")  # fmt: skip
API_KEY = re.compile(rb"lk_(?:live|test)_[0-9A-Za-z]{16,}")


def _forbidden(name: str) -> bool:
    return any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN_MODULES)


def test_pyz_holds_the_app_but_no_server_or_test_module(build_dir):
    names = module_names(build_dir / build_dir.name)
    assert "app.cli" in names and "app.selfcheck" in names, "the PYZ was not read"
    assert sorted(n for n in names if _forbidden(n)) == []


def test_no_file_of_the_servers_or_test_tools_on_disk(build_dir):
    files = [p.relative_to(build_dir).as_posix() for p in build_dir.rglob("*") if p.is_file()]
    assert len(files) > 10
    assert [f for f in files if FORBIDDEN_FILES.search(f)] == []


def test_no_api_key_or_fixture_license_key_anywhere(build_dir, standin):
    secrets = {v for v in standin.fixtures.values() if isinstance(v, str) and len(v) >= 16}
    needles = {s.encode() for s in secrets} | {s.replace("-", "").encode() for s in secrets}
    assert any(s.startswith("lk_test_") for s in secrets), "fixtures changed shape"
    found: list[str] = []
    scanned = 0
    for where, data in bundle_blobs(build_dir):
        scanned += 1
        if API_KEY.search(data):
            found.append(f"{where}: API key pattern")
        found += [f"{where}: a stand-in fixture key" for n in needles if n in data]
    assert scanned > 100, "the scan did not reach into the archives"
    assert found == []

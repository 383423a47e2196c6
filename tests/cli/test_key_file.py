"""Silent installs keep the key out of the process list: ``--key-file`` (and its mistakes)."""

from __future__ import annotations

from tests.cli.support import APP_ID
from tests.services.support import stored_key


def test_key_from_a_file_with_a_byte_order_mark_and_newline(cli, fixtures, tmp_path):
    path = tmp_path / "key.txt"
    path.write_text("\ufeff" + fixtures["valid"] + "\r\n", encoding="utf-8")

    rc, payload = cli.json("activate", "--key-file", str(path))

    assert rc == 0, payload
    assert stored_key(APP_ID) == fixtures["valid"]
    assert fixtures["valid"] not in str(payload)


def test_a_missing_key_file_is_bad_input(cli, tmp_path):
    rc, payload = cli.json("activate", "--key-file", str(tmp_path / "nope.txt"))
    assert rc == 2 and "cannot be read" in payload["message"]


def test_key_and_key_file_together_are_refused(cli, fixtures, tmp_path):
    path = tmp_path / "key.txt"
    path.write_text(fixtures["valid"])
    rc, payload = cli.json("activate", "--key", fixtures["valid"], "--key-file", str(path))
    assert rc == 2 and "not both" in payload["message"]
    assert stored_key(APP_ID) is None

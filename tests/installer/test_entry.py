"""The frozen entry script, run from source: --self-check first, everything else to app.cli."""

from __future__ import annotations

import json

from installer import entry


def test_self_check_is_answered_by_the_entry_script(capsys):
    assert entry.main(["--self-check"]) == 0
    assert json.loads(capsys.readouterr().out)["ok"] is True


def test_other_arguments_go_to_the_cli(capsys):
    assert entry.main(["--json", "status"]) == 8  # 8: not activated (fresh data dir)
    assert json.loads(capsys.readouterr().out)["code"] == "NOT_ACTIVATED"

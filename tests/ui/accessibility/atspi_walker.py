"""A screen reader's view of the wizard: drives it and reads it through AT-SPI only.

Runs under the SYSTEM Python 3 (Debian's ``python3-pyatspi``), as an assistive technology
is a separate process: ``python3 atspi_walker.py SPEC.json REPORT.json``. For each run of the
spec it starts the wizard, finds it on the accessibility bus by its process id, types keys
through EditableText and presses buttons through their Action, and on every page, problem and
dialog records what a screen reader would meet (names, headings, facts, announcements) and
every finding against the rules in ``check_screen``. The pytest side asserts on the report.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from typing import Any

import pyatspi
from gi.repository import GLib

WAIT_S = 25.0
WINDOW_ROLES = {"dialog", "frame", "alert", "window", "file chooser"}
IMAGE_ROLES = {"image", "icon", "animation"}
PLACEHOLDER = re.compile(r"\{[a-z_]+\}|%\(|%s\b|@[a-z_]+@|&&")


class WalkError(Exception):
    """A step could not be taken (something a screen-reader user could not find or do)."""


# --- reading the tree --------------------------------------------------------------------


def states(node: Any) -> set[str]:
    found = node.getState()
    names = {
        "focusable": pyatspi.STATE_FOCUSABLE,
        "showing": pyatspi.STATE_SHOWING,
        "sensitive": pyatspi.STATE_SENSITIVE,
        "focused": pyatspi.STATE_FOCUSED,
        "active": pyatspi.STATE_ACTIVE,
    }
    return {name for name, state in names.items() if found.contains(state)}


def text_of(node: Any) -> str:
    try:
        return node.queryText().getText(0, -1)
    except NotImplementedError:
        return ""


def relation_targets(node: Any, kind: Any) -> list[Any]:
    targets = []
    for relation in node.getRelationSet():
        if relation.getRelationType() == kind:
            targets += [relation.getTarget(i) for i in range(relation.getNTargets())]
    return targets


def showing_nodes(root: Any) -> list[Any]:
    """``root`` and its descendants that are on screen, in reading order."""
    found = [root]
    for index in range(root.childCount):
        child = root.getChildAtIndex(index)
        if child is not None and "showing" in states(child):
            found += showing_nodes(child)
    return found


def clean(name: str) -> str:
    return name.replace("&", "").replace(">", "").replace("<", "").strip().lower()


# --- the rules ----------------------------------------------------------------------------


def check_screen(screen: str, window: Any, placeholders: list[str]) -> dict[str, Any]:
    """Read one window as it is now; every broken rule becomes a finding."""
    findings: list[str] = []
    headings: list[str] = []
    facts: dict[str, str] = {}
    labels: list[str] = []
    title = window.name or ""
    for bad in [*placeholders]:
        if bad and bad in title:
            findings.append(f"{screen}: window title {title!r} shows the placeholder {bad!r}")
    for node in showing_nodes(window):
        role, name, node_states = node.getRoleName(), (node.name or "").strip(), states(node)
        if PLACEHOLDER.search(name):
            findings.append(f"{screen}: {role} {name!r} shows a template placeholder")
        if "focusable" in node_states and not name and not _labelled(node):
            findings.append(f"{screen}: a focusable {role} has no name")
        if role in IMAGE_ROLES and not name:
            findings.append(f"{screen}: an image has no name")
        if role == "heading":
            headings.append(name)
        if role == "label":
            labels.append(name)
            if name.endswith(":"):
                _check_fact(screen, node, name, facts, findings)
    return {
        "screen": screen,
        "window": title,
        "headings": headings,
        "facts": facts,
        "labels": labels,
        "findings": findings,
    }


def _labelled(node: Any) -> bool:
    return any((t.name or "").strip() for t in relation_targets(node, pyatspi.RELATION_LABELLED_BY))


def _check_fact(
    screen: str, label: Any, name: str, facts: dict[str, str], findings: list[str]
) -> None:
    """A "Field:" label must lead the reader to its value (label-for relation)."""
    targets = relation_targets(label, pyatspi.RELATION_LABEL_FOR)
    if not targets:
        findings.append(f"{screen}: the label {name!r} is not tied to a value (no label-for)")
        return
    target = targets[0]
    value = (target.name or "").strip() or text_of(target).strip()
    field = name.rstrip(":").strip()
    if target.getRoleName() in ("label", "heading"):
        if not value or value == field:
            findings.append(f"{screen}: the value of {field!r} is not readable (got {value!r})")
        facts[field] = value


# --- driving the wizard -------------------------------------------------------------------


class Walker:
    """One AT-SPI client for all runs; the wizard is started per run."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.announcements: list[str] = []
        pyatspi.Registry.registerEventListener(self._on_event, "object:announcement")
        self.app: Any = None

    def _on_event(self, event: Any) -> None:
        data = event.any_data
        self.announcements.append(data if isinstance(data, str) else str(data))

    def pump(self, seconds: float) -> None:
        context = GLib.MainContext.default()
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            while context.pending():
                context.iteration(False)
            time.sleep(0.02)

    def wait(self, what: str, predicate: Callable[[], Any], timeout: float = WAIT_S) -> Any:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                found = predicate()
            except Exception:  # noqa: BLE001 - the tree changes under us; ask again
                found = None
            if found:
                return found
            self.pump(0.1)
        raise WalkError(f"timed out waiting for {what}")

    def find_app(self, pid: int) -> Any:
        def app() -> Any:
            desktop = pyatspi.Registry.getDesktop(0)
            # Newest first: an earlier run's wizard that is still leaving the bus would
            # make every question to it wait for D-Bus's timeout.
            for index in reversed(range(desktop.childCount)):
                candidate = desktop.getChildAtIndex(index)
                if candidate is not None and candidate.get_process_id() == pid:
                    return candidate if candidate.childCount else None
            return None

        return self.wait("the wizard on the accessibility bus", app, timeout=2 * WAIT_S)

    def windows(self) -> list[Any]:
        found = []
        for index in range(self.app.childCount):
            child = self.app.getChildAtIndex(index)
            if child is None or child.getRoleName() not in WINDOW_ROLES:
                continue
            if "showing" in states(child):
                found.append(child)
        return found

    def window(self, title_part: str) -> Any:
        def match() -> Any:
            for window in self.windows():
                if (window.name or "").lower().startswith(title_part.lower()):
                    return window
            return None

        return self.wait(f"a window titled {title_part!r}", match)

    def find(self, root: Any, role: str, name: str | None = None) -> Any:
        for node in showing_nodes(root):
            if node.getRoleName() == role and (name is None or clean(node.name) == clean(name)):
                return node
        return None

    def wait_for(self, root: Any, role: str, name: str | None = None, enabled: bool = False) -> Any:
        def ready() -> Any:
            node = self.find(root, role, name)
            if node is not None and (not enabled or "sensitive" in states(node)):
                return node
            return None

        return self.wait(f"{role} {name!r}", ready)

    def press(self, root: Any, name: str) -> None:
        button = self.wait_for(root, "push button", name, enabled=True)
        action = button.queryAction()
        names = [action.getName(i) for i in range(action.nActions)]
        action.doAction(names.index("Press") if "Press" in names else 0)

    def type_into(self, root: Any, field: str, text: str) -> None:
        edit = self.wait_for(root, "text", field)
        edit.queryEditableText().setTextContents(text)


# --- one run ------------------------------------------------------------------------------


class Run:
    """Start the wizard for one run of the spec, take its steps, read every screen."""

    def __init__(self, walker: Walker, run: dict[str, Any]) -> None:
        self.walker = walker
        self.run = run
        self.screens: list[dict[str, Any]] = []
        self.device_name = ""

    def read(self, screen: str, window: Any) -> None:
        self.walker.pump(0.5)  # late relayouts (wrapping labels) settle first
        placeholders = self.walker.spec.get("placeholders", [])
        self.screens.append(check_screen(screen, window, placeholders))

    def execute(self) -> dict[str, Any]:
        spec = self.walker.spec
        _faults(spec["standin"], self.run.get("faults", []))
        env = {**os.environ, **spec["env"], "ACTIVATION_WIZARD_DATA_DIR": self.run["data_dir"]}
        log_path = self.run["data_dir"].rstrip("/") + f"-{os.getpid()}.log"
        with open(log_path, "wb") as log:  # the wizard's own output, for a failing run
            process = subprocess.Popen(spec["command"], env=env, stdout=log, stderr=log)
        error = ""
        first = len(self.walker.announcements)
        try:
            self.walker.app = self.walker.find_app(process.pid)
            getattr(self, "steps_" + self.run["kind"])()
        except (WalkError, Exception) as exc:  # noqa: BLE001 - reported, the test fails on it
            error = f"{type(exc).__name__}: {exc}"
        finally:
            self.walker.pump(0.3)
            code = _end(process)
            _faults(spec["standin"], None)
        if error:
            with open(log_path, encoding="utf-8", errors="replace") as log:
                error += "\nthe wizard said:\n" + log.read()[-1500:]
        return {
            "name": self.run["name"],
            "screens": self.screens,
            "announcements": self.walker.announcements[first:],
            "device_name": self.device_name,
            "error": error,
            "exit_code": code,
        }

    # --- the kinds of run ---------------------------------------------------------------

    def activate_until_result(self) -> Any:
        wizard = self.walker.window(self.walker.spec["title"])
        self.walker.wait_for(wizard, "text", "License key")
        self.read("key page", wizard)
        self.walker.type_into(wizard, "License key", self.run["key"])
        self.walker.press(wizard, "Next")
        field = self.walker.wait_for(wizard, "text", "Computer name")
        self.walker.wait(
            "the device name",
            lambda: text_of(field).strip() and self.walker.find(wizard, "push button", "Activate"),
        )
        self.device_name = text_of(field).strip()
        self.read("device page", wizard)
        self.walker.press(wizard, "Activate")
        self.walker.wait("the result", lambda: any(h for h in self.headings(wizard) if h))
        return wizard

    def headings(self, window: Any) -> list[str]:
        return [(n.name or "") for n in showing_nodes(window) if n.getRoleName() == "heading"]

    def steps_activate(self) -> None:
        wizard = self.activate_until_result()
        self.walker.wait_for(wizard, "push button", "Finish", enabled=True)
        self.read("result: activated", wizard)
        self.walker.press(wizard, "Finish")

    def steps_problem(self) -> None:
        wizard = self.activate_until_result()
        self.read(f"result: {self.run['name']}", wizard)
        for dialog_button in self.run.get("dialogs", []):
            self.walker.press(wizard, dialog_button)
            dialog = self.walker.window(self.run["dialog_title"])
            self.walker.wait("the dialog's content", lambda: self.walker.find(dialog, "table"))
            self.read(f"dialog from {self.run['name']}: {dialog.name}", dialog)
            self.walker.press(dialog, "Close")
        self.close(wizard)

    def steps_reopen(self) -> None:
        wizard = self.walker.window(self.walker.spec["title"])
        self.walker.wait_for(wizard, "push button", "Check now", enabled=True)
        self.read("status page", wizard)
        self.walker.press(wizard, "Manage computers")
        dialog = self.walker.window("Manage computers")
        self.walker.wait("the device list", lambda: self.walker.find(dialog, "table"))
        self.walker.pump(1.0)
        self.read("devices dialog", dialog)
        self.walker.press(dialog, "Close")
        self.walker.wait_for(wizard, "push button", "Move to another computer", enabled=True)
        self.walker.press(wizard, "Move to another computer")
        box = self.walker.wait(
            "the confirmation", lambda: self.find_window_with(wizard, "push button", "Cancel")
        )
        self.read("move confirmation", box)
        self.walker.press(box, "Cancel")
        self.close(wizard)

    def find_window_with(self, main: Any, role: str, name: str) -> Any:
        for window in self.walker.windows():
            if window != main and self.walker.find(window, role, name) is not None:
                return window
        return None

    def close(self, wizard: Any) -> None:
        for name in ("Close", "Finish", "Cancel"):
            if self.walker.find(wizard, "push button", name) is not None:
                self.walker.press(wizard, name)
                return
        raise WalkError("no Close, Finish or Cancel button to leave the wizard")


def _faults(standin: str, faults: list[dict[str, Any]] | None) -> None:
    """Switch the stand-in's faults on (a list) or clear them all (None)."""
    if faults is None:
        urllib.request.urlopen(
            urllib.request.Request(f"{standin}/_standin/faults", method="DELETE")
        )
        return
    for fault in faults:
        body = json.dumps(fault).encode()
        request = urllib.request.Request(
            f"{standin}/_standin/faults", data=body, headers={"Content-Type": "application/json"}
        )
        urllib.request.urlopen(request)


def _end(process: subprocess.Popen) -> int:
    try:
        return process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        return -1


def main(spec_path: str, report_path: str) -> int:
    with open(spec_path, encoding="utf-8") as fh:
        spec = json.load(fh)
    walker = Walker(spec)
    runs = [Run(walker, run).execute() for run in spec["runs"]]
    with open(report_path, "w", encoding="utf-8") as fh:
        json.dump({"runs": runs}, fh, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))

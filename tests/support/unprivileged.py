"""A real unprivileged account for tests of machine-wide state: created with ``useradd``,
commands run as it with ``runuser``, removed at the end. Needs root (CI runs as root).

The account must be able to run this very interpreter and read the repository: any folder on
the way that others cannot enter (``/root`` with a pyenv Python, a 0700 clone folder) gets the
search bit (o+x, not o+r) for the session and its old mode back afterwards.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.system import missing, require_binary

REPO_ROOT = Path(__file__).resolve().parents[2]
_LOCK_FILE = Path(tempfile.gettempdir()) / "activation-wizard-unprivileged-tests.lock"


@dataclass
class UnprivilegedUser:
    """An account without privileges; ``run`` executes as it."""

    name: str
    uid: int
    home: Path
    _opened: dict[Path, int] = field(default_factory=dict)

    def run(
        self, args: list[str], env: Mapping[str, str], *, stdin: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        base = {"PATH": "/usr/bin:/bin", "HOME": str(self.home), "LANG": "C.UTF-8"}
        command = ["runuser", "-u", self.name, "--", "env", "-i"]
        command += [f"{k}={v}" for k, v in {**base, **env}.items()]
        return subprocess.run(
            command + args,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            cwd=self.home,
        )

    def python(
        self, *args: str, env: Mapping[str, str], stdin: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        """This interpreter (the venv's) as the test user, with the repository importable."""
        extra = {"PYTHONPATH": str(REPO_ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
        return self.run([sys.executable, *args], {**extra, **env}, stdin=stdin)

    def owned_dir(self, path: Path) -> Path:
        """``path`` created and owned by the test user (its own data folder, say)."""
        path.mkdir(parents=True, exist_ok=True)
        os.chown(path, self.uid, -1)
        path.chmod(0o700)
        return path


def create_test_user() -> Iterator[UnprivilegedUser]:
    """Yield a fresh account with a home in /tmp (both removed afterwards). Skips, or fails
    under REQUIRE_SYSTEM_TESTS=1, when this is impossible."""
    if os.name != "posix" or os.geteuid() != 0:
        missing("creating a test user needs root (CI runs as root)")
    require_binary("useradd", "passwd")
    require_binary("runuser", "util-linux")
    with _one_run_at_a_time():
        yield from _make_user()


@contextlib.contextmanager
def _one_run_at_a_time() -> Iterator[None]:
    """Test runs on one machine take turns: each opens folders and closes them again, and
    one run closing /root while another's user still needs it would break the other."""
    import fcntl

    with open(_LOCK_FILE, "a+") as lock:
        deadline = time.monotonic() + 300
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    missing("another test run kept the unprivileged-user lock for 5 minutes")
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _make_user() -> Iterator[UnprivilegedUser]:
    name = f"awtest{secrets.token_hex(3)}"
    add = ["useradd", "--system", "--user-group", "--no-create-home", "--shell", "/bin/sh"]
    done = subprocess.run([*add, name], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        missing(f"useradd failed: {done.stderr.strip()}")
    scratch = Path(tempfile.mkdtemp(prefix="aw-users-"))
    scratch.chmod(0o755)
    user = UnprivilegedUser(name, _uid(name), scratch / name)
    try:
        user.owned_dir(user.home)
        _open_path_for_others(user, _interpreter_paths())
        _check_can_run(user)
        yield user
    finally:
        for path, mode in user._opened.items():
            path.chmod(mode)
        subprocess.run(["userdel", name], capture_output=True, check=False)
        shutil.rmtree(scratch, ignore_errors=True)


def _uid(name: str) -> int:
    import pwd

    return pwd.getpwnam(name).pw_uid


def _interpreter_paths() -> list[Path]:
    return [
        Path(os.path.realpath(sys.executable)),
        Path(sys.prefix),
        Path(sys.base_prefix),
        REPO_ROOT,
        Path(shutil.which("runuser") or "/usr/sbin/runuser"),
    ]


def _open_path_for_others(user: UnprivilegedUser, targets: list[Path]) -> None:
    """Give every folder above ``targets`` the search bit for others (recorded for undo)."""
    for target in targets:
        for folder in [*reversed(target.parents), target]:
            if not folder.is_dir() or folder in user._opened:
                continue
            mode = stat.S_IMODE(folder.stat().st_mode)
            if not mode & stat.S_IXOTH:
                user._opened[folder] = mode
                folder.chmod(mode | stat.S_IXOTH)


def _check_can_run(user: UnprivilegedUser) -> None:
    done = user.python("-c", "import app.cli, httpx, keyring", env={})
    if done.returncode != 0:
        missing(
            "the test user cannot run this Python and import the app (files not readable by "
            f"others?): {done.stderr.strip()[-300:]}"
        )

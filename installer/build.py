"""The one build command: a clean runtime-only venv, PyInstaller, and the built program's check.

    python installer/build.py [--config vendor.toml] [--onefile|--onedir|--both] [--out dist/]

1. Validates the vendor config with app.config.load_config (fails with its message).
2. Stages resources/ with that config as resources/vendor.toml, plus the logo it references.
3. Creates (or reuses, while pyproject.toml and Python are unchanged) build/venv with only the
   runtime dependencies (``pip install .``, no extras) and PyInstaller, and builds from it.
   Compiles the translations (resources/i18n/*.po -> *.mo, installer/i18n.py) into the staged
   resources with the build venv's Babel; the bundle carries the compiled catalogs only.
4. Runs ``--self-check`` on every built executable and fails when it fails.

Outputs: <out>/activation-wizard/ (one folder), <out>/onefile/activation-wizard (one file).
Stdlib only, so any Python 3.11 can run it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "installer" / "activation-wizard.spec"
NAME = "activation-wizard"
PYINSTALLER = "pyinstaller>=6.6"
EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""


class BuildError(Exception):
    """A build step failed; the message says which and why."""


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    started = time.monotonic()
    try:
        config = validate_config(args.config)
        resources = stage_resources(args.config, args.work / "staging")
        python = ensure_venv(args.venv, rebuild=args.fresh_venv)
        install_app(python)
        compile_catalogs(python, resources)
        built = [build(python, mode, args.out, args.work, resources, config) for mode in args.modes]
        for exe in built:
            self_check(exe)
    except BuildError as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return 1
    for exe in built:
        print(f"built {exe} ({_size_mb(bundle_root(exe)):.1f} MB)")
    print(f"done in {time.monotonic() - started:.0f} s")
    return 0


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", type=Path, help="vendor TOML to bundle as the default config")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--onefile", dest="modes", action="store_const", const=["onefile"])
    mode.add_argument("--onedir", dest="modes", action="store_const", const=["onedir"])
    mode.add_argument("--both", dest="modes", action="store_const", const=["onedir", "onefile"])
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="output folder")
    parser.add_argument("--work", type=Path, default=ROOT / "build", help="work folder")
    parser.add_argument("--venv", type=Path, default=None, help="build venv (default work/venv)")
    parser.add_argument("--fresh-venv", action="store_true", help="recreate the build venv")
    args = parser.parse_args(argv)
    args.modes = args.modes or ["onedir", "onefile"]
    args.out, args.work = args.out.resolve(), args.work.resolve()
    args.venv = (args.venv or args.work / "venv").resolve()
    return args


# --- 1. vendor config ------------------------------------------------------------------


def validate_config(path: Path | None) -> dict[str, str]:
    """Check the config exactly as the program will; returns the values the bundle needs."""
    sys.path.insert(0, str(ROOT))
    from app.config import DEFAULT_CONFIG_PATH, load_config
    from app.domain.errors import ConfigError

    try:
        # environ={}: the builder's own ACTIVATION_WIZARD_* variables must not leak in.
        config = load_config(path or DEFAULT_CONFIG_PATH, environ={})
    except ConfigError as exc:
        raise BuildError(f"invalid vendor config: {exc.message}") from exc
    print(f"vendor config: {config.source} ({config.product_name}, app id {config.app_id})")
    return {"product_name": config.product_name, "app_id": config.app_id}


# --- 2. resources ----------------------------------------------------------------------


def stage_resources(config: Path | None, staging: Path) -> Path:
    """resources/ with the vendor's config as vendor.toml and its logo beside it."""
    target = staging / "resources"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(ROOT / "resources", target, ignore=shutil.ignore_patterns("__pycache__"))
    if config is None:
        return target
    text = config.read_text(encoding="utf-8")
    logo = _logo_setting(text)
    if logo:
        source = (config.parent / logo).resolve()
        inside = not Path(logo).is_absolute() and ".." not in Path(logo).parts
        relative = Path(logo) if inside else Path("branding") / source.name
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target / relative)
        text = _set_logo(text, relative.as_posix())
    (target / "vendor.toml").write_text(text, encoding="utf-8")
    _recheck(target / "vendor.toml")
    return target


_LOGO_LINE = re.compile(r"""^(\s*logo\s*=\s*)(["'])(.*?)\2""", re.MULTILINE)


def _logo_setting(text: str) -> str | None:
    import tomllib

    data = tomllib.loads(text)
    value = dict(data.get("vendor", data)).get("logo")
    return value or None


def _set_logo(text: str, relative: str) -> str:
    """Point ``logo`` at the staged copy (the original may be outside the config's folder)."""
    replaced, count = _LOGO_LINE.subn(lambda m: f'{m.group(1)}"{relative}"', text, count=1)
    if count != 1:
        raise BuildError("cannot rewrite the 'logo' setting: write it as logo = \"path\"")
    return replaced


def _recheck(staged: Path) -> None:
    from app.config import load_config
    from app.domain.errors import ConfigError

    try:
        load_config(staged, environ={})
    except ConfigError as exc:
        raise BuildError(f"staged config is invalid: {exc.message}") from exc


# --- 3. the build venv -----------------------------------------------------------------


def ensure_venv(path: Path, *, rebuild: bool = False) -> Path:
    """A venv with the runtime dependencies and PyInstaller, reused while its stamp matches."""
    python = path / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    stamp_file = path / ".build-stamp"
    stamp = _venv_stamp()
    if not rebuild and python.is_file() and _read(stamp_file) == stamp:
        print(f"build venv: reusing {path}")
        return python
    print(f"build venv: creating {path}")
    shutil.rmtree(path, ignore_errors=True)
    venv.EnvBuilder(with_pip=True, clear=True).create(path)
    _run([str(python), "-m", "pip", "install", "-q", "--upgrade", "pip"])
    _run([str(python), "-m", "pip", "install", "-q", str(ROOT), PYINSTALLER])
    stamp_file.write_text(stamp, encoding="utf-8")
    return python


def install_app(python: Path) -> None:
    """Reinstall the app itself (no dependencies) so its metadata and code match the tree."""
    _run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", str(ROOT)])


def compile_catalogs(python: Path, resources: Path) -> None:
    """The staged resources/i18n holds the compiled ``.mo`` catalogs instead of the sources."""
    i18n = resources / "i18n"
    _run([str(python), str(ROOT / "installer" / "i18n.py"), "compile", "--out", str(i18n)])
    for source in [*i18n.glob("*.po"), *i18n.glob("*.pot")]:
        source.unlink()


def _venv_stamp() -> str:
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes())
    digest.update(f"{sys.version}|{sys.platform}|{PYINSTALLER}".encode())
    return digest.hexdigest()


# --- 4. PyInstaller and the check ------------------------------------------------------


def build(
    python: Path, mode: str, out: Path, work: Path, resources: Path, config: dict[str, str]
) -> Path:
    dist = out if mode == "onedir" else out / "onefile"
    print(f"pyinstaller: {mode} -> {dist}")
    # The spec's options follow "--"; PyInstaller hands them to the spec as sys.argv.
    _run(
        [
            str(python), "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
            "--distpath", str(dist), "--workpath", str(work / f"pyinstaller-{mode}"), str(SPEC),
            "--", "--mode", mode, "--resources", str(resources),
            "--bundle-name", config["product_name"], "--bundle-id", config["app_id"],
        ],
        cwd=ROOT,
    )  # fmt: skip
    exe = dist / NAME / f"{NAME}{EXE_SUFFIX}" if mode == "onedir" else dist / f"{NAME}{EXE_SUFFIX}"
    if not exe.is_file():
        raise BuildError(f"PyInstaller finished but {exe} does not exist")
    return exe


def self_check(exe: Path) -> dict:
    """Run ``exe --self-check``; raise BuildError unless it passes."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ACTIVATION_WIZARD_")}
    try:
        done = subprocess.run(
            [str(exe), "--self-check"], capture_output=True, text=True, env=env, timeout=180
        )
    except subprocess.TimeoutExpired as exc:
        raise BuildError(f"{exe} --self-check did not finish in 180 s") from exc
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError as exc:
        detail = (done.stderr or done.stdout).strip()[-2000:]
        message = f"{exe} --self-check printed no JSON (exit {done.returncode}):\n{detail}"
        raise BuildError(message) from exc
    summary = {k: report.get(k) for k in ("ok", "version", "frozen", "failures", "warnings")}
    print(f"self-check {exe.name}: {json.dumps(summary)}")
    if done.returncode != 0 or not report.get("ok"):
        raise BuildError(f"{exe} --self-check failed:\n{json.dumps(report, indent=2)}")
    return report


def bundle_root(exe: Path) -> Path:
    """The folder of a one-folder build, or the one file itself."""
    return exe.parent if (exe.parent / "_internal").is_dir() else exe


def _size_mb(path: Path) -> float:
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files if not p.is_symlink()) / 1_000_000


def _run(command: list[str], cwd: Path | None = None) -> None:
    done = subprocess.run(command, cwd=cwd, check=False)
    if done.returncode != 0:
        raise BuildError(f"{' '.join(command[:4])} ... exited {done.returncode}")


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


if __name__ == "__main__":
    sys.exit(main())

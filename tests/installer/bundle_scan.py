"""Read a PyInstaller build as data: every file on disk, the archives appended to executables
(PKG/CArchive) and the Python modules inside their PYZ, each with its decompressed bytes."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

from PyInstaller.archive.readers import CArchiveReader, NotAnArchiveError
from PyInstaller.loader.pyimod01_archive import ArchiveReadError

PYZ_TYPECODE = "z"


def bundle_blobs(root: Path) -> Iterator[tuple[str, bytes]]:
    """(where, bytes) for every file, every zip member, every PKG entry and every PYZ module."""
    files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
    for path in files:
        data = path.read_bytes()
        yield str(path), data
        if path.suffix == ".zip":
            yield from _zip_members(path)
        yield from _archive_entries(path)


def module_names(root: Path) -> set[str]:
    """Names of the Python modules frozen into the PYZ archive(s) of the build."""
    names: set[str] = set()
    for pkg, _name, pyz in _pyz_archives(root):
        names.update(pyz.toc)
    return names


def _zip_members(path: Path) -> Iterator[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            yield f"{path}!{member}", archive.read(member)


def _archive_entries(path: Path) -> Iterator[tuple[str, bytes]]:
    pkg = _open_pkg(path)
    if pkg is None:
        return
    for name, entry in pkg.toc.items():
        if entry[-1] == PYZ_TYPECODE:
            pyz = pkg.open_embedded_archive(name)
            for module in pyz.toc:
                yield f"{path}!{name}!{module}", pyz.extract(module, raw=True) or b""
        else:
            yield f"{path}!{name}", pkg.extract(name)


def _pyz_archives(root: Path):
    files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
    for path in files:
        pkg = _open_pkg(path)
        if pkg is None:
            continue
        for name, entry in pkg.toc.items():
            if entry[-1] == PYZ_TYPECODE:
                yield pkg, name, pkg.open_embedded_archive(name)


def _open_pkg(path: Path) -> CArchiveReader | None:
    """The PKG appended to an executable (or a .pkg file); None for any other file."""
    if path.suffix not in ("", ".exe", ".pkg") or path.stat().st_size < 4096:
        return None
    try:
        return CArchiveReader(str(path))
    except (ArchiveReadError, NotAnArchiveError, ValueError, OSError):
        return None

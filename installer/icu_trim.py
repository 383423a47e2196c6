"""A smaller ICU data library for the Linux bundle: English and root data only, no codepages.

PySide6's QtCore links ICU, whose data library (libicudata.so.NN, 32 MB) is a quarter of the
bundle and, in the one-file build, a quarter of what is unpacked on every start. Qt formats
numbers and dates from its own CLDR tables; the wizard touches no ICU data at all (measured:
the pages of libicudata that the wizard and the UI tests map are the ELF header and the
package's table of contents only). The trimmed library keeps every item that is not tied to
one language (normalization, properties, time zones, root collation...) plus the ``en``
and ``root`` locale data, and drops other languages, legacy codepage tables (``*.cnv``),
dictionary word breaking (``*.dict``) and transliteration. A lookup of a dropped item fails
like any missing locale in ICU: it falls back to root.

The library is an ICU "common data" package (header, sorted table of contents, items) exported
as one symbol, ``icudtNN_dat``; ``trim_library`` rewrites the package and links it with ``cc``.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
from collections.abc import Callable
from pathlib import Path

_LOCALE_ITEM = re.compile(r"^([a-z]{2,3})(?:_[A-Za-z0-9_]*)?\.res$")
_NOT_LOCALES = frozenset({"root.res", "pool.res", "res_index.res"})
_DROPPED_TREES = frozenset({"translit"})
_DROPPED_SUFFIXES = (".cnv", ".dict")
KEPT_LANGUAGES = frozenset({"en"})
_ALIGN = 16


class IcuTrimError(Exception):
    """The library is not an ICU data library this module understands."""


def keep_item(name: str) -> bool:
    """``icudt73l/coll/de.res`` -> False; ``icudt73l/coll/root.res``, ``.../nfkc.nrm`` -> True."""
    parts = name.split("/")[1:]  # drop the "icudt73l" package prefix
    if parts and parts[0] in _DROPPED_TREES:
        return False
    base = parts[-1] if parts else name
    if base.endswith(_DROPPED_SUFFIXES):
        return False
    match = _LOCALE_ITEM.match(base)
    if not match or base in _NOT_LOCALES:
        return True
    return match.group(1) in KEPT_LANGUAGES


def read_package(data: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """Split a common data package into its header and ``(name, item bytes)`` in TOC order."""
    if len(data) < 32 or data[2:4] != b"\xda\x27" or data[12:16] != b"CmnD":
        raise IcuTrimError("not an ICU common data package")
    header_size = struct.unpack_from("<H", data, 0)[0]
    count = struct.unpack_from("<I", data, header_size)[0]
    entries = [struct.unpack_from("<II", data, header_size + 4 + 8 * i) for i in range(count)]
    starts = [header_size + offset for _, offset in entries] + [len(data)]
    items = []
    for i, (name_offset, _) in enumerate(entries):
        at = header_size + name_offset
        name = data[at : data.index(b"\0", at)].decode("ascii")
        items.append((name, data[starts[i] : starts[i + 1]]))
    return data[:header_size], items


def write_package(header: bytes, items: list[tuple[str, bytes]]) -> bytes:
    """A common data package with ``items`` (names sorted, as ICU binary-searches them)."""
    names = b"".join(name.encode("ascii") + b"\0" for name, _ in items)
    toc_size = 4 + 8 * len(items)
    first_item = _aligned(len(header) + toc_size + len(names)) - len(header)
    toc, name_at, item_at = [struct.pack("<I", len(items))], toc_size, first_item
    for name, blob in items:
        toc.append(struct.pack("<II", name_at, item_at))
        name_at += len(name) + 1
        item_at += _aligned(len(blob))
    out = bytearray(header + b"".join(toc) + names)
    for _, blob in items:
        out += b"\0" * (_aligned(len(out)) - len(out)) + blob
    return bytes(out)


def trim_package(data: bytes, keep: Callable[[str], bool] = keep_item) -> bytes:
    header, items = read_package(data)
    return write_package(header, [(name, blob) for name, blob in items if keep(name)])


def exported_data(library: bytes) -> tuple[str, bytes]:
    """The ``icudtNN_dat`` symbol's name and bytes from an ELF64 little-endian library."""
    if library[:4] != b"\x7fELF" or library[4] != 2 or library[5] != 1:
        raise IcuTrimError("not a 64-bit little-endian ELF library")
    sections = _sections(library)
    for sh_type, _, _, offset, size, link, entsize in sections:
        if sh_type != 11:  # SHT_DYNSYM
            continue
        strtab = sections[link]
        for at in range(offset + entsize, offset + size, entsize):
            st_name, _, _, shndx, value, length = struct.unpack_from("<IBBHQQ", library, at)
            name = library[strtab[3] + st_name : library.index(b"\0", strtab[3] + st_name)]
            if re.fullmatch(rb"icudt\d+_dat", name):
                _, _, addr, sec_offset, *_ = sections[shndx]
                start = value - addr + sec_offset
                return name.decode(), library[start : start + length]
    raise IcuTrimError("no icudtNN_dat symbol")


def trim_library(source: Path, target: Path, cc: str | None = None) -> tuple[int, int]:
    """Write the trimmed copy of ``source`` (same soname) to ``target``; returns both sizes."""
    compiler = cc or shutil.which("cc") or shutil.which("gcc")
    if not compiler:
        raise IcuTrimError("no C compiler (cc) to link the trimmed ICU data library")
    symbol, data = exported_data(source.read_bytes())
    target.parent.mkdir(parents=True, exist_ok=True)
    package = target.with_suffix(".dat")
    package.write_bytes(trim_package(data))
    assembly = target.with_suffix(".s")
    assembly.write_text(_ASSEMBLY.format(symbol=symbol, path=package.resolve()), encoding="ascii")
    command = [compiler, "-shared", "-nostdlib", f"-Wl,-soname,{source.name}", "-Wl,-s"]
    done = subprocess.run(
        [*command, "-o", str(target), str(assembly)], capture_output=True, text=True
    )
    if done.returncode != 0:
        raise IcuTrimError(f"linking the ICU data library failed: {done.stderr.strip()}")
    return source.stat().st_size, target.stat().st_size


_ASSEMBLY = """\
    .section .rodata
    .globl {symbol}
    .type {symbol}, @object
    .balign 16
{symbol}:
    .incbin "{path}"
    .size {symbol}, . - {symbol}
    .section .note.GNU-stack,"",@progbits
"""


def _sections(library: bytes) -> list[tuple[int, int, int, int, int, int, int]]:
    """(type, flags, addr, offset, size, link, entsize) of every ELF section header."""
    shoff = struct.unpack_from("<Q", library, 0x28)[0]
    shentsize, shnum = struct.unpack_from("<HH", library, 0x3A)
    result = []
    for i in range(shnum):
        fields = struct.unpack_from("<IIQQQQIIQQ", library, shoff + i * shentsize)
        _, sh_type, flags, addr, offset, size, link, _, _, entsize = fields
        result.append((sh_type, flags, addr, offset, size, link, entsize))
    return result


def _aligned(n: int) -> int:
    return (n + _ALIGN - 1) // _ALIGN * _ALIGN


def trim_in_toc(
    binaries: list[tuple[str, str, str]], workdir: Path
) -> tuple[list[tuple[str, str, str]], str]:
    """Point every ``libicudata.so.NN`` entry at a trimmed copy built under ``workdir``.

    Returns the entries and a line for the build log; on any IcuTrimError the original
    library is kept (a bigger bundle, never a broken one)."""
    result, notes = [], []
    for dest, src, typecode in binaries:
        name = Path(dest).name
        if typecode != "BINARY" or not re.fullmatch(r"libicudata\.so\.\d+", name):
            result.append((dest, src, typecode))
            continue
        try:
            before, after = trim_library(Path(src), workdir / "icu" / name)
        except (IcuTrimError, OSError) as exc:
            notes.append(f"{name} kept whole ({exc})")
            result.append((dest, src, typecode))
            continue
        notes.append(f"{name} trimmed {before / 1e6:.1f} -> {after / 1e6:.1f} MB")
        result.append((dest, str(workdir / "icu" / name), typecode))
    return result, "; ".join(notes) or "no ICU data library"

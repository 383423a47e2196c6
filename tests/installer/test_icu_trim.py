"""The trimmed ICU data library: which items stay, the package format, and a real library."""

from __future__ import annotations

import ctypes
import importlib.util
import shutil
import struct
import sys
from pathlib import Path

import pytest

from installer import icu_trim


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("icudt73l/en.res", True),
        ("icudt73l/en_GB.res", True),
        ("icudt73l/root.res", True),
        ("icudt73l/pool.res", True),
        ("icudt73l/res_index.res", True),
        ("icudt73l/supplementalData.res", True),
        ("icudt73l/zoneinfo64.res", True),
        ("icudt73l/nfkc.nrm", True),
        ("icudt73l/coll/ucadata.icu", True),
        ("icudt73l/coll/root.res", True),
        ("icudt73l/brkitr/line.brk", True),
        ("icudt73l/de.res", False),
        ("icudt73l/zh_Hant_TW.res", False),
        ("icudt73l/coll/de_.res", False),
        ("icudt73l/zone/fil.res", False),
        ("icudt73l/brkitr/cjdict.dict", False),
        ("icudt73l/ibm-943_P15A-2003.cnv", False),
        ("icudt73l/translit/root.res", False),
    ],
)
def test_keep_item(name, kept):
    assert icu_trim.keep_item(name) is kept


def _package(items: list[tuple[str, bytes]]) -> bytes:
    header = struct.pack("<HBB", 32, 0xDA, 0x27) + struct.pack("<HH", 20, 0) + b"\0\0\2\0"
    header += b"CmnD" + b"\1\0\0\0" + b"\0" * 12
    return icu_trim.write_package(header, items)


def test_package_round_trip_keeps_names_order_and_alignment():
    items = [("p/a.res", b"A" * 16), ("p/b.res", b"B" * 32), ("p/c.res", b"C" * 48)]
    header, read = icu_trim.read_package(_package(items))
    assert len(header) == 32
    assert read == items
    data = _package(items)
    offsets = [struct.unpack_from("<II", data, 36 + 8 * i)[1] + 32 for i in range(3)]
    assert all(offset % 16 == 0 for offset in offsets)


def test_trim_package_drops_only_unkept_items():
    items = [("p/de.res", b"D" * 16), ("p/en.res", b"E" * 16), ("p/x.cnv", b"X" * 16)]
    _, read = icu_trim.read_package(icu_trim.trim_package(_package(items)))
    assert read == [("p/en.res", b"E" * 16)]


def test_not_a_package_is_refused():
    with pytest.raises(icu_trim.IcuTrimError):
        icu_trim.read_package(b"\0" * 64)


def _pyside_icu() -> Path | None:
    spec = importlib.util.find_spec("PySide6")
    if spec is None or spec.origin is None:
        return None
    found = sorted((Path(spec.origin).parent / "Qt" / "lib").glob("libicudata.so.*"))
    return found[0] if found else None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PySide6 bundles ICU on Linux")
def test_trimmed_library_exports_a_smaller_valid_package(tmp_path):
    source = _pyside_icu()
    if source is None or not (shutil.which("cc") or shutil.which("gcc")):
        pytest.skip("needs PySide6's libicudata and a C compiler")
    target = tmp_path / source.name
    before, after = icu_trim.trim_library(source, target)
    assert after < before / 4
    symbol, data = icu_trim.exported_data(target.read_bytes())
    assert symbol == icu_trim.exported_data(source.read_bytes())[0]
    names = [name for name, _ in icu_trim.read_package(data)[1]]
    assert names == sorted(names)
    assert any(name.endswith("/en.res") for name in names)
    assert not any(name.endswith("/de.res") for name in names)
    library = ctypes.CDLL(str(target))  # loads, and exports the symbol ICU looks up
    assert ctypes.c_char.in_dll(library, symbol).value is not None
